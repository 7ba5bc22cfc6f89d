"""A read-only view link: a second browser sees the owner's work, live, and cannot change it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import WORKSPACE_COOKIE, metric_value, wait_fix_labels_loaded, wait_idle, workspace_of
from tests.e2e.test_fix_labels_journey import (
    SCENARIO,
    accept_button,
    expect_figures,
    figures,
    go_to_fix_labels,
    query,
    take_action,
    take_three_actions,
)


def view_link_box(page):
    """The sidebar's read-only link (an ``st.code`` block), its expander opened."""
    sidebar = page.get_by_test_id("stSidebar")
    toggle = sidebar.get_by_text("Show your work (read-only link)")
    toggle.wait_for()
    box = sidebar.get_by_test_id("stCode").filter(has_text="view=")
    if not box.is_visible():
        toggle.click()
    return box


@pytest.mark.e2e
def test_a_second_browser_with_the_read_only_link_sees_the_work_and_cannot_act(app_server, new_page):
    owner = new_page()
    owner.goto(f"{app_server.url}/?dataset=digits&noise=systematic&rate=30&seed=0")
    wait_idle(owner)
    go_to_fix_labels(owner)
    take_three_actions(owner)
    done = figures(owner)
    ws = workspace_of(owner)
    link = view_link_box(owner).inner_text().strip()
    assert query(link) == SCENARIO | {"view": query(link)["view"]} and ws not in link

    viewer = new_page()  # another browser: no cookie, only the link
    viewer.goto(link)
    expect(viewer.get_by_text("You are looking at someone's work through a read-only link")).to_be_visible()
    wait_idle(viewer)
    go_to_fix_labels(viewer)
    expect_figures(viewer, done)  # the owner's work, as it is
    assert query(viewer.url)["view"] == query(link)["view"]  # still a view after moving between pages
    for name in (re.compile("^Accept suggestion"), "Label is right", "Remove from training", "Undo last action"):
        expect(viewer.get_by_role("button", name=name)).to_be_disabled()
    expect(viewer.get_by_text("Your resume code (private)")).to_have_count(0)  # the code that opens it for writing
    assert ws not in viewer.inner_text("body")
    viewer.keyboard.press("u")  # the Undo shortcut does nothing either
    viewer.get_by_test_id("stSidebarNav").get_by_role("link", name="Tune the model").click()
    expect(viewer.get_by_role("button", name="Train", exact=True)).to_be_disabled()
    kept = [c["value"] for c in viewer.context.cookies() if c["name"] == WORKSPACE_COOKIE]
    assert ws not in kept  # never this browser's own: it keeps only the id of its own work to come

    owner.reload()
    wait_fix_labels_loaded(owner)
    expect_figures(owner, done)  # nothing the viewer did changed the work
    take_action(owner, accept_button(owner), 4)
    viewer.goto(link.replace("/?", "/fix_labels?"))
    wait_fix_labels_loaded(viewer)
    expect(metric_value(viewer, "Actions taken")).to_have_text("4")  # the view follows the work
