"""Seconds from `streamlit run app.py` to the first page drawn in Chromium, against a bare one-line app.

Budget: the first page within 1.5 times a bare Streamlit app's first render, both measured in one run
(turns alternate, so a busy machine slows both alike). Each run starts a fresh server process on a fresh
store; the browser is already open. A first run starts with no figures kept on disk (the first start on a machine,
or after an upgrade: Home computes them and keeps them, datacentric/present/first_page.py); the runs after it find them.
Figures from the launch: the server answers /_stcore/health; Home's title is visible; Home's three accuracy metrics show
their figures (the page is ready to use); for the
bare app (``st.write("Hello")``), its text is visible. Then a second visitor opens each app on the process the
first one warmed (a class arriving after its first learner), timed from its page load to the same marks. Prints
each run, the medians of 3 and the ratios.
Run: python bench/startup.py
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.harness import AppServer, launch_chromium  # noqa: E402

RUNS = 3
BARE = 'import streamlit as st\nst.write("Hello")\n'  # the bare app's one line
TIMEOUT = 60_000  # ms
METRICS = ("Trained on noisy labels", "Trained on clean labels", "Most-frequent-class floor")  # Home's figures
# What each mark waits for, checked in the page on every animation frame: an assertion's polling (100 ms, then
# 250, 500, 1000) would add up to a second to a figure.
TITLE = "() => [...document.querySelectorAll('h1')].some(h => h.innerText.includes('Data-Centric Playground'))"
FIGURES = "() => " + " && ".join(
    f"[...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => m.innerText.includes('{label}') && "
    "/%$/.test((m.querySelector('[data-testid=\"stMetricValue\"]') || {}).innerText || ''))"
    for label in METRICS
)
HELLO = "() => [...document.querySelectorAll('p')].some(p => p.innerText.trim() === 'Hello')"


def shown(page, condition: str) -> None:
    page.wait_for_function(condition, polling="raf", timeout=TIMEOUT)


def one_run(browser, workdir: Path, figures: Path) -> tuple[float, float, float]:
    # The default file watcher, as a plain `streamlit run` has; Home's figures kept in ``figures``.
    server = AppServer(workdir, env={"DCP_FIGURES_DIR": str(figures)})
    page = browser.new_page()
    try:
        start = time.perf_counter()
        server.launch()
        server.wait_healthy()
        healthy = time.perf_counter() - start
        page.goto(server.url)
        shown(page, TITLE)
        titled = time.perf_counter() - start
        shown(page, FIGURES)
        drawn = time.perf_counter() - start
        second = browser.new_page()  # the next learner of the class, on the process the first one warmed
        start = time.perf_counter()
        second.goto(server.url)
        shown(second, FIGURES)
        warm = time.perf_counter() - start
        second.close()
    finally:
        page.close()
        server.stop()
    return healthy, titled, drawn, warm


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
        shown(page, HELLO)
        cold = time.perf_counter() - start
        second = browser.new_page()
        start = time.perf_counter()
        second.goto(server.url)
        shown(second, HELLO)
        second.close()
        return cold, time.perf_counter() - start
    finally:
        page.close()
        server.stop()


def main() -> None:
    runs, bare = [], []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch_chromium(playwright)
        figures = Path(tmp) / "figures"  # empty: the first start on a machine computes Home's figures and keeps them
        first_bare = bare_run(browser, Path(tmp) / "bare-first")
        first = one_run(browser, Path(tmp) / "first", figures)
        print(
            f"first start on this machine (no figures kept yet): bare app drawn {first_bare[0]:.2f} s; app: title "
            f"{first[1]:.2f} s, metrics drawn {first[2]:.2f} s (ratio {first[2] / first_bare[0]:.2f})",
            flush=True,
        )
        for i in range(RUNS):
            bare.append(bare_run(browser, Path(tmp) / f"bare{i}"))
            runs.append(one_run(browser, Path(tmp) / f"run{i}", figures))
            print(
                f"run {i + 1}: bare app drawn {bare[-1][0]:.2f} s (next visitor {bare[-1][1]:.2f} s); app: health "
                f"{runs[-1][0]:.2f} s, title {runs[-1][1]:.2f} s, metrics drawn {runs[-1][2]:.2f} s (next visitor "
                f"{runs[-1][3]:.2f} s)",
                flush=True,
            )
        browser.close()
    healthy, titled, drawn, warm = (statistics.median(r[k] for r in runs) for k in range(4))
    plain, plain_warm = (statistics.median(b[k] for b in bare) for k in range(2))
    print(
        f"startup, every later start (Home's figures kept on disk), median of {RUNS}: bare app drawn {plain:.2f} s; "
        f"app: health {healthy:.2f} s, title {titled:.2f} s, "
        f"first page drawn (metrics) {drawn:.2f} s; ratio to the bare app: title {titled / plain:.2f}, "
        f"metrics {drawn / plain:.2f} (budget 1.5)"
    )
    print(
        f"the next visitor on the same process: bare app {plain_warm:.2f} s, app's metrics drawn {warm:.2f} s "
        f"(ratio {warm / plain_warm:.2f})"
    )


if __name__ == "__main__":
    main()
