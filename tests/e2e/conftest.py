"""Browser-test fixtures: the app as a real server (its own SQLite store), and Debian's Chromium.

A missing browser or a server that does not come up fails the tests; it never skips them.
"""
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.harness import AppServer, ServerError, launch_chromium

EXPECT_TIMEOUT = 30_000  # ms; a label action retrains the model, and CI machines are slow


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser tests (Playwright driving Debian's chromium)")


def start_or_fail(server: AppServer) -> AppServer:
    """Start ``server``; a server that does not come up fails the test, never skips it."""
    try:
        return server.start()
    except ServerError as error:
        problem = str(error)
    pytest.fail(f"The app server did not start: {problem}", pytrace=False)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """One ``streamlit run app.py`` for the session; ``restart_app`` restarts it in place."""
    server = AppServer(tmp_path_factory.mktemp("app"), watch_files=False)
    start_or_fail(server)
    yield server
    server.stop()


@pytest.fixture
def restart_app(app_server):
    """Stop the session's server and start a new process on the same port and database."""

    def restart() -> AppServer:
        app_server.stop()
        return start_or_fail(app_server)

    return restart


@pytest.fixture
def fresh_server(tmp_path):
    """A server no browser has visited yet, with an empty store: the state right after a deploy."""
    server = AppServer(tmp_path / "app", watch_files=False)
    start_or_fail(server)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except FileNotFoundError as error:
            missing = str(error)
        else:
            missing = None
        if missing:
            pytest.fail(missing, pytrace=False)
        expect.set_options(timeout=EXPECT_TIMEOUT)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Open a page in its own browser context (its own cookies and Streamlit session)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(EXPECT_TIMEOUT)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
