"""The screenshots of Fix the labels and Compare (README.md, docs/pages.md) on the default scenario, from a running
app. On Fix the labels, three cards are played as a careful person would: the label set to the digit the image
shows (its true label).

Run: python -m streamlit run app.py --server.headless true & python scripts/screenshots.py [URL]
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from datacentric.findings.review import class_keys  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT  # noqa: E402
from tests.e2e.harness import metric_value, wait_fix_labels_loaded, wait_idle  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/fix_labels")
        lab = prepare(DEFAULT)
        keys = class_keys(lab.dataset.classes)
        wait_fix_labels_loaded(page)
        card = page.get_by_text(re.compile(r"^Review item \d+")).first
        for n in range(1, 4):
            item = int(re.search(r"\d+", card.inner_text()).group())
            page.keyboard.press(keys[int(lab.true_labels[item])])  # the digit's own number key
            expect(metric_value(page, "Actions taken")).to_have_text(str(n))
            wait_idle(page)
        page.screenshot(path=DOCS / "fix-the-labels.png")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Compare").click()
        page.get_by_role("button", name="Replay the experiment").click()
        expect(page.get_by_text(re.compile(r"^(Fixing the data|Tuning the model) won"))).to_be_visible(timeout=120_000)
        page.get_by_test_id("stTable").last.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(2000)
        page.screenshot(path=DOCS / "compare.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501")
