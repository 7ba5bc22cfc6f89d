"""Time of Find the weak slice's tables: after a label action on each built-in (budget 300 ms) and discovery on
the 20,000-row text benchmark (budget 2 s).

After a label action the page needs the fixed model's predictions on the new labels (one fit, shared with Fix
the labels' cache, timed apart), then discovery and the priority table from predictions (no retraining);
the single-condition slices depend on the data only and are cut once per scenario (timed apart too).
Run: python bench/slices.py
"""

import io
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from datacentric.data import featurize, userdata  # noqa: E402
from datacentric.data.catalog import DATASETS  # noqa: E402
from datacentric.findings import slices
from datacentric.lab import cuts
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402


def tables(lab, labels, single, reference) -> float:
    start = time.perf_counter()
    predicted = train_and_score(lab, labels).predicted
    fit = time.perf_counter() - start
    found = slices.discover(lab, predicted, single=single)
    slices.priority(lab, [*single, *found["of"]], predicted, reference)
    return fit, time.perf_counter() - start - fit


def main() -> None:
    for name in DATASETS:
        lab = prepare(Scenario(name, "systematic", 30, 0))
        start = time.perf_counter()
        single = cuts.candidates(lab)
        cut = time.perf_counter() - start
        reference = train_and_score(lab, lab.true_labels).predicted
        runs = []
        for i in range(5):
            labels = lab.noisy_labels.copy()
            labels[i] = lab.true_labels[i]  # a label action: new labels, a new fit
            runs.append(tables(lab, labels, single, reference))
        print(
            f"{name}: {len(single)} slices cut in {cut * 1000:.0f} ms once; after a label action: fit "
            f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms + tables "
            f"{statistics.median(r[1] for r in runs) * 1000:.0f} ms (median of 5)"
        )
    from make_text_csv import make

    frame = pd.read_csv(io.BytesIO(make(20_000)))
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(frame, exclude=("label", "true_label")))
    spec = userdata.UserSpec("label", "true_label", roles)
    lab = prepare(
        Scenario(userdata.dataset_key("b", spec), "none", 0, 0),
        userdata.build(frame, spec, key=userdata.dataset_key("b", spec), title="b"),
    )
    predicted = train_and_score(lab, lab.noisy_labels).predicted
    cut_times, times = [], []
    for _ in range(3):
        start = time.perf_counter()
        single = cuts.candidates(lab)
        cut_times.append(time.perf_counter() - start)
        found = slices.discover(lab, predicted, single=single)
        times.append(time.perf_counter() - start)
    print(
        f"20,000-row text benchmark: {len(single)} slices; cut (once per scenario) median "
        f"{statistics.median(cut_times):.2f} s, cut + discovery median {statistics.median(times):.2f} s of "
        f"{', '.join(f'{t:.2f}' for t in times)}; top: {found['slice'].iloc[0]}"
    )


if __name__ == "__main__":
    main()
