"""Server time from one label action to fresh metrics, digits with 20 % uniform noise.

Two figures, median of 20 actions each:
- core: write the action to the store, read the log back, replay it, retrain the fixed model
  and score it (what the action's callback does; the page's cached reads come after);
- page: the same through Streamlit's AppTest, clicking "Accept suggestion" and waiting for the
  script run to finish: everything the server does, rendering included (AppTest reruns the
  whole page, so this is an upper bound on the fragment rerun a browser triggers).
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

from datacentric import issues, review  # noqa: E402
from datacentric.evaluate import train_and_score  # noqa: E402
from datacentric.lab import prepare  # noqa: E402
from datacentric.scenario import Scenario  # noqa: E402
from datacentric.store import Store  # noqa: E402
from datacentric.workspace import replay  # noqa: E402

SCENARIO = Scenario("digits", "uniform", 20, 0)
N = 20


def core(tmp: str) -> list[float]:
    lab = prepare(SCENARIO)
    kept = np.ones(lab.n_train, dtype=bool)
    queue = issues.rank_label_issues(lab.noisy_labels, issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept), kept)
    train_and_score(lab, lab.noisy_labels)  # warm imports
    return time_label_actions(lab, queue, f"sqlite:///{tmp}/core.db", N)


def time_label_actions(lab, queue, store_url: str, n: int) -> list[float]:
    """Seconds of ``n`` label actions as the page's callback does them: store write, replay, retrain, score.

    Each accepts the next suggestion, so every action trains on labels no cache has seen.
    """
    store = Store(store_url)
    scenario = lab.scenario
    ws = store.create_workspace(scenario.to_params())
    times = []
    for _ in range(n):
        state = replay(lab.noisy_labels, store.log(ws, scenario.slug))
        action = review.accept_top(review.pending(queue, state), 1)
        start = time.perf_counter()
        store.append(ws, scenario.slug, action)
        state = replay(lab.noisy_labels, store.log(ws, scenario.slug))
        train_and_score(lab, state.labels, state.kept)
        review.noisy_left(lab, state)
        times.append(time.perf_counter() - start)
    return times


def page(tmp: str) -> list[float]:
    os.environ["DCP_DATABASE_URL"] = f"sqlite:///{tmp}/page.db"
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(SCENARIO.to_params())
    at.run()
    at.switch_page("pages/fix_labels.py").run()
    times = []
    for _ in range(N):
        button = next(b for b in at.button if b.label.startswith(("Accept suggestion", "Label is right")) and not b.disabled)
        start = time.perf_counter()
        button.click().run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c, p = core(tmp), page(tmp)
    print(f"label action -> fresh metrics, core (store write + replay + retrain + score): "
          f"median {statistics.median(c) * 1000:.0f} ms, max {max(c) * 1000:.0f} ms over {N} actions")
    print(f"label action -> fresh metrics, whole page run in AppTest: "
          f"median {statistics.median(p) * 1000:.0f} ms, max {max(p) * 1000:.0f} ms over {N} actions")


if __name__ == "__main__":
    main()
