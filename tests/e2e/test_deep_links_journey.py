"""A deep link is a fresh server's first request, for every page: a shared link, a bookmark, a class's handout opened
right after a deploy. The page loads once, straight through frame/navigation.py: its heading, the tab's title and the
shared sidebar are drawn, the URL keeps its scenario, and the address never leaves the page on the way (Streamlit,
had it discovered pages/ by itself, would run the page alone first and go round through the main page)."""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from datacentric.lab.scenario import Scenario
from tests.e2e.harness import wait_idle

SCENARIO = Scenario("wine", "uniform", 20, 3)  # not the default: a scenario read from the URL, not one fallen back to
PAGES = [  # URL path, the page's heading, its title in navigation.py
    ("", "Data-Centric Playground", "Home"),
    ("tune_model", "Tune the model", "Tune the model"),
    ("fix_labels", "Fix the labels", "Fix the labels"),
    ("weak_slices", "Find the weak slice", "Find the weak slice"),
    ("consistency", "Label consistently", "Label consistently"),
    ("deployment", "After deployment", "After deployment"),
    ("compare", "Compare", "Compare"),
    ("your_data", "Your data", "Your data"),
    ("learn", "Learn", "Learn"),
    ("classroom", "Class", "Class"),
    ("teach", "Teach", "Teach"),
]
# Every address the page's history takes, from its first load on: a page switch pushes one, a URL's update replaces it.
RECORD_PATHS = """
window.paths = [location.pathname];
for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
        const result = original.apply(this, args);
        window.paths.push(location.pathname);
        return result;
    };
}
"""


@pytest.mark.e2e
@pytest.mark.parametrize("path, heading, title", PAGES, ids=[p or "home" for p, _, _ in PAGES])
def test_a_fresh_servers_first_request_opens_the_page_with_its_scenario(fresh_server, page, path, heading, title):
    page.add_init_script(RECORD_PATHS)
    query = urlencode(SCENARIO.to_params())
    page.goto(f"{fresh_server.url}/{path}?{query}")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=90_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Share this scenario")).to_be_visible()
    expect(sidebar.get_by_test_id("stText").first).to_have_text(SCENARIO.describe())
    wait_idle(page, timeout=90_000)
    expect(page).to_have_title(f"{title} · Data-Centric Playground")
    expect(page).to_have_url(re.compile(re.escape(f"/{path}?{query}") + "$"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert set(page.evaluate("window.paths")) == {f"/{path}"}, "the page went round through another address"
