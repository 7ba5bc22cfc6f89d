"""The doors in a real browser: the workspace cookie is HttpOnly and in place from the first page, so a reload right
after the first action keeps the work; every answer carries the security headers and the pages break none of them;
a challenge room's learner cannot leave the room's scenario through the address bar."""

import re

import pytest
from playwright.sync_api import expect

from datacentric import serving
from datacentric.classroom.rooms import Challenge, shown
from datacentric.classroom.roster import Roster
from datacentric.lab.scenario import Scenario
from datacentric.persistence.store import Store
from tests.e2e.harness import (
    WORKSPACE_COOKIE,
    accept_button,
    metric_value,
    wait_fix_labels_loaded,
    wait_idle,
    workspace_of,
)
from tests.e2e.test_classroom_journey import join

POLICY = re.compile(r"Content Security Policy|Refused to (load|connect|frame|execute)", re.I)


@pytest.mark.e2e
def test_the_cookie_is_httponly_from_the_first_page_and_a_reload_right_after_the_first_action_keeps_the_work(
    app_server, new_page
):
    page = new_page()
    broken = []
    page.on("console", lambda message: POLICY.search(message.text) and broken.append(message.text))
    answer = page.goto(f"{app_server.url}/fix_labels?dataset=digits&noise=uniform&rate=20&seed=0")
    for name, value in serving.HEADERS.items():
        assert answer.headers[name] == value
    wait_fix_labels_loaded(page)
    ws = workspace_of(page)  # before any action: the id the first action will create the workspace under
    cookie = next(c for c in page.context.cookies() if c["name"] == WORKSPACE_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert WORKSPACE_COOKIE not in page.evaluate("document.cookie")  # no script on the page can read it

    accept_button(page).click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    page.reload()  # at once: nothing left to write after the page said the action was done
    wait_fix_labels_loaded(page)
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    assert workspace_of(page) == ws

    for path in ("", "compare", "weak_slices", "learn"):  # the pages' own elements stay within the policy
        page.goto(f"{app_server.url}/{path}")
        wait_idle(page)
    assert broken == []


@pytest.mark.e2e
def test_a_room_learner_cannot_leave_the_rooms_scenario_through_the_address_bar(app_server, new_page):
    scenario = Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50)
    roster = Roster(Store(app_server.db_url))
    room = roster.open("Doors", scenario, Challenge(2, 2, 30))
    page = new_page()
    join(page, app_server.url, shown(room.code), "Ada", by_link=True)
    elsewhere = {**scenario.to_params(), "holdout": "1"}
    page.goto(f"{app_server.url}/fix_labels?" + "&".join(f"{k}={v}" for k, v in elsewhere.items()))
    wait_fix_labels_loaded(page)
    expect(page.get_by_test_id("stAlert").filter(has_text="You are in a classroom challenge")).to_be_visible()
    assert "holdout=50" in page.url
    for n in (1, 2):
        accept_button(page).click()
        expect(metric_value(page, "Actions taken")).to_have_text(str(n))
        wait_idle(page)
    accept_button(page).click()
    expect(page.get_by_test_id("stAlert").filter(has_text="The challenge allows 2 label actions")).to_be_visible()
    expect(metric_value(page, "Actions taken")).to_have_text("2")
    member = roster.members(room.code, room.round)[0]
    assert len(roster.store.log(member.workspace, room.slug)) == 2
