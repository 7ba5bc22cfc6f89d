"""Work kept from the first action: a learner who clicks and reloads 0, 100 or 500 ms later, on the same server or
landing on another process of the same deployment, finds the action done and the same workspace.

The click and the reload are one script in the page, so the delay between them is the one under test (not a wait
for the page): the reload may cut the action's run short, before the page has drawn its result."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import start_or_fail
from tests.e2e.harness import AppServer, accept_button, metric_value, wait_fix_labels_loaded, workspace_of

SCENARIO = "fix_labels?dataset=digits&noise=uniform&rate=20&seed=0"
DELAYS_MS = (0, 100, 500)
CLICK_THEN_GO = """(button, [delay, to]) => {
    button.click();
    setTimeout(() => (to ? window.location.assign(to) : window.location.reload()), delay);
}"""


@pytest.fixture(scope="module")
def two_processes(postgres, tmp_path_factory):
    """Two server processes on one PostgreSQL, as a class's deployment runs them."""
    url = postgres.new_database("reload_journey")
    folder = tmp_path_factory.mktemp("reload")
    servers = [start_or_fail(AppServer(folder / name, db_url=url, watch_files=False)) for name in ("a", "b")]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.e2e
@pytest.mark.parametrize("landing", ["same process", "other process"])
@pytest.mark.parametrize("delay", DELAYS_MS)
def test_a_reload_right_after_the_first_action_keeps_the_action_and_the_workspace(
    two_processes, new_page, delay, landing
):
    first, other = two_processes
    page = new_page()
    page.goto(f"{first.url}/{SCENARIO}")
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("0")

    to = f"{other.url}/{SCENARIO}" if landing == "other process" else None
    with page.expect_navigation():
        accept_button(page).evaluate(CLICK_THEN_GO, [delay, to])
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    ws = workspace_of(page)

    page.goto(f"{first.url}/{SCENARIO}")  # and once more, on the first process: the same work
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    assert workspace_of(page) == ws
