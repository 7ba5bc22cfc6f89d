"""What Label consistently shows, on every built-in dataset and over many seeds: the figures that
docs/demonstrations.md quotes.

1. The default panel (40 annotators right 60 % of the time, 10 right 30 %, 5 labels an item) on each built-in's
   training items, seeds 0-4: label accuracy and the fixed model's test accuracy for one annotator, majority vote,
   CROWDLAB consensus and the true labels; how many of the 10 bad annotators each ranking finds.
2. The instructions exercise over seeds 0-39: agreement (alpha) on the 20 parts and on all parts, label accuracy
   and the model's test accuracy under v1 and under a rule at the spec (0.30 mm), and how often each rose.

Run: python bench/consistency.py [--seeds 5] [--part-seeds 40]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datacentric.consistency import instructions, parts, study  # noqa: E402
from datacentric.crowd.panels import DEFAULT_PANEL  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402

METHODS = ("single", "majority", "crowdlab", "truth")


def panels(seeds: int) -> None:
    print(f"1. {DEFAULT_PANEL.describe()}; seeds 0-{seeds - 1}, mean (min-max)")
    print(
        "| dataset | | one annotator | majority vote | CROWDLAB | true labels | bad found: CROWDLAB quality | "
        "bad found: agreement with majority | alpha |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for dataset in ("digits", "breast_cancer", "wine"):
        rows, found, alphas = [], [], []
        started = time.perf_counter()
        for seed in range(seeds):
            lab = prepare(Scenario(dataset, "none", 0, seed))
            done = study.run(lab, DEFAULT_PANEL)
            table = study.outcomes(lab, done, "accuracy").set_index("method")
            rows.append(table.loc[list(METHODS), ["label_accuracy", "test"]].to_numpy())
            found.append([f.found for f in study.found(done)])
            alphas.append(done.alpha)
        rows, found = np.array(rows), np.array(found)
        for k, what in enumerate(("label accuracy", "model's test accuracy")):
            cells = [_spread(rows[:, m, k]) for m in range(len(METHODS))]
            extra = (
                [
                    f"{found[:, 0].mean():.1f} of 10",
                    f"{found[:, 1].mean():.1f} of 10",
                    _spread(np.array(alphas), digits=2),
                ]
                if k == 0
                else ["", "", ""]
            )
            print(f"| {dataset if k == 0 else ''} | {what} | " + " | ".join(cells + extra) + " |")
        order = (rows[:, 0, 0] < rows[:, 1, 0]) & (rows[:, 1, 0] < rows[:, 2, 0])
        print(
            f"|  | one < majority < CROWDLAB in label accuracy | {int(order.sum())} of {seeds} seeds | | | | | | "
            f"({time.perf_counter() - started:.1f} s) |"
        )


KEYS = ("on_set", "pairs_agree", "agreement", "label_accuracy", "test_accuracy")
NAMES = (
    "agreement on the 20 parts (alpha)",
    "inspector pairs agreeing on the 20 parts",
    "agreement on all training parts (alpha)",
    "label accuracy (one inspector a part, against the spec)",
    "the model's test accuracy (400 parts)",
)


def exercise(seeds: int) -> None:
    rules = (instructions.V1, instructions.Rule("v2", parts.SPEC_MM), instructions.Rule("off the spec", 0.45))
    got = np.array(
        [
            [[getattr(instructions.outcome(parts.make_parts(s), rule, seed=s), key) for key in KEYS] for rule in rules]
            for s in range(seeds)
        ]
    )  # seeds x rules x measures
    print(
        f"\n2. The instructions exercise, parts seeds 0-{seeds - 1}, mean (min-max): v1 ('{rules[0].text}'), v2 "
        f"('{rules[1].text}'), and a rule off the spec ('{rules[2].text}')"
    )
    print("| measure | v1 | v2 | v2 higher than v1 on | off the spec | off the spec against v2 on |")
    print("|---|---|---|---|---|---|")
    for k, name in enumerate(NAMES):
        v1, v2, off = got[:, 0, k], got[:, 1, k], got[:, 2, k]
        print(
            f"| {name} | {_spread(v1, digits=2)} | {_spread(v2, digits=2)} | {int((v2 > v1).sum())} of {seeds} "
            f"seeds | {_spread(off, digits=2)} | higher on {int((off > v2).sum())}, lower on "
            f"{int((off < v2).sum())} |"
        )


def _spread(values: np.ndarray, *, digits: int = 3) -> str:
    return f"{values.mean():.{digits}f} ({values.min():.{digits}f}-{values.max():.{digits}f})"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--part-seeds", type=int, default=40)
    args = parser.parse_args()
    panels(args.seeds)
    exercise(args.part_seeds)
