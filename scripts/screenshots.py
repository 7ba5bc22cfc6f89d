"""README screenshots of Fix the labels and Compare on the default scenario, from a running app.

Run: python -m streamlit run app.py --server.headless true & python scripts/screenshots.py [URL]
"""
import re
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/fix_labels")
        accept = page.get_by_role("button", name=re.compile(r"^Accept suggestion: "))
        expect(accept).to_be_visible(timeout=60_000)
        accept.click()
        expect(page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stAlertContentSuccess"))).to_be_visible()
        page.wait_for_timeout(2000)
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
