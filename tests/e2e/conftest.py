"""Browser-test fixtures: the app as a real server (its own SQLite store), and Debian's Chromium.

A missing browser or a server that does not come up fails the tests; it never skips them. A deprecation in any
server's log fails the test during which it was written (or the session, if written after the last test).
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.harness import AppServer, ServerError, deprecations, launch_chromium

EXPECT_TIMEOUT = 30_000  # ms; a label action retrains the model, and CI machines are slow


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser tests (Playwright driving Debian's chromium)")


_read_to: dict = {}  # each server log's byte up to which it has been checked


def _new_deprecations(*, final: bool = False) -> list[str]:
    found = []
    for log in AppServer.logs:
        lines, _read_to[log] = deprecations(log, _read_to.get(log, 0), final=final)
        found += lines
    return found


@pytest.fixture(autouse=True)
def no_deprecation_in_server_logs():
    """Fail the test if a server logged a deprecation since the last test ended: during this test, or while a server
    it uses started (a session's server starts before this fixture is set up; a test's own stops before it is torn
    down). Nothing is filtered: a third-party deprecation is fixed by an upgrade, or reported upstream."""
    yield
    found = _new_deprecations()
    if found:
        pytest.fail(
            "A server logged a deprecation during this test or as its server started:\n" + "\n".join(found),
            pytrace=False,
        )


def pytest_sessionfinish(session, exitstatus):
    """A deprecation logged after the last test (the session's server stopping) fails the session."""
    found = _new_deprecations(final=True)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line("The server logged a deprecation after the last test:\n" + "\n".join(found), red=True)
        session.exitstatus = 1


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
