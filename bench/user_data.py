"""Seconds from uploading a learner's 20,000-row text CSV to the first ranked queue (budget: 15 s), and one label
action.

The CSV is synthetic and seeded (bench/make_text_csv.py: reviews of 20-120 words, a category,
a price, a label column about 20 % wrong and a true_label column), written to a temporary
directory. Three parts:
- core, no Streamlit: each step the page runs, timed on its own (read_csv, detect roles, build,
  prepare = split + encode, out-of-fold probabilities, rank), then the two fits Fix the labels
  draws first (scores on the given and the true labels), then one label action as the page's
  callback does it (store append + replay + retrain + score), median over fresh labels each time;
- browser: a real server and Chromium. On /your_data, set_input_files the CSV, wait for "Use this
  dataset" to be enabled, click it, wait for the first ranked queue (the "Accept suggestion"
  button). Meanwhile the page samples every 250 ms whether any progress indicator is visible
  (Streamlit's running icon, a spinner, the running st.status, the uploading file's spinner); the
  longest stretch without one is printed. Each run is a new browser session (a new workspace)
  on one server, with a file of its own (seed = run), so no cache helps;
- one label action in the browser: click "Accept suggestion", wait until "Actions taken" changes.
Run: python bench/user_data.py [--rows N] [--runs K]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_text_csv import make  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from datacentric.data import featurize, tables, userdata  # noqa: E402
from datacentric.findings import issues  # noqa: E402
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.modelling import oof  # noqa: E402
from tests.e2e.harness import (  # noqa: E402
    AppServer,
    accept_button,
    launch_chromium,
    metric_value,
    wait_fix_labels_loaded,
    wait_idle,
)

BUDGET = 15.0  # seconds, upload -> first ranked queue
CORE_ACTIONS = 10
BROWSER_ACTIONS = 5
TIMEOUT = 300_000  # ms; generous: a slow machine should print a slow figure, not a timeout
SAMPLE_MS = 250
DROPZONE = '[data-testid="stFileUploaderDropzoneInput"]'
# What a learner can see that says "working on it", by name; checked in the page every SAMPLE_MS.
INDICATORS = {
    "running icon": '[data-testid="stStatusWidgetRunningIcon"]',
    "spinner": '[data-testid="stSpinner"]',
    "st.status running": '[data-testid="stExpanderIconSpinner"]',
    "upload spinner": '[data-testid="stFileChipIconSpinner"]',
}
SAMPLER = """([indicators, every]) => {
  const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => e.checkVisibility());
  window.__progress = [];
  window.__sampler = setInterval(() => {
    const seen = Object.entries(indicators).filter(([, sel]) => visible(sel)).map(([name]) => name);
    window.__progress.push([performance.now(), seen]);
  }, every);
  return performance.now();
}"""
STOP_SAMPLER = "() => { clearInterval(window.__sampler); return [performance.now(), window.__progress]; }"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# --- core -------------------------------------------------------------------------------------------


def core_run(raw: bytes) -> tuple[dict, tuple]:
    """One pass of the page's pipeline on ``raw``; returns step -> seconds and the lab and queue."""
    steps = {}
    start = time.perf_counter()
    frame = tables.read_csv(raw, limits=tables.limits_from_env(), name="reviews.csv").frame
    steps["read_csv"] = time.perf_counter() - start

    t = time.perf_counter()
    roles = featurize.detect_roles(frame, exclude=("label", "true_label"))
    steps["detect roles"] = time.perf_counter() - t

    t = time.perf_counter()
    spec = userdata.UserSpec("label", "true_label", tuple((r.column, r.role) for r in roles))
    key = userdata.dataset_key("0" * 64, spec)
    dataset = userdata.build(frame, spec, key=key, title="reviews")
    steps["build"] = time.perf_counter() - t

    t = time.perf_counter()
    lab = prepare(Scenario(key, "none", 0, 0), dataset)
    steps["prepare (split + encode)"] = time.perf_counter() - t

    t = time.perf_counter()
    kept = np.ones(lab.n_train, dtype=bool)
    pred_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    steps[f"out-of-fold probabilities ({oof.FOLDS} fits)"] = time.perf_counter() - t

    t = time.perf_counter()
    queue = issues.rank_label_issues(lab.noisy_labels, pred_probs, kept)
    issues.estimate_issue_count(lab.noisy_labels, pred_probs, kept)  # the page's ranked_queue computes both
    steps["rank (quality + issue count)"] = time.perf_counter() - t
    steps["total"] = time.perf_counter() - start

    # Not in the status's steps: Fix the labels' first draw fits on the given labels (its "since
    # start" metric, before the queue shows) and on the true ones (the chart's ceiling, after it).
    t = time.perf_counter()
    given = train_and_score(lab, lab.noisy_labels)
    truth = train_and_score(lab, lab.true_labels)
    steps["Fix the labels' first draw (2 fits)"] = time.perf_counter() - t
    steps["accuracy given/true labels"] = (given.accuracy, truth.accuracy)
    return steps, (lab, queue)


def core_actions(lab, queue, tmp: Path) -> list[float]:
    """Label actions the way the page's callback does them; each on new labels, so no cache could help."""
    from action_latency import time_label_actions  # bench/ is on the path when a bench script runs

    return time_label_actions(lab, queue, f"sqlite:///{tmp / 'core.db'}", CORE_ACTIONS)


def core(raw: bytes, runs: int, tmp: Path) -> tuple[float, float]:
    t = time.perf_counter()
    import cleanlab.filter  # noqa: F401  (a server that has ranked anything has paid this already)
    import cleanlab.rank  # noqa: F401

    print(f"core: importing cleanlab (paid once per server process): {time.perf_counter() - t:.2f} s")
    results = []
    for i in range(runs):
        steps, (lab, queue) = core_run(raw)
        results.append(steps)
        given, truth = steps.pop("accuracy given/true labels")
        print(f"core run {i + 1}: " + ", ".join(f"{name} {s:.2f} s" for name, s in steps.items()), flush=True)
    print(
        f"core: {lab.n_train:,} training items, {lab.train_features.shape[1]:,} encoded features, "
        f"{lab.is_noisy.mean():.1%} of training labels wrong; test accuracy trained on given labels {given:.1%}, "
        f"on true labels {truth:.1%}"
    )
    print(f"core, median of {runs}:")
    for name in results[0]:
        print(f"  {name:<40} {statistics.median(r[name] for r in results):6.2f} s")
    actions = core_actions(lab, queue, tmp)
    print(
        f"core label action (store write + replay + retrain + score): median {ms(statistics.median(actions))}, "
        f"max {ms(max(actions))} over {CORE_ACTIONS} actions",
        flush=True,
    )
    return statistics.median(r["total"] for r in results), statistics.median(actions)


# --- browser ----------------------------------------------------------------------------------------


def longest_gap(samples: list, start: float, end: float) -> tuple[float, float]:
    """Longest run of samples in [start, end] (page clock, ms) that saw no indicator: (length, when it began).

    A run lasts from its first sample to the next sample that saw one (or ``end``): 0 when every
    sample saw one; the resolution is the sampling interval.
    """
    gap, began, empty_since = 0.0, start, None
    for at, seen in [s for s in samples if start <= s[0] <= end] + [(end, ["end"])]:
        if not seen and empty_since is None:
            empty_since = at
        elif seen and empty_since is not None:
            if at - empty_since > gap:
                gap, began = at - empty_since, empty_since
            empty_since = None
    return gap, began


def browser_run(browser, server: AppServer, csv_path: Path) -> dict:
    """Upload ``csv_path`` in a new session and prepare it; seconds from the upload, and the progress gaps."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/your_data")
        expect(page.locator(DROPZONE)).to_be_attached()
        wait_idle(page)
        use = page.get_by_role("button", name="Use this dataset")

        page_start = page.evaluate(SAMPLER, [INDICATORS, SAMPLE_MS])
        start = time.perf_counter()
        page.locator(DROPZONE).set_input_files(csv_path)
        expect(use).to_be_enabled()
        enabled = time.perf_counter() - start
        page_click = page.evaluate("performance.now()")
        use.click()
        expect(page.get_by_text("Preparing your dataset...")).to_be_visible()
        status = time.perf_counter() - start
        expect(accept_button(page)).to_be_visible()
        queue = time.perf_counter() - start
        page_end, samples = page.evaluate(STOP_SAMPLER)
        wait_fix_labels_loaded(page, TIMEOUT)
        loaded = time.perf_counter() - start
    except Exception:
        context.close()
        raise
    # Between the button being enabled and the click, the page waits for the learner: not a gap.
    (gap, began), phase = max(
        (longest_gap(samples, page_start, page_click), "before the click"),
        (longest_gap(samples, page_click, page_end), "after the click"),
    )
    timed = [names for at, names in samples if page_start <= at <= page_end]
    return {
        "enabled": enabled,
        "status": status,
        "queue": queue,
        "loaded": loaded,
        "gap": gap / 1000,
        "gap_at": (began - page_start) / 1000,
        "gap_phase": phase,
        "samples": len(timed),
        "without": sum(not names for names in timed),
        "seen": sorted({n for names in timed for n in names}),
        "page": page,
        "context": context,
    }


def browser_actions(page) -> list[float]:
    actions = metric_value(page, "Actions taken")
    times = []
    for _ in range(BROWSER_ACTIONS):
        wait_idle(page, TIMEOUT)
        before = actions.inner_text()
        button = accept_button(page)
        if not button.is_enabled():  # the model agrees with the given label: confirm it instead
            button = page.get_by_role("button", name="Label is right")
        start = time.perf_counter()
        button.click()
        expect(actions).not_to_have_text(before, timeout=TIMEOUT)
        times.append(time.perf_counter() - start)
    return times


def browser(rows: int, runs: int, tmp: Path) -> tuple[float, float, float]:
    expect.set_options(timeout=TIMEOUT)
    results = []
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        # No file watcher: other edits in the repo mid-run would put a prompt in the status widget.
        server = AppServer(tmp / "app", watch_files=False).start()
        try:
            for i in range(runs):
                csv_path = tmp / f"reviews-{i}.csv"
                csv_path.write_bytes(make(rows, seed=i))  # a file of its own: nothing cached from the last run
                result = browser_run(chromium, server, csv_path)
                results.append(result)
                click = result["enabled"]
                print(
                    f"browser run {i + 1}: upload -> 'Use this dataset' enabled {click:.2f} s; click -> status shown "
                    f"{result['status'] - click:.2f} s, -> first ranked queue {result['queue'] - click:.2f} s; "
                    f"upload -> queue {result['queue']:.2f} s (Fix the labels fully drawn {result['loaded']:.2f} s)\n"
                    f"  progress: longest stretch without an indicator {result['gap']:.2f} s, from "
                    f"{result['gap_at']:.1f} s after the upload ({result['gap_phase']}); {result['without']} of "
                    f"{result['samples']} samples saw none; seen: {', '.join(result['seen'])}",
                    flush=True,
                )
                if i < runs - 1:
                    result["context"].close()
            actions = browser_actions(results[-1]["page"])
            results[-1]["context"].close()
            print(
                f"browser label action (click Accept -> 'Actions taken' changes): median "
                f"{ms(statistics.median(actions))}, max {ms(max(actions))} over {BROWSER_ACTIONS} actions",
                flush=True,
            )
        finally:
            server.stop()
            chromium.close()
    return (statistics.median(r["queue"] for r in results), max(r["gap"] for r in results), statistics.median(actions))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="pipeline passes and browser uploads (median)")
    args = parser.parse_args()
    from datacentric.modelling.models import limit_blas_threads

    limit_blas_threads(1)  # as the app's server does before its first fit
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    raw = make(args.rows, seed=0)
    labels = [line.rsplit(b",", 2)[1:] for line in raw.splitlines()[1:]]
    print(
        f"CSV: {args.rows:,} rows, {len({truth for _, truth in labels})} classes, "
        f"{np.mean([given != truth for given, truth in labels]):.1%} of labels wrong, {len(raw) / 2**20:.1f} MB "
        "(seeded, in a temporary directory)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        core_total, core_action = core(raw, args.runs, Path(tmp))
        queue, gap, action = browser(args.rows, args.runs, Path(tmp))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{args.rows:,}-row text CSV, median of {args.runs}:")
    print(f"core pipeline (read -> first ranked queue): {core_total:.1f} s")
    print(f"upload -> first ranked queue in the browser: {queue:.1f} s (budget {BUDGET:.0f} s)")
    print(f"longest stretch without a visible progress indicator: {gap:.2f} s (sampled every {SAMPLE_MS} ms)")
    print(f"one label action: core {ms(core_action)}, browser {ms(action)}")


if __name__ == "__main__":
    main()
