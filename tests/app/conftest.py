"""AppTest fixtures: a fresh store and empty caches for every test.

AppTest (1.67) keeps what navigation.py draws before ``page.run()`` (sidebar, URL warnings) only in the
first run of an AppTest; later runs drop it, though a browser shows it. So tests read those from
the first run, and the e2e tests check them in a real browser.
"""
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

# A run's limit, a guard against a hang and no measure of speed: a page's first run fits models, and with the cores
# busy (a load average of 20 to 50) the read-only Compare page's run passed AppTest's 60 s.
RUN_TIMEOUT = 300
APP = str(Path(__file__).resolve().parents[2] / "navigation.py")  # the pages; app.py serves them
DATASETS = ["digits", "breast_cancer", "wine"]


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


@pytest.fixture
def open_page():
    """Run the app on ``page`` with URL ``params``; returns the AppTest after that run."""

    def run(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT)
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
