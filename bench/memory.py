"""Server memory with 1 and with 10 learners on Fix the labels (budget: under 5 MiB per extra session).

One server on a fresh store; each learner is its own browser context (its own Streamlit session)
that opened Home for digits with 20 % uniform noise, went to Fix the labels through the sidebar
and waited until it was fully drawn. The first learner warms the shared caches. Memory is the
resident set (RSS) of the server process and its children. Prints MiB idle, with 1 and with 10
sessions, and the growth per extra session.
Run: python bench/memory.py
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import expect, sync_playwright

from tests.e2e.harness import AppServer, launch_chromium, rss_mib, wait_fix_labels_loaded  # noqa: E402

SESSIONS = 10
SCENARIO = "?dataset=digits&noise=uniform&rate=20&seed=0"


def open_learner(browser, server: AppServer):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server.url + "/" + SCENARIO)
        expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible(timeout=60_000)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Fix the labels").click()
        wait_fix_labels_loaded(page)
    except (AssertionError, PlaywrightError) as error:
        sys.exit(f"Fix the labels did not finish drawing: {error}\n--- server output ---\n{server.output()}")
    return context


def main() -> None:
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch_chromium(playwright)
        with AppServer(Path(tmp)) as server:
            idle = rss_mib(server.pid)
            contexts = [open_learner(browser, server)]
            one = rss_mib(server.pid)
            print(f"idle server: {idle:.1f} MiB", flush=True)
            print(f"1 session (warm): {one:.1f} MiB", flush=True)
            while len(contexts) < SESSIONS:
                contexts.append(open_learner(browser, server))
            many = rss_mib(server.pid)
            print(f"{SESSIONS} sessions: {many:.1f} MiB", flush=True)
            print(f"growth per extra session: {(many - one) / (SESSIONS - 1):.2f} MiB (budget 5 MiB)")
            for context in contexts:
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
