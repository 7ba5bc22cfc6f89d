"""Seconds from `streamlit run app.py` to the first page drawn in Chromium, against a bare one-line app.

Budget: the first page within 1.5 times a bare Streamlit app's first render, both measured in one run
(turns alternate, so a busy machine slows both alike). Each run starts a fresh server process on a fresh
store; the browser is already open. Figures from the launch: the server answers /_stcore/health; Home's
title is visible; Home's three accuracy metrics show their figures (the page is ready to use); for the
bare app (``st.write("Hello")``), its text is visible. Prints each run, the medians of 3 and the ratio.
Run: python bench/startup.py
"""
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.e2e.harness import AppServer, launch_chromium, metric_value  # noqa: E402

RUNS = 3
BARE = 'import streamlit as st\nst.write("Hello")\n'  # the bare app's one line
TIMEOUT = 60_000  # ms
METRICS = ("Trained on noisy labels", "Trained on clean labels", "Most-frequent-class floor")  # Home's figures


def one_run(browser, workdir: Path) -> tuple[float, float, float]:
    server = AppServer(workdir)  # the default file watcher, as a plain `streamlit run` has
    page = browser.new_page()
    try:
        start = time.perf_counter()
        server.launch()
        server.wait_healthy()
        healthy = time.perf_counter() - start
        page.goto(server.url)
        expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible()
        titled = time.perf_counter() - start
        for label in METRICS:
            expect(metric_value(page, label)).to_have_text(re.compile(r"%$"))
        drawn = time.perf_counter() - start
    finally:
        page.close()
        server.stop()
    return healthy, titled, drawn


def bare_run(browser, workdir: Path) -> float:
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "bare.py"
    script.write_text(BARE)
    server = AppServer(workdir, script=str(script))
    page = browser.new_page()
    try:
        start = time.perf_counter()
        server.launch()
        server.wait_healthy()
        page.goto(server.url)
        expect(page.get_by_text("Hello", exact=True)).to_be_visible()
        return time.perf_counter() - start
    finally:
        page.close()
        server.stop()


def main() -> None:
    expect.set_options(timeout=TIMEOUT)
    runs, bare = [], []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch_chromium(playwright)
        for i in range(RUNS):
            bare.append(bare_run(browser, Path(tmp) / f"bare{i}"))
            healthy, titled, drawn = one_run(browser, Path(tmp) / f"run{i}")
            runs.append((healthy, titled, drawn))
            print(f"run {i + 1}: bare app drawn {bare[-1]:.2f} s; app: health {healthy:.2f} s, title {titled:.2f} s, "
                  f"metrics drawn {drawn:.2f} s", flush=True)
        browser.close()
    healthy, titled, drawn = (statistics.median(r[k] for r in runs) for k in range(3))
    plain = statistics.median(bare)
    print(f"startup, median of {RUNS}: bare app drawn {plain:.2f} s; app: health {healthy:.2f} s, title {titled:.2f} s, "
          f"first page drawn (metrics) {drawn:.2f} s; ratio to the bare app: title {titled / plain:.2f}, "
          f"metrics {drawn / plain:.2f} (budget 1.5)")


if __name__ == "__main__":
    main()
