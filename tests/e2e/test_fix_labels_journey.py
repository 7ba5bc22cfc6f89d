"""The learner's journey in a real browser: pick a scenario, fix labels, refresh, restart, come back.

What AppTest cannot show: clicks through the real frontend, the URL the browser keeps, a refresh
(a new Streamlit session) and a server restart (a new process on the same store).
"""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from datacentric.lab.scenario import MAX_RATE, Scenario
from datacentric.persistence.store import Store
from tests.e2e.harness import (
    HeldReplies,
    accept_button,
    keep_workspace,
    metric_value,
    resume_code_box,
    wait_fix_labels_loaded,
    wait_idle,
    wait_page_drawn,
    workspace_of,
)

SCENARIO = {"dataset": "digits", "noise": "systematic", "rate": "30", "seed": "0"}
SCENARIO_TEXT = "Handwritten digits, 30 % systematic label noise, seed 0"
PERCENT = re.compile(r"^\d+(\.\d)?%$")


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def sidebar_scenario(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stText")


def choose_dataset(page, title: str) -> None:
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name=title, exact=True).click()


def pick_scenario_on_home(page, base_url: str) -> None:
    """Open Home on SCENARIO (a link from before the default changed) and drive the picker away from digits / 30 %
    and back, ending on SCENARIO."""
    page.goto(f"{base_url}/?dataset=digits&noise=systematic&rate=30&seed=0")
    expect(page.get_by_test_id("stApp")).to_be_visible()
    expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible()
    noisy = metric_value(page, "Trained on noisy labels")
    expect(noisy).to_have_text(PERCENT)
    wait_idle(page)
    digits_figure = noisy.inner_text()

    choose_dataset(page, "Wine cultivars")
    expect(sidebar_scenario(page)).to_have_text("Wine cultivars, 30 % systematic label noise, seed 0")
    expect(page).to_have_url(re.compile(r"[?&]dataset=wine(&|$)"))
    wait_idle(page)
    choose_dataset(page, "Handwritten digits")
    expect(sidebar_scenario(page)).to_have_text(SCENARIO_TEXT)
    wait_idle(page)

    rate = page.get_by_role("slider", name=re.compile(r"^Noise rate"))
    rate.focus()
    page.keyboard.press("ArrowRight")  # one step of 5
    expect(sidebar_scenario(page)).to_have_text("Handwritten digits, 35 % systematic label noise, seed 0")
    expect(page).to_have_url(re.compile(r"[?&]rate=35(&|$)"))
    wait_idle(page)
    rate.focus()
    page.keyboard.press("ArrowLeft")
    expect(sidebar_scenario(page)).to_have_text(SCENARIO_TEXT)
    wait_idle(page)

    expect(page.get_by_role("radio", name="Systematic")).to_be_checked()
    # The same scenario gives the same figure, even after visiting others.
    expect(noisy).to_have_text(digits_figure)
    assert query(page.url) == SCENARIO


def go_to_fix_labels(page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Fix the labels").click()
    expect(page).to_have_url(re.compile(r"/fix_labels\?"))
    wait_fix_labels_loaded(page)


def take_action(page, button, n_actions: int) -> None:
    """Click a label-action button and wait until the page shows the action counted."""
    button.click()
    expect(metric_value(page, "Actions taken")).to_have_text(str(n_actions))
    wait_idle(page)
    # Move the pointer off the button, as a person would: a button's help tooltip stays open while
    # the pointer rests on it, and "Label is right"'s covers the "Accept suggestion" button above it.
    page.mouse.move(0, 0)


def take_three_actions(page) -> None:
    take_action(page, accept_button(page), 1)
    # The first action creates the workspace; the whole app reruns to show its resume code.
    expect(resume_code_box(page)).to_be_visible()
    wait_idle(page)
    take_action(page, page.get_by_role("button", name="Label is right"), 2)
    take_action(page, accept_button(page), 3)


def figures(page) -> dict[str, str]:
    return {
        label: metric_value(page, label).inner_text()
        for label in ("Test accuracy", "Noisy labels left", "Actions taken")
    }


def expect_figures(page, expected: dict[str, str]) -> None:
    for label, text in expected.items():
        expect(metric_value(page, label)).to_have_text(text)


@pytest.mark.e2e
def test_fixes_change_accuracy_and_survive_a_refresh(app_server, page):
    pick_scenario_on_home(page, app_server.url)
    go_to_fix_labels(page)
    assert query(page.url) == SCENARIO
    expect(metric_value(page, "Actions taken")).to_have_text("0")
    expect(metric_value(page, "Test accuracy")).to_have_text(PERCENT)
    before = figures(page)

    take_three_actions(page)

    after = figures(page)
    assert after["Actions taken"] == "3"
    assert after["Test accuracy"] != before["Test accuracy"], "three label fixes left test accuracy unchanged"
    ws = workspace_of(page)
    assert query(page.url) == SCENARIO, f"the address bar holds more than the scenario: {page.url}"
    code = resume_code_box(page).inner_text().strip()
    assert ws not in page.inner_text("body")  # the workspace id is never shown, only its resume code

    page.reload()  # the browser's cookie brings the work back
    wait_fix_labels_loaded(page)
    expect_figures(page, after)
    assert query(page.url) == SCENARIO
    expect(resume_code_box(page)).to_have_text(code)


@pytest.mark.e2e
def test_the_work_survives_a_server_restart_and_its_resume_code_opens_it_on_a_fresh_browser(
    app_server, restart_app, new_page
):
    page = new_page()
    page.goto(f"{app_server.url}/?dataset=digits&noise=systematic&rate=30&seed=0")
    expect(sidebar_scenario(page)).to_have_text(SCENARIO_TEXT)
    wait_idle(page)
    go_to_fix_labels(page)
    take_three_actions(page)
    before = figures(page)
    code = resume_code_box(page).inner_text().strip()
    cookies = page.context.cookies()
    page.context.close()  # a page left open would reconnect to the new server by itself

    restart_app()

    page = new_page()
    keep_workspace(page, cookies)  # the same browser, after the restart
    page.goto(app_server.url)
    # The app found the workspace: a bare address opens where the learner left off.
    expect(resume_code_box(page)).to_have_text(code)
    expect(sidebar_scenario(page)).to_have_text(SCENARIO_TEXT)
    wait_idle(page)
    go_to_fix_labels(page)
    expect_figures(page, before)
    assert query(page.url) == SCENARIO

    fresh = new_page()  # another device: no work of its own, no link; only the code
    fresh.goto(app_server.url)
    wait_page_drawn(fresh)  # a click before the first run has drawn Home can be lost with its run
    given = workspace_of(fresh)  # the id its own first action would have used
    fresh.get_by_text("Continue your work from another device").click()
    typed = fresh.get_by_role("textbox", name="Resume code")
    typed.fill(code.lower())
    typed.press("Enter")  # the code reaches the server in a run of its own, before the click
    wait_idle(fresh)
    fresh.get_by_role("button", name="Open my work").click()
    expect(fresh.get_by_text("Welcome back: your work is open.")).to_be_visible()
    expect(sidebar_scenario(fresh)).to_have_text(SCENARIO_TEXT)
    wait_idle(fresh)
    go_to_fix_labels(fresh)
    expect_figures(fresh, before)
    assert workspace_of(fresh, other_than=given) == workspace_of(page)  # and this browser now keeps it too


@pytest.mark.e2e
@pytest.mark.parametrize("path, heading", [("", "Data-Centric Playground"), ("fix_labels", "Fix the labels")])
def test_impossible_scenario_in_the_url_warns_and_falls_back(fresh_server, page, path, heading):
    page.goto(f"{fresh_server.url}/{path}?dataset=nope&rate=300&seed=abc")
    expect(page.get_by_test_id("stApp")).to_be_visible()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=60_000)
    # The page ran inside frame/navigation.py (which sets the title and reads the URL), not on its own.
    expect(page).to_have_title(re.compile("Data-Centric Playground"))
    alerts = page.get_by_test_id("stAlert")
    for problem in ("'nope'", "300 %", "'abc'"):
        expect(alerts.filter(has_text=problem)).to_have_count(1)
    # Falls back to the nearest valid scenario, says so in the sidebar and puts it in the URL.
    fallen = Scenario(rate=MAX_RATE)  # the default, its rate the nearest valid one to 300 %
    expect(sidebar_scenario(page)).to_have_text(fallen.describe())
    expect(page).to_have_url(re.compile(r"\?" + re.escape(urlencode(fallen.to_params())) + "$"))
    if path == "fix_labels":
        wait_fix_labels_loaded(page)
    else:
        expect(metric_value(page, "Trained on noisy labels")).to_have_text(PERCENT)
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.e2e
def test_a_fall_after_an_action_is_shown_red(app_server, page):
    """The default scenario's top suggestion, accepted blindly, makes a right label wrong and costs a test item."""
    page.goto(f"{app_server.url}/fix_labels")
    wait_fix_labels_loaded(page)
    before = metric_value(page, "Test accuracy").inner_text()
    accept_button(page).click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    fall = page.get_by_test_id("stAlertContentError")
    expect(fall).to_contain_text(re.compile(r"\(-\d+\.\d pts\)"))
    expect(fall).to_contain_text("a label that was right is now wrong")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_count(0)
    assert metric_value(page, "Test accuracy").inner_text() != before


def card_item(page) -> str:
    """The item the review card shows, as 'Review item 412'."""
    return page.get_by_text(re.compile(r"^Review item \d+")).inner_text().split(" (")[0]


@pytest.mark.e2e
def test_a_double_click_acts_once_and_a_second_tab_never_acts_on_what_it_did_not_see(app_server, new_page):
    page = new_page()
    replies = HeldReplies(page)
    page.goto(f"{app_server.url}/fix_labels?dataset=digits&noise=uniform&rate=20&seed=1")
    wait_fix_labels_loaded(page)
    first = card_item(page)
    # A second click on the same card before it redraws (its replies held back, as on a slow connection): by then
    # the server has moved on to the next item, which the learner has never seen.
    replies.hold()
    page.get_by_role("button", name="Label is right").click()
    page.wait_for_timeout(2000)  # not a wait for readiness: time for the server to finish the first action
    page.get_by_role("button", name="Label is right").click()
    replies.release()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    wait_idle(page)
    expect(metric_value(page, "Actions taken")).to_have_text("1")  # the second click did nothing
    second = card_item(page)
    assert second != first
    ws = workspace_of(page)
    log = Store(app_server.db_url).log(ws, "digits-uniform-20-1")
    assert [(a.kind, a.item) for a in log] == [("confirm", int(first.split()[-1]))]

    other = new_page()  # the same workspace in a second tab
    keep_workspace(other, page.context.cookies())
    other.goto(page.url)
    wait_fix_labels_loaded(other)
    assert card_item(other) == second
    other.get_by_role("button", name="Label is right").click()
    expect(metric_value(other, "Actions taken")).to_have_text("2")
    accept_button(page).click()  # the first tab still shows that item, now acted on elsewhere
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("Nothing done")
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("refresh")
    expect(metric_value(page, "Actions taken")).to_have_text("2")  # and it now shows the workspace as it is
    assert [a.kind for a in Store(app_server.db_url).log(ws, "digits-uniform-20-1")] == ["confirm", "confirm"]


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def in_view(page, locator) -> bool:
    """Whether the element's box lies whole inside the viewport, below the app's header."""
    box, header = locator.bounding_box(), page.get_by_test_id("stHeader").bounding_box()
    return (
        box is not None
        and box["y"] >= header["y"] + header["height"] - 1
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


@pytest.mark.e2e
def test_on_a_phone_each_action_brings_its_message_and_the_next_card_into_view(app_server, browser):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{app_server.url}/fix_labels?dataset=digits&noise=uniform&rate=20&seed=0")
        wait_fix_labels_loaded(page)
        for n, name in enumerate(["Label is right", re.compile("^Accept suggestion"), "Remove from training"], 1):
            button = page.get_by_role("button", name=name)
            # The card's image has its full height before the thumb goes to the buttons (a full suite's load once
            # scrolled while the image was still loading, and its short box stayed in view).
            page.wait_for_function(
                "() => { const i = document.querySelector('[data-testid=stImage] img');"
                " return i && i.complete && i.naturalHeight > 0; }",
                polling="raf",
            )
            # A thumb at the buttons, under the card: scrolled until the card's image is out of view (on a loaded
            # machine the page can still grow below the buttons after a run, and a first scroll falls short).
            page.wait_for_function(
                """(b) => {
                    b.scrollIntoView({block: 'start'});
                    const image = document.querySelector('[data-testid=stImage]').getBoundingClientRect();
                    const header = document.querySelector('[data-testid=stHeader]').getBoundingClientRect();
                    return image.top < header.bottom - 1 || image.bottom > window.innerHeight;
                }""",
                arg=button.element_handle(),
                polling="raf",
            )
            assert not in_view(page, page.get_by_test_id("stImage").first)
            button.click()
            expect(metric_value(page, "Actions taken")).to_have_text(str(n))
            wait_idle(page)
            message = page.locator(".st-key-last_change")
            expect(message).to_be_visible()
            page.wait_for_function(
                "() => { const box = document.querySelector('.st-key-last_change');"
                " return box && box.getBoundingClientRect().top >= 0; }"
            )
            assert in_view(page, message), "the change message is out of view after the action"
            assert in_view(page, page.get_by_test_id("stImage").first), "the next card's image is out of view"
    finally:
        context.close()
