"""Find the weak slice in a real browser: reached from the sidebar, its tables drawn, its lesson one click away;
labels fixed in the chosen slice show as a measured gain; an under-represented slice found, collected from the
reserve, measured, kept after a reload, undone, and replayed."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import (
    accept_button,
    metric_value,
    wait_fix_labels_loaded,
    wait_idle,
    wait_page_drawn,
    workspace_of,
)

FIRST_DRAW = 60_000  # ms; a cold scenario is prepared, scored and its slices found on the first visit
MOVED = re.compile(
    r"Since you chose it, your slice moved ([+-]\d+\.\d) points on its test items, ([+-]\d+\.\d\d) "
    r"points of the whole; its potential gain was (\d+\.\d\d)\."
)


def to_weak_slices(page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Find the weak slice").click()
    expect(page.get_by_role("heading", name="Find the weak slice", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Where the next hour goes: the priority table")).to_be_visible(
        timeout=FIRST_DRAW
    )


def moved(main) -> tuple[str, str, str]:
    """The chosen slice's move as the page writes it: (on its test items, of the whole, its potential gain)."""
    info = main.get_by_test_id("stAlertContentInfo").filter(has_text="Since you chose it, your slice moved")
    expect(info).to_have_text(MOVED)
    return MOVED.search(info.inner_text()).groups()


def grid_cell(grid, row_name: str, column: str):
    """A cell of a Streamlit dataframe, read from the accessibility table Glide draws inside its canvas (the
    grid itself is painted; only the rows in view are in that table). Located by CSS on the ARIA roles: the
    table sits in the canvas's fallback content, which role locators count as hidden."""
    header = grid.locator('[role="columnheader"]').filter(has_text=re.compile(f"^{re.escape(column)}$"))
    expect(header).to_have_count(1)
    index = header.get_attribute("aria-colindex")
    named = re.compile(f"^{re.escape(row_name)}$")
    first = grid.page.locator('[role="gridcell"][aria-colindex="1"]').filter(has_text=named)
    row = grid.locator('[role="row"]').filter(has=first)
    expect(row).to_have_count(1)
    return row.locator(f'[role="gridcell"][aria-colindex="{index}"]')


@pytest.mark.e2e
def test_from_the_sidebar_to_the_weak_slices_and_their_lesson(app_server, page):
    page.goto(f"{app_server.url}/?dataset=digits&noise=systematic&rate=30&seed=0")
    wait_page_drawn(page)
    main = page.get_by_test_id("stMain")
    to_weak_slices(page)
    expect(page.get_by_role("heading", name="The weakest slices")).to_be_visible()
    expect(main.get_by_test_id("stDataFrame")).to_have_count(3)  # discovery, the priority table, Ng's example
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    top = main.get_by_role("combobox", name="Work on a slice (the table's order)").input_value()
    main.get_by_role("button", name="Review this slice").click()
    expect(page.get_by_role("heading", name="Fix the labels", level=1)).to_be_visible()
    chosen = page.get_by_text("Reviewing only the slice chosen on Find the weak slice:")
    expect(chosen).to_be_visible(timeout=FIRST_DRAW)
    expect(main.get_by_test_id("stText").filter(has_text=top).first).to_be_visible()
    wait_fix_labels_loaded(page)
    for taken in range(1, 4):  # fix a few labels of the slice: the review card's suggestion, three times
        accept_button(page).click()
        expect(metric_value(page, "Actions taken")).to_have_text(str(taken))
        wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    to_weak_slices(page)
    expect(main.get_by_text("Since you chose it, your slice moved")).to_be_visible(timeout=FIRST_DRAW)
    wait_idle(page)
    on_items, of_whole, _ = moved(main)
    # On this scenario (systematic, 30 %, seed 0) the three accepted suggestions move the slice -0.7 points.
    assert on_items not in ("+0.0", "-0.0"), f"the slice did not move after three labels fixed in it: {on_items}"
    expect(main.get_by_test_id("stText").filter(has_text=re.compile(f"^{re.escape(top)}$"))).to_have_count(1)
    priority = main.get_by_test_id("stDataFrame").nth(1)
    measured = grid_cell(priority, top, "measured gain (points)")
    expect(measured).to_have_text(re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?$"))  # the raw value, not blank
    assert f"{float(measured.text_content()):+.2f}" == of_whole  # the table's gain is the info's, points of the whole
    expect(page.get_by_test_id("stException")).to_have_count(0)
    main.get_by_role("link", name="Read it").click()
    expect(page.get_by_role("heading", name="Analyse data slices")).to_be_visible()


@pytest.mark.e2e
def test_the_under_represented_slice_is_found_collected_measured_and_kept_after_a_reload(app_server, page):
    page.goto(f"{app_server.url}/?dataset=digits&noise=uniform&rate=20&seed=0")
    wait_page_drawn(page)
    main = page.get_by_test_id("stMain")
    main.get_by_role("radiogroup", name="Noise kind").get_by_text("Under-represented slice", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]noise=scarce(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]reserve=10(&|$)"))  # the kind brings its reserve of other rows
    wait_idle(page)
    rate = main.get_by_role("slider", name="Noise rate (% of training labels made wrong)")
    rate.focus()
    rate.press("Home")  # under-representation alone, no wrong labels
    expect(page).to_have_url(re.compile(r"[?&]rate=0(&|$)"))
    wait_idle(page)
    expect(main.get_by_text("training rows are held back")).to_be_visible(timeout=FIRST_DRAW)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    to_weak_slices(page)
    wait_idle(page, FIRST_DRAW)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    top = main.get_by_role("combobox", name="Work on a slice (the table's order)").input_value()
    assert top.startswith("class is 7 and slant"), f"the planted slice is not at the top: {top}"
    main.get_by_role("button", name="Collect more data for this slice").click()
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        "Collected 30 rows from the reserve into training", timeout=FIRST_DRAW
    )
    expect(main.get_by_text("Since you chose it, your slice moved +")).to_be_visible()
    wait_idle(page)
    on_items, of_whole, _ = moved(main)
    assert float(on_items) > 0 and float(of_whole) > 0, f"collecting the slice did not lift it: {on_items}, {of_whole}"
    assert workspace_of(page) and "ws=" not in page.url  # the first action made a workspace, kept by the browser

    page.reload()
    wait_page_drawn(page)
    expect(page.get_by_role("heading", name="Where the next hour goes: the priority table")).to_be_visible(
        timeout=FIRST_DRAW
    )
    wait_idle(page)
    undo = main.get_by_role("button", name="Undo the last collection (30 rows)")
    expect(undo).to_be_visible()  # the workspace kept the collection
    expect(main.get_by_text("Since you chose it, your slice moved +")).to_be_visible()  # and the slice chosen
    assert main.get_by_role("combobox", name="Work on a slice (the table's order)").input_value() == top
    expect(page.get_by_test_id("stException")).to_have_count(0)
    undo.click()
    expect(undo).to_have_count(0)
    wait_idle(page)

    replay = main.get_by_role("switch", name="Replay it")
    main.get_by_text("Replay it", exact=True).click()  # the label: it covers the switch's input
    expect(replay).to_be_checked()
    expect(main.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=FIRST_DRAW)
    wait_idle(page)
    line = main.get_by_test_id("stText").filter(has_text="after 30 rows")
    expect(line).to_have_count(1)
    expect(line).to_have_text(re.compile(r"^the top slice: .*; random rows: .*; the lowest-priority slice: "))
    expect(page.get_by_test_id("stException")).to_have_count(0)
