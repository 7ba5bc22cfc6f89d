"""Seconds per search trial of each model family, on the built-in default and the shipped examples: how many
trials a search budget buys each family (Tune the model's "Time budget" slider).

A trial is what ``tuning.random_search`` does per draw: one fit scored on the test split, and the validation
that chooses. Three trials per family, drawn as the search draws them (the defaults first); the median is the
figure, and "in N s" is how many whole trials that budget would start.

Run: python bench/tune_time.py [--budget SECONDS] [--trials K]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datacentric.data import featurize, userdata  # noqa: E402
from datacentric.experiment import tuning  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT, Scenario  # noqa: E402
from datacentric.modelling.models import limit_blas_threads  # noqa: E402

EXAMPLES = ROOT / "data" / "examples"


def example(name: str, test: str | None):
    """A shipped example as a learner would set it up: roles as detected, its test file if it has one."""
    train = pd.read_csv(EXAMPLES / name)
    truth = "true_label" if "true_label" in train.columns else None
    exclude = ("label", truth) if truth else ("label",)
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(train, exclude=exclude))
    spec = userdata.UserSpec("label", truth, roles, test_file="f" * 64 if test else None)
    test_frame = pd.read_csv(EXAMPLES / test) if test else None
    dataset = userdata.build(train, spec, key=userdata.dataset_key(name, spec), title=name, test_frame=test_frame)
    return prepare(Scenario(dataset.name, "none", 0, 0), dataset)


def labs():
    yield f"default ({DEFAULT.slug})", prepare(DEFAULT)
    yield "digits", prepare(Scenario("digits", "uniform", 20, 0))
    yield "reviews.csv (text)", example("reviews.csv", None)
    yield "junk-reviews.csv + test file (text)", example("junk-reviews.csv", "junk-reviews-test.csv")
    yield "machines.csv + test file (table)", example("machines.csv", "machines-test.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=20.0, help="the search budget to read the figures against")
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    limit_blas_threads(1)  # as the server runs
    for name, lab in labs():
        print(f"{name}: {lab.n_train:,} training rows, {len(lab.test_index):,} test rows")
        usable = [k for k, spec in lab.families.items() if spec.sparse_ok or not lab.sparse]
        for family in usable:
            rng = np.random.default_rng(0)
            seconds = []
            for trial in range(args.trials):
                params = lab.families[family].defaults() if trial == 0 else tuning.sample_params(family, rng)
                start = time.perf_counter()
                tuning.train_run(lab, lab.noisy_labels, lab.in_use, family=family, params=params, validate=True)
                seconds.append(time.perf_counter() - start)
            median = statistics.median(seconds)
            print(
                f"  {lab.families[family].name:<32} {median:6.2f} s a trial (max {max(seconds):.2f}): "
                f"{int(args.budget // median) + 1 if median else 0} trials in {args.budget:g} s"
            )


if __name__ == "__main__":
    main()
