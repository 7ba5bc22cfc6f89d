"""AppTest fixtures: a fresh store and empty caches for every test.

Every run of an AppTest runs frame/navigation.py, as a browser's run does: what it draws around the page (the sidebar,
say) is there after a switch of page too.
"""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from datacentric.ui import links

# A run's limit, a guard against a hang and no measure of speed: a page's first run fits models, and with the cores
# busy (a load average of 20 to 50) the read-only Compare page's run passed AppTest's 60 s.
RUN_TIMEOUT = 300
APP = links.page("frame/navigation.py")  # the pages; app.py serves them
DATASETS = ["digits", "breast_cancer", "wine"]
PAGES = sorted(str(path.relative_to(links.ROOT)) for path in (links.ROOT / "pages").glob("*.py"))  # every page file
ROOM_PAGES = ("pages/classroom.py", "pages/teach.py")  # show a room's scenario and text, not the session's


@pytest.fixture(autouse=True)
def fresh(monkeypatch, store_url):
    monkeypatch.setenv("DCP_DATABASE_URL", store_url)
    # The app shows an uncaught error's type only (.streamlit/config.toml); a failing test wants it whole.
    from streamlit import config

    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    config.set_option("client.showErrorDetails", shown)
    st.cache_data.clear()
    st.cache_resource.clear()


class App(AppTest):
    """The app under AppTest, its pages named from the repository root ("pages/fix_labels.py"), as the app's links and
    lessons name them: AppTest resolves a page from the main script's folder, frame/."""

    def __init__(self, *, default_timeout: float = RUN_TIMEOUT):
        super().__init__(APP, default_timeout=default_timeout)

    def switch_page(self, page_path: str) -> "App":
        return super().switch_page(links.page(page_path))


@pytest.fixture
def open_page():
    """Run the app on ``page`` with URL ``params``; returns the AppTest after that run."""

    def run(page: str, **params: str) -> App:
        at = App()
        at.query_params.update(params)
        at.run()
        if page != "pages/home.py":
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return run


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def flat(params) -> dict[str, str]:
    """AppTest's query params as plain strings (it may hold a value as a one-item list)."""
    return {k: v[0] if isinstance(v, list) else v for k, v in dict(params).items()}
