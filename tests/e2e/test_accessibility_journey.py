"""Every page through axe-core in a real browser, in the light and the dark theme: no critical or serious violation.

What AppTest cannot show: what Streamlit's frontend draws from our calls (an image without alt text, a caption's
contrast against the theme's background, the headings' levels, the tab's title). axe-core is the accessibility
engine from the npm registry, pinned in package.json and package-lock.json (version and integrity hash) and
installed by scripts/test.sh (`npm ci`); the app's content security policy allows inline scripts only, so its
source goes into the page as an inline script tag.

The theme: Streamlit 1.67 follows the browser's colour scheme when the app forces none (its settings menu offers
light, dark and the system's), so each theme is a browser context with Chromium's ``color_scheme``, and the test
checks that the page really drew that theme before it asks axe.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from datacentric.present.lessons import load_lessons
from tests.e2e.harness import REPO, wait_fix_labels_loaded, wait_idle, wait_page_drawn
from tests.e2e.test_classroom_journey import _server, open_room, sign_in

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = json.loads((REPO / "package.json").read_text())["devDependencies"]["axe-core"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = ("critical", "serious")
TITLE = "Data-Centric Playground"
FIRST_DRAW = 120_000  # ms; a cold server prepares each page's scenario on its first visit, on 2 shared cores

# Rules switched off, one element each, for markup Streamlit's own frontend draws and no call of ours can change.
# Each entry: the rule, the CSS of Streamlit's element it is off for, and why.
STREAMLIT_OWN: list[tuple[str, str, str]] = []

LESSON = load_lessons()[0]
# (the page's name in the navigation, its path, its h1)
PAGES = [
    ("Home", "", TITLE),
    ("Tune the model", "tune_model", "Tune the model"),
    ("Fix the labels", "fix_labels", "Fix the labels"),
    ("Find the weak slice", "weak_slices", "Find the weak slice"),
    ("Label consistently", "consistency", "Label consistently"),
    ("After deployment", "deployment", "After deployment"),
    ("Compare", "compare", "Compare"),
    ("Your data", "your_data", "Your data"),
    ("Learn", f"learn?lesson={LESSON.slug}", "Learn"),
    ("Class", "classroom", "Class"),
    ("Teach", "teach", "Teach"),
]

# Vega draws a chart after the run that sent it, and an image loads after it is in the page: the page is drawn when
# every chart has its marks and every image its pixels.
DRAWN = """() => !document.querySelector('[data-testid="stSkeleton"]')
               && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                     .every((chart) => chart.querySelector('canvas.marks, svg.marks'))
               && [...document.querySelectorAll('img')].every((img) => img.complete)"""
RUN_AXE = """async ([tags, off]) => {
    const rules = Object.fromEntries(off.map((rule) => [rule, {enabled: false}]));
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations']});
    return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                          targets: v.nodes.map((n) => n.target.join(' ')),
                                          summary: v.nodes.slice(0, 1).map((n) => n.failureSummary).join('')}));
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app with the instructor passcode set, so Teach can be signed in to and hold a room."""
    server = _server(tmp_path_factory.mktemp("accessibility"))
    yield server
    server.stop()


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is not installed at {AXE}: run `npm ci` in {REPO} (scripts/test.sh does).", pytrace=False
        )
    return AXE.read_text()


def wait_drawn(page, name: str, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=FIRST_DRAW)
    wait_page_drawn(page, timeout=FIRST_DRAW)
    if name == "Fix the labels":
        wait_fix_labels_loaded(page, timeout=FIRST_DRAW)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=FIRST_DRAW)
    expect(page.get_by_test_id("stSpinner")).to_have_count(0, timeout=FIRST_DRAW)
    wait_idle(page, timeout=FIRST_DRAW)
    page.wait_for_function(DRAWN, timeout=FIRST_DRAW)


def background_luminance(page) -> float:
    """The app's background as relative luminance (0 black, 1 white)."""
    rgb = page.get_by_test_id("stApp").evaluate("(el) => getComputedStyle(el).backgroundColor")
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def run_axe(page, source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)  # inline: the policy allows the page's own inline scripts, nothing else
    assert page.evaluate("() => window.axe && window.axe.version") == AXE_VERSION, "axe-core did not load in the page"
    return page.evaluate(RUN_AXE, [TAGS, [rule for rule, _, _ in STREAMLIT_OWN]])


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['targets'])} elements) {v['help']}")
            lines += [f"    {t}" for t in v["targets"][:5]]
            lines.append(f"    {v['summary'][:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_has_no_critical_or_serious_accessibility_violation(server, browser, theme):
    source = axe_source()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=theme)
    context.set_default_timeout(FIRST_DRAW)
    try:
        page = context.new_page()
        sign_in(page, server.url)  # Teach, signed in with a room: its instructor's pages are drawn too
        open_room(page, "Accessibility")
        found: dict[str, list[dict]] = {}
        titles = {}
        for name, path, heading in PAGES:
            page.goto(f"{server.url}/{path}")
            wait_drawn(page, name, heading)
            luminance = background_luminance(page)
            assert (luminance > 0.5) == (theme == "light"), f"{name} drew the wrong theme (luminance {luminance:.2f})"
            titles[name] = page.title()
            found[name] = run_axe(page, source)
        print(f"\naxe-core {AXE_VERSION}, {theme} theme:")
        print(describe(found) or "no violation")
        failing = {name: [v for v in vs if v["impact"] in FAILING] for name, vs in found.items()}
        failing = {name: vs for name, vs in failing.items() if vs}
        assert not failing, f"critical or serious violations in the {theme} theme:\n{describe(failing)}"
        assert titles == {name: f"{name} · {TITLE}" for name, _, _ in PAGES}
    finally:
        context.close()
