"""Two server processes on one PostgreSQL, as a class's deployment runs them: work done through one is there,
whole, when the learner's connection lands on the other (the truth lives in the database, not in a process)."""

import pytest
from playwright.sync_api import expect

from datacentric.persistence.store import Store
from tests.e2e.conftest import start_or_fail
from tests.e2e.harness import AppServer, accept_button, metric_value, wait_fix_labels_loaded, wait_idle, workspace_of

SCENARIO = "dataset=digits&noise=uniform&rate=20&seed=0"


@pytest.fixture
def two_servers(postgres, tmp_path):
    url = postgres.new_database("two_servers")
    servers = [start_or_fail(AppServer(tmp_path / name, db_url=url, watch_files=False)) for name in ("a", "b")]
    yield servers
    for server in servers:
        server.stop()


def act(page, times: int, start: int) -> None:
    for n in range(start + 1, start + times + 1):
        accept_button(page).click()
        expect(metric_value(page, "Actions taken")).to_have_text(str(n), timeout=30_000)
        wait_idle(page)


@pytest.mark.e2e
def test_work_done_on_one_server_is_whole_on_the_other_and_back(two_servers, page):
    first, second = two_servers
    page.goto(f"{first.url}/fix_labels?{SCENARIO}")
    wait_fix_labels_loaded(page)
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)  # no developer items for learners
    act(page, 2, 0)
    ws = workspace_of(page)
    assert "ws=" not in page.url

    page.goto(f"{second.url}/fix_labels?{SCENARIO}")  # the connection lands on the other process (same cookie)
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("2")
    act(page, 1, 2)

    page.goto(f"{first.url}/fix_labels?{SCENARIO}")  # and back: a reload on the first one
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("3")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    log = Store(first.db_url).log(ws, "digits-uniform-20-0")
    assert len(log) == 3 and len({a.group for a in log}) == 3  # nothing lost, one undo group each
    assert first.db_url.startswith("postgresql")
