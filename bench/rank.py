"""Time to rank the review queue: out-of-fold probabilities (5 folds) + cleanlab's label quality.

Digits with 20 % uniform noise. The first figure includes importing cleanlab (a fresh server
pays it once); the median is over 5 further runs. Run: python bench/rank.py
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.findings import issues  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402


def rank_once(lab) -> float:
    kept = np.ones(lab.n_train, dtype=bool)
    start = time.perf_counter()
    pred_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    issues.rank_label_issues(lab.noisy_labels, pred_probs, kept)
    issues.estimate_issue_count(lab.noisy_labels, pred_probs, kept)
    return time.perf_counter() - start


def main() -> None:
    lab = prepare(Scenario("digits", "uniform", 20, 0))
    first = rank_once(lab)
    runs = [rank_once(lab) for _ in range(5)]
    print(
        f"rank digits (1,257 training items): first {first:.2f} s (with cleanlab import), "
        f"then median {statistics.median(runs):.2f} s over 5 runs"
    )


if __name__ == "__main__":
    main()
