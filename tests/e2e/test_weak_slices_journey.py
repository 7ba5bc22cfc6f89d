"""Find the weak slice in a real browser: reached from the sidebar, its tables drawn, its lesson one click away."""
import pytest
from playwright.sync_api import expect

from tests.e2e.harness import metric_value, wait_idle, wait_routed


@pytest.mark.e2e
def test_from_the_sidebar_to_the_weak_slices_and_their_lesson(app_server, page):
    page.goto(f"{app_server.url}/?dataset=digits&noise=systematic&rate=30&seed=0")
    wait_routed(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Find the weak slice").click()
    expect(page.get_by_role("heading", name="Find the weak slice", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="The weakest slices")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Where the next hour goes: the priority table")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(3)  # discovery, the priority table, Ng's example
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    top = page.get_by_role("combobox", name="Work on a slice (the table's order)").input_value()
    page.get_by_role("button", name="Review this slice").click()
    expect(page.get_by_role("heading", name="Fix the labels", level=1)).to_be_visible()
    expect(page.get_by_text("Reviewing only the slice chosen on Find the weak slice:")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stText").filter(has_text=top).first).to_be_visible()
    page.get_by_role("button", name="Label is right").click()
    expect(metric_value(page, "Actions taken")).to_have_text("1")
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Find the weak slice").click()
    expect(page.get_by_text("Since you chose it, your slice moved")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.get_by_role("link", name="Read it").click()
    expect(page.get_by_role("heading", name="Analyse data slices")).to_be_visible()
