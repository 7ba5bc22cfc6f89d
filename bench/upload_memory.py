"""Server memory when a class brings big files: 8 learners, each a distinct maximum-size CSV, at once.

Each learner is a browser context (its own Streamlit session) that opens Your data, uploads its own
file (50,000 rows x 200 columns, just under the 50 MB limit), presses "Use this dataset" and waits
for Fix the labels. Memory is the resident set (RSS) of the server process tree, sampled every
0.2 s: idle, the peak while the learners work, when all are on Fix the labels, and after every
browser closed (at +10 s, and once Streamlit has dropped the disconnected sessions, after its
server.disconnectedSessionTTL of 120 s; with --idle, once more after the cache's idle time, when
unused entries have left). The learners' cache budget is DCP_CACHE_MB.

Run: python bench/upload_memory.py [--learners 8] [--cache-mb 1024] [--idle] [--app-dir DIR]
(--app-dir runs another checkout of the app, e.g. `git worktree add /tmp/before <commit>`, for a before/after.)
"""

import argparse
import asyncio
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import async_playwright, expect  # noqa: E402

from datacentric.ui.services import IDLE_SECONDS  # noqa: E402
from tests.e2e import harness  # noqa: E402

ROWS, COLUMNS = 50_000, 200
LIMIT_BYTES = 50 * 2**20
TIMEOUT = 900_000  # ms: eight 50 MB files on two cores take minutes
SESSION_TTL = 120  # s, Streamlit's server.disconnectedSessionTTL default


def max_size_file(path: Path, seed: int) -> Path:
    """A distinct CSV of ROWS rows: COLUMNS - 1 numbers in 0-9.99 and a 3-class label they predict a little."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, ROWS)
    numbers = np.round(rng.uniform(0, 10, (ROWS, COLUMNS - 1)) + labels[:, None] * 0.3, 2) % 10
    frame = pd.DataFrame(numbers, columns=[f"x{i}" for i in range(COLUMNS - 1)])
    frame["label"] = np.array(["low", "mid", "high"])[labels]
    frame.to_csv(path, index=False, float_format="%.2f")
    assert path.stat().st_size <= LIMIT_BYTES, f"{path.stat().st_size / 2**20:.1f} MB is over the upload limit"
    return path


class Sampler(threading.Thread):
    """RSS of the server tree every 0.2 s; ``peak`` since the last ``reset``."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, harness.rss_mib(self.pid))
            time.sleep(0.2)

    def reset(self) -> float:
        self.peak = harness.rss_mib(self.pid)
        return self.peak


async def learner(browser, url: str, path: Path, timings: list) -> object:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url + "/your_data")
    await expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible(timeout=TIMEOUT)
    await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    use = page.get_by_role("button", name="Use this dataset")
    await expect(use).to_be_enabled(timeout=TIMEOUT)
    await use.click()
    await expect(page).to_have_url(re.compile(r"/fix_labels\?"), timeout=TIMEOUT)
    await expect(page.get_by_role("button", name=re.compile(r"^Accept suggestion: "))).to_be_visible(timeout=TIMEOUT)
    timings.append(time.perf_counter() - start)
    return context


async def run(args, files: list[Path], workdir: Path) -> None:
    if args.cache_mb:
        os.environ["DCP_CACHE_MB"] = str(args.cache_mb)
    if args.app_dir:
        harness.REPO = Path(args.app_dir).resolve()  # the checkout AppServer starts
    server = harness.AppServer(workdir, watch_files=False).start(timeout=120)
    sampler = Sampler(server.pid)
    sampler.start()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=harness.chromium_path(), args=harness.CHROMIUM_ARGS
            )
            warm = await learner_home(browser, server.url)
            idle = sampler.reset()
            timings: list[float] = []
            start = time.perf_counter()
            contexts = await asyncio.gather(*(learner(browser, server.url, f, timings) for f in files))
            wall = time.perf_counter() - start
            all_on_fix = harness.rss_mib(server.pid)
            peak = sampler.peak
            for context in [*contexts, warm]:
                await context.close()
            await browser.close()
        await asyncio.sleep(10)
        after_10 = harness.rss_mib(server.pid)
        await asyncio.sleep(SESSION_TTL + 20)
        after_ttl = harness.rss_mib(server.pid)
        after_idle = None
        if args.idle:  # entries unused for IDLE_SECONDS leave at the cache's next sweep (every 60 s)
            await asyncio.sleep(IDLE_SECONDS + 90 - SESSION_TTL - 30)
            after_idle = harness.rss_mib(server.pid)
    finally:
        sampler.running = False
        server.stop()
    budget = f"DCP_CACHE_MB={args.cache_mb}" if args.cache_mb else "the default DCP_CACHE_MB"
    print(
        f"app: {harness.REPO}; {len(files)} learners, each a distinct {files[0].stat().st_size / 2**20:.1f} MB file "
        f"({ROWS:,} rows x {COLUMNS} columns); {budget}"
    )
    print(f"all on Fix the labels after {wall:.0f} s (each learner: {min(timings):.0f}-{max(timings):.0f} s)")
    print(
        f"server RSS: idle {idle:.0f} MiB | peak {peak:.0f} MiB | all on Fix the labels {all_on_fix:.0f} MiB | "
        f"10 s after every browser closed {after_10:.0f} MiB | after the disconnected sessions expired "
        f"({SESSION_TTL + 30} s) {after_ttl:.0f} MiB"
    )
    print(f"held after close, above idle: {after_ttl - idle:.0f} MiB")
    if after_idle is not None:
        print(
            f"after the cache's idle time ({IDLE_SECONDS // 60} min unused, +90 s): {after_idle:.0f} MiB, "
            f"{after_idle - idle:.0f} MiB above idle"
        )


async def learner_home(browser, url: str):
    """One visit before the learners come, so 'idle' includes the imports every page needs."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url + "/")
    await expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible(timeout=TIMEOUT)
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--cache-mb", type=int, default=None, help="DCP_CACHE_MB for the server (default: the app's)")
    parser.add_argument("--idle", action="store_true", help="also wait out the cache's idle time (16.5 min more)")
    parser.add_argument("--app-dir", default=None, help="another checkout of the app to start instead of this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [max_size_file(Path(tmp) / f"learner{i}.csv", seed=i) for i in range(args.learners)]
        asyncio.run(run(args, files, Path(tmp) / "server"))


if __name__ == "__main__":
    main()
