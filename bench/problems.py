"""Time of "Look for them (cleanlab Datalab)" on the 20,000-row text benchmark (budget: 10 s, progress shown).

Writes the benchmark CSV (bench/make_text_csv.py), sets it up as a learner's dataset with a known-true
column, then times problems.find on its 14,000 training rows: the truncated SVD of the TF-IDF features,
Datalab's outliers, near-duplicates, rare class and non-iid checks, and the train/test leak search.
Run: python bench/problems.py [--rows 20000]
"""

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.data import featurize, userdata  # noqa: E402
from datacentric.findings import problems
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_text_csv import make

    frame = pd.read_csv(io.BytesIO(make(args.rows)))
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(frame, exclude=("label", "true_label")))
    spec = userdata.UserSpec("label", "true_label", roles)
    dataset = userdata.build(frame, spec, key=userdata.dataset_key("bench", spec), title="bench")
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        steps = []
        found = problems.find(
            lab,
            lab.noisy_labels,
            np.ones(lab.n_train, dtype=bool),
            on_progress=lambda f, text: steps.append((round(time.perf_counter() - start, 2), text)),  # noqa: B023
        )
        times.append(time.perf_counter() - start)
    print(
        f"{args.rows:,} rows ({lab.n_train:,} training, {lab.train_features.shape[1]:,} TF-IDF columns): "
        f"median {np.median(times):.2f} s of {', '.join(f'{t:.2f}' for t in times)}"
    )
    print("  steps of the last run: " + "; ".join(f"{t} s {text}" for t, text in steps))
    print("  found: " + ", ".join(f"{problems.KINDS[k].name.lower()} {found.count(k)}" for k in problems.KINDS))


if __name__ == "__main__":
    main()
