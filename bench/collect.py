"""The under-represented-slice scenario ("scarce") and collecting from the reserve, measured.

Prints, for each built-in and seeds 0-4 at noise rates 0 and 20 %: whether discovery lists the planted slice in
its top 3 and whether the priority table ranks it first; the replay of a budget of 30 rows collected from the top
slice, from random rows and from the lowest-priority slice (the three curves on digits, seed 0, rate 0); and
times: preparing the scenario (planting tries up to 40 slices, 4 past 5,000 training rows, one fit each), one
collect action (draw, replay of the log, the refit), and the replay. On the 20,000-row text benchmark, the
planting time.

Which discovery method finds the planted slice (digits, seeds 0-4): the app's enumeration of every slice and pair,
a depth-2 decision tree on the errors over the same conditions, and SliceLine (the ``sliceline`` package, if
installed: ``pip install sliceline==0.3.0``; it is not a dependency of the app). "Found" means a top-3 slice with
exactly the planted slice's test items; the best overlap (Jaccard) is printed too.
Run: python bench/collect.py
"""

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from datacentric.data import featurize, userdata
from datacentric.data.catalog import DATASETS  # noqa: E402
from datacentric.findings import collect, slices  # noqa: E402
from datacentric.lab import cuts
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.lab.worklog import Action  # noqa: E402


def found_and_first(lab) -> tuple[bool, bool]:
    single = cuts.candidates(lab)
    found = slices.discover(lab, train_and_score(lab, lab.noisy_labels).predicted, single=single)
    planted = set(lab.planted)
    return (
        planted in [set(s.key) for s in found["of"][:3]],
        set(collect.ranked_at_start(lab, single)[0].key) == planted,
    )


def overlap(mask, planted) -> float:
    return (mask & planted).sum() / (mask | planted).sum()


def methods() -> None:
    from sklearn.tree import DecisionTreeClassifier

    try:
        from sliceline.slicefinder import Slicefinder
    except ImportError:
        Slicefinder = None
    found = {"enumeration": [], "depth-2 tree": [], "sliceline": []}
    for seed in range(5):
        lab = prepare(Scenario("digits", "scarce", 0, seed, reserve=10))
        predicted = train_and_score(lab, lab.noisy_labels).predicted
        wrong = (predicted != lab.test_labels).astype(int)
        single = cuts.candidates(lab)
        planted = cuts.find(single, lab.planted).test
        least = int(np.ceil(slices.MIN_SHARE * len(wrong)))
        top = slices.discover(lab, predicted, single=single)["of"][:3]
        found["enumeration"].append(max(overlap(s.test, planted) for s in top))
        conditions = np.array([s.test for s in single]).T.astype(int)
        tree = DecisionTreeClassifier(max_depth=2, min_samples_leaf=least, random_state=0).fit(conditions, wrong)
        leaf = tree.apply(conditions)
        worst = sorted(np.unique(leaf), key=lambda x: -wrong[leaf == x].mean())[:3]
        found["depth-2 tree"].append(max(overlap(leaf == x, planted) for x in worst))
        if Slicefinder is not None:  # one categorical column per kind of condition: the class, each feature's bin
            columns = {}
            for s in single:
                column = s.name.split(" in [")[0] if " in [" in s.name else "class"
                columns.setdefault(column, np.full(len(wrong), "", dtype=object))[s.test] = s.name
            frame = pd.DataFrame(columns)
            finder = Slicefinder(alpha=0.95, k=3, max_l=2, min_sup=least, verbose=False).fit(frame, wrong)
            masks = [
                np.logical_and.reduce(
                    [(frame[c] == v).to_numpy() for c, v in zip(frame.columns, row) if v is not None]
                    or [np.ones(len(wrong), dtype=bool)]
                )
                for row in finder.top_slices_
            ]
            found["sliceline"].append(max(overlap(m, planted) for m in masks))
    for method, overlaps in found.items():
        if overlaps:
            print(
                f"{method}: the planted slice exactly in its top 3 in {sum(o == 1 for o in overlaps)}/5 seeds; "
                f"best overlap {', '.join(f'{o:.2f}' for o in overlaps)}"
            )
        else:
            print(f"{method}: not installed (pip install sliceline==0.3.0)")


def main() -> None:
    for name in DATASETS:
        for rate in (0, 20):
            hits, firsts, wins, times, costs = 0, 0, 0, [], []
            for seed in range(5):
                start = time.perf_counter()
                lab = prepare(Scenario(name, "scarce", rate, seed, reserve=10))
                times.append(time.perf_counter() - start)
                in_top, first = found_and_first(lab)
                costs.append(lab.planted_cost)
                curves = collect.three_ways(lab, cuts.candidates(lab))
                end = curves.groupby("arm")["value"].last()
                hits, firsts = hits + in_top, firsts + first
                wins += bool(end["top"] > end.drop("top").max())
            print(
                f"{name}, rate {rate} %: planted slice in discovery's top 3 in {hits}/5 seeds, first in the "
                f"priority table in {firsts}/5, collecting 30 rows of the top slice beat random rows and the "
                f"lowest-priority slice in {wins}/5; scarcity's cost {costs} test errors; preparing (with "
                f"planting) median {statistics.median(times):.2f} s"
            )
    methods()
    lab = prepare(Scenario("digits", "scarce", 0, 0, reserve=10))
    start = time.perf_counter()
    curves = collect.three_ways(lab, cuts.candidates(lab))
    took = time.perf_counter() - start
    print(f"\nDigits, seed 0, rate 0 %, planted: {' and '.join(lab.planted)}; replay {took:.2f} s")
    table = curves.pivot_table(index="collected", columns="arm", values="value")
    print((table * 100).round(1).to_string())
    print({arm: name for arm, name in curves.groupby("arm")["slice"].first().items()})
    where = cuts.find(cuts.candidates(lab), lab.planted).train
    laps = []
    for _ in range(5):
        start = time.perf_counter()
        drawn = collect.draw(lab, lab.state([]), where, collect.BUDGET)
        now = lab.state([Action(a.kind, a.item, group=1) for a in drawn])
        train_and_score(lab, now.labels, now.kept)
        laps.append(time.perf_counter() - start)
    print(
        f"One collect action of {collect.BUDGET} rows (draw, replay, refit): median "
        f"{statistics.median(laps) * 1000:.0f} ms"
    )
    from make_text_csv import make

    frame = pd.read_csv(io.BytesIO(make(20_000)))
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(frame, exclude=("label", "true_label")))
    spec = userdata.UserSpec("label", "true_label", roles)
    dataset = userdata.build(frame, spec, key=userdata.dataset_key("b", spec), title="b")
    start = time.perf_counter()
    text = prepare(Scenario(dataset.name, "scarce", 0, 0, reserve=10), dataset)
    took = time.perf_counter() - start
    plain_start = time.perf_counter()
    prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    plain = time.perf_counter() - plain_start
    print(
        f"20,000-row text benchmark: preparing the scarce scenario {took:.1f} s (without planting {plain:.1f} s); "
        f"planted: {' and '.join(text.planted)}; in discovery's top 3: {found_and_first(text)[0]}"
    )


if __name__ == "__main__":
    main()
