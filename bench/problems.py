"""Time of "Look for them (cleanlab Datalab)" on the 20,000-row text benchmark (budget: 10 s, progress shown), and
what every problem kind finds on the shipped junk example against the rows known to be junk.

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
    shipped()


def shipped() -> None:
    """Each kind's precision and recall on data/examples/junk-reviews.csv (its test file as the test set), against
    the rows its generator wrapped in HTML (review_id 5000 and up): the problem a learner should find there."""
    examples = Path(__file__).resolve().parent.parent / "data" / "examples"
    train, test = pd.read_csv(examples / "junk-reviews.csv"), pd.read_csv(examples / "junk-reviews-test.csv")
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(train, exclude=("label",)))
    spec = userdata.UserSpec("label", None, roles, test_file="f" * 64)
    dataset = userdata.build(train, spec, key=userdata.dataset_key("junk", spec), title="junk", test_frame=test)
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    found = problems.find(lab, lab.noisy_labels, np.ones(lab.n_train, dtype=bool))
    junk = dataset.raw["review_id"].iloc[lab.train_index].to_numpy() >= 5000
    print(f"junk-reviews.csv: {lab.n_train:,} training rows, {int(junk.sum()):,} of them junk")
    for key, kind in problems.KINDS.items():
        flagged = found.flags[key]
        hits = int((flagged & junk).sum())
        precision = f"{hits / flagged.sum():.2f}" if flagged.any() else "-"
        print(f"  {kind.name:<22} found {int(flagged.sum()):>4}: precision {precision}, recall {hits / junk.sum():.2f}")


if __name__ == "__main__":
    main()
