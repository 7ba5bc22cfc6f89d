"""The presenter view at a projector's size, in a real browser: nothing cut short, nothing covered, nothing private.

Two sizes: a 1280 x 720 projector at a device scale of 1.5, and the same projector with the browser zoomed to 150 %
(853 x 480 CSS pixels at a device scale of 1.5, which is what a 150 % zoom is). Zoom changes the layout; the device
scale alone only sharpens it, so 1280 x 720 lays out as any 1280 px window does.
"""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from datacentric.persistence import resume
from datacentric.persistence.store import Store
from tests.e2e.harness import accept_button, metric_value, wait_fix_labels_loaded, wait_idle, workspace_of

SCENARIO = {"dataset": "digits", "noise": "systematic", "rate": "30", "seed": "0", "present": "1"}
SIZES = {
    "projector 1280x720 at scale 1.5": {"width": 1280, "height": 720},
    "zoom 150 %: 853x480 at scale 1.5": {"width": 853, "height": 480},
}
# Every button's label as the page draws it: the text shown, and whether it is cut (Streamlit cuts a label too wide
# for its button with CSS, "Accep…", so the DOM still holds the whole text: only the sizes tell).
LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] button')]
  .filter(b => b.getClientRects().length)
  .flatMap(b => [...b.querySelectorAll('[data-testid="stMarkdownContainer"]')].map(label => ({
    text: label.innerText.trim(), cut: label.scrollWidth > label.clientWidth
      || [...label.querySelectorAll('*')].some(e => e.clientWidth && e.scrollWidth > e.clientWidth)})))
  .filter(label => label.text)"""
# Other text Streamlit cuts with an ellipsis: metric labels, values and deltas, page links, toggles.
CUT_ELSEWHERE = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] :is([data-testid="stMetric"], [data-testid="stPageLink"], [data-testid="stCheckbox"]) *')]
  .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
  .map(e => e.innerText.trim())"""
# Every finite animation has ended (a box expanding, a message fading in); endless ones (a spinner) are no layout.
SETTLED = """() => document.getAnimations().every(
  a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def projector(request, browser):
    """A page in a browser context of the projector's size."""
    context = browser.new_context(viewport=SIZES[request.param], device_scale_factor=1.5)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def open_presenting(page, base_url: str, path: str = "") -> None:
    page.goto(f"{base_url}/{path}?{urlencode(SCENARIO)}")
    expect(page.get_by_role("button", name="Leave presenter view")).to_be_visible()


def go_to(page, title: str) -> None:
    """Open a page from the collapsed sidebar's page list, as a presenter would: the view stays on, though
    navigation clears the address."""
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(
        page.get_by_role("heading", name=title if title != "Home" else "Data-Centric Playground", level=1)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Leave presenter view")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]present=1(&|$)"))  # a refresh keeps the view
    page.get_by_role("button", name="Collapse sidebar").click()  # out of the way again
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")


def settle(page) -> None:
    """Wait for the run to end and every animation (an expanding box, a fading message) to finish."""
    wait_idle(page)
    page.mouse.move(0, 0)  # no tooltip left open over anything
    page.wait_for_function(SETTLED, polling="raf")


def cut_short(page, *, must_see: list[str]) -> list[str]:
    """What the page cuts short: button labels that do not fit (each label must also be its button's accessible
    name), and metrics, links or toggles ending in '…'. ``must_see``: labels that must be among the buttons checked,
    so a page that drew nothing cannot pass."""
    labels = page.evaluate(LABELS)
    shown = [label["text"] for label in labels]
    for text in must_see:
        assert any(s.startswith(text) for s in shown), f"no button labelled {text!r} among {shown}"
    for text in shown:
        # The label element holds the button's whole name (a shortcut's key is read out after it).
        button = page.get_by_test_id("stMain").get_by_role(
            "button", name=re.compile(rf"^{re.escape(text)}( Shortcut \w)?$")
        )
        expect(button.first).to_be_visible()
    return [f"button {label['text']!r}" for label in labels if label["cut"]] + [
        f"text {text!r}" for text in page.evaluate(CUT_ELSEWHERE)
    ]


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not drawn"
    return found


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def covered(page) -> list[str]:
    """The review card's digit drawn over its given label, if it is."""
    image = page.get_by_test_id("stImage").filter(has_text="training item").locator("img")
    given = page.get_by_test_id("stMetric").filter(has_text="Given label")
    return ["the digit covers the given label"] if overlap(box(image), box(given)) else []


def private(page, code: str, token: str) -> list[str]:
    """What the page holds of the presenter's private things, drawn or hidden: the resume code, the read-only link,
    the sidebar's block (the presenter view does not draw it at all)."""
    html = page.content()
    found = {
        "the resume code": code in html or resume.shown(code) in html,
        "the read-only link": token in html,
        "the resume code's box": page.get_by_text("Your resume code (private)").count() > 0,
        "the read-only link's box": page.get_by_text("Show your work (read-only link)").count() > 0,
        "the sidebar's scenario block": page.get_by_test_id("stSidebar").get_by_text("Share this scenario").count() > 0,
    }
    return [what for what, there in found.items() if there]


@pytest.mark.e2e
def test_the_presenter_view_holds_at_a_projectors_size(app_server, projector):
    page = projector
    open_presenting(page, app_server.url, "fix_labels")
    wait_fix_labels_loaded(page)
    accept_button(page).click()  # the first action makes the workspace: the whole app runs again
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    settle(page)
    store = Store(app_server.db_url)
    ws = workspace_of(page)
    code, token = store.resume_code(ws), store.view_token(ws)  # both exist now: a sidebar would show them
    problems = {}

    page.reload()  # a fresh session on the same work: the code and link exist before the page draws
    wait_fix_labels_loaded(page)
    expect(page.get_by_role("button", name="Leave presenter view")).to_be_visible()
    settle(page)
    problems["Fix the labels"] = (
        cut_short(
            page,
            must_see=[
                "Accept suggestion",
                "Label is right",
                "Remove from training",
                "0",
                "9",
                "Undo last action",
                "Reset demo",
                "Leave presenter view",
            ],
        )
        + covered(page)
        + private(page, code, token)
    )

    go_to(page, "Home")
    expect(metric_value(page, "Trained on noisy labels")).to_be_visible()
    settle(page)
    problems["Home"] = cut_short(page, must_see=["Reset demo", "Leave presenter view"]) + private(page, code, token)

    go_to(page, "Compare")
    expect(page.get_by_test_id("stTable").first).to_contain_text("Data-centric")
    settle(page)
    problems["Compare"] = cut_short(page, must_see=["Replay the experiment", "Leave presenter view"]) + private(
        page, code, token
    )

    go_to(page, "Label consistently")
    expect(page.get_by_text("Labels from the panel, three ways, and the true labels as the ceiling")).to_be_visible(
        timeout=90_000
    )  # a cold server runs the panel's study on the first visit
    settle(page)
    problems["Label consistently"] = cut_short(
        page,
        must_see=["Simulate this panel", "Fix these labels on Fix the labels", "Reset demo", "Leave presenter view"],
    ) + private(page, code, token)

    go_to(page, "After deployment")
    hold = page.get_by_role("button", name="Hold back 40 % of the training rows as the stream")
    expect(hold).to_be_visible()
    settle(page)
    problems["After deployment, no reserve"] = cut_short(
        page, must_see=["Hold back 40 % of the training rows as the stream", "Reset demo", "Leave presenter view"]
    )
    hold.click()
    expect(page.get_by_role("heading", name="Week 1 of 10")).to_be_visible(timeout=60_000)
    settle(page)
    problems["After deployment"] = cut_short(
        page,
        must_see=[
            "Deploy with this schedule",
            "Reveal true accuracy",
            "Label them, retrain, and go on to the next week",
            "Replay every strategy",
            "Reset demo",
            "Leave presenter view",
        ],
    ) + private(page, code, token)

    assert problems == {
        "Fix the labels": [],
        "Home": [],
        "Compare": [],
        "Label consistently": [],
        "After deployment, no reserve": [],
        "After deployment": [],
    }, problems

    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # the page list only, out of the way
    page.get_by_role("button", name="Leave presenter view").click()  # the way out: the sidebar's block drawn again
    expect(sidebar.get_by_text("Share this scenario")).to_have_count(1)
    expect(page.get_by_role("button", name="Leave presenter view")).to_have_count(0)
    assert "present=" not in page.url


@pytest.mark.e2e
def test_fix_labels_holds_at_150_percent_beside_the_sidebar(app_server, browser):
    """The learner's own view at 150 % zoom, where the sidebar leaves the page about 520 px: the digit beside the
    given label, the buttons whole."""
    context = browser.new_context(viewport=SIZES["zoom 150 %: 853x480 at scale 1.5"], device_scale_factor=1.5)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/fix_labels?{urlencode({k: v for k, v in SCENARIO.items() if k != 'present'})}")
        wait_fix_labels_loaded(page)
        expect(page.get_by_test_id("stSidebar").get_by_text("Share this scenario")).to_be_visible()
        accept_button(page).click()
        expect(metric_value(page, "Actions taken")).to_have_text("1")
        settle(page)
        problems = cut_short(
            page, must_see=["Accept suggestion", "Label is right", "Remove from training", "0", "9", "Undo last action"]
        ) + covered(page)
        assert problems == [], problems
    finally:
        context.close()
