"""Server time from one label action to fresh metrics, digits with 20 % uniform noise.

Three figures, median of 20 actions each:
- core: write the action to the store, read the log back, replay it, retrain the fixed model
  and score it (what the action's callback does; the page's cached reads come after);
- page: the same through Streamlit's AppTest, clicking "Accept suggestion" and waiting for the
  script run to finish: everything the server does, rendering included (AppTest reruns the
  whole page, so this is an upper bound on the fragment rerun a browser triggers);
- bulk: one bulk action (remove every training row whose pixel 0,5 is at least 8, about 200 rows, and
  restore them again alternately) through the same core path (budget: a label action's time plus 20 %).
Run: python bench/action_latency.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datacentric.findings import filters, issues, review  # noqa: E402
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT, Scenario  # noqa: E402
from datacentric.persistence.store import Store  # noqa: E402

SCENARIO = Scenario("digits", "uniform", 20, 0)
N = 20


def core(tmp: str, scenario: Scenario = SCENARIO) -> list[float]:
    lab = prepare(scenario)
    kept = np.ones(lab.n_train, dtype=bool)
    queue = issues.rank_label_issues(lab.noisy_labels, issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept), kept)
    train_and_score(lab, lab.noisy_labels)  # warm imports
    return time_label_actions(lab, queue, f"sqlite:///{tmp}/core-{scenario.slug}.db", N)


def time_label_actions(lab, queue, store_url: str, n: int) -> list[float]:
    """Seconds of ``n`` label actions as the page's callback does them: store write, replay, retrain, score.

    Each accepts the next suggestion, so every action trains on labels no cache has seen.
    """
    store = Store(store_url)
    scenario = lab.scenario
    ws = store.create_workspace(scenario.to_params())
    times = []
    for _ in range(n):
        state = lab.state(store.log(ws, scenario.slug))
        action = review.accept_top(review.pending(queue, state), 1)
        start = time.perf_counter()
        store.append(ws, scenario.slug, action)
        state = lab.state(store.log(ws, scenario.slug))
        train_and_score(lab, state.labels, state.kept)
        review.noisy_left(lab, state)
        times.append(time.perf_counter() - start)
    return times


def bulk(tmp: str) -> list[float]:
    """Seconds of ``N`` bulk actions: the filter, the store write of every row's action, replay, retrain, score."""
    lab = prepare(SCENARIO)
    store = Store(f"sqlite:///{tmp}/bulk.db")
    ws = store.create_workspace(SCENARIO.to_params())
    row_filter = filters.RowFilter("range", "pixel_0_5", low=8, high=16)
    times = []
    for i in range(N):
        state = lab.state(store.log(ws, SCENARIO.slug))
        start = time.perf_counter()
        picked = filters.matches(lab, state, row_filter)
        store.append(ws, SCENARIO.slug, filters.bulk("remove" if i % 2 == 0 else "restore", picked, state))
        state = lab.state(store.log(ws, SCENARIO.slug))
        train_and_score(lab, state.labels, state.kept)
        times.append(time.perf_counter() - start)
    return times, int(picked.sum())


def page(tmp: str) -> list[float]:
    os.environ["DCP_DATABASE_URL"] = f"sqlite:///{tmp}/page.db"
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "frame" / "navigation.py"), default_timeout=120)
    at.query_params.update(SCENARIO.to_params())
    at.run()
    at.switch_page(str(ROOT / "pages" / "fix_labels.py")).run()  # AppTest resolves a relative page from frame/
    times = []
    for _ in range(N):
        button = next(
            b for b in at.button if b.label.startswith(("Accept suggestion", "Label is right")) and not b.disabled
        )
        start = time.perf_counter()
        button.click().run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def main() -> None:
    from datacentric.modelling.models import limit_blas_threads

    limit_blas_threads(1)  # as the app's server does before its first fit
    with tempfile.TemporaryDirectory() as tmp:
        c, d, (b, rows), p = core(tmp), core(tmp, DEFAULT), bulk(tmp), page(tmp)
    print(
        f"label action -> fresh metrics, core (store write + replay + retrain + score): "
        f"median {statistics.median(c) * 1000:.0f} ms, max {max(c) * 1000:.0f} ms over {N} actions"
    )
    print(
        f"the same on the app's default ({DEFAULT.describe()}): "
        f"median {statistics.median(d) * 1000:.0f} ms, max {max(d) * 1000:.0f} ms over {N} actions"
    )
    print(
        f"bulk action ({rows} rows removed or restored) -> fresh metrics, core: "
        f"median {statistics.median(b) * 1000:.0f} ms, max {max(b) * 1000:.0f} ms over {N} actions "
        f"({statistics.median(b) / statistics.median(c):.2f} times a label action)"
    )
    print(
        f"label action -> fresh metrics, whole page run in AppTest: "
        f"median {statistics.median(p) * 1000:.0f} ms, max {max(p) * 1000:.0f} ms over {N} actions"
    )


if __name__ == "__main__":
    main()
