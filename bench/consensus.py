"""Time to turn a panel's labels into one: 50 simulated annotators x all 1,797 digits (budget: 2 s in total).

The default panel (40 annotators right 60 % of the time, 10 right 30 %, 5 labels an item) labels every digit
with its true label as the truth. Timed step by step: simulating the panel; one random annotator and majority
vote; the out-of-fold probabilities CROWDLAB weighs the annotators against (the fixed model on the majority
labels, 5 folds); CROWDLAB itself; and the agreement statistics (Krippendorff's alpha, every pair's Cohen's
kappa). The first run includes importing cleanlab (a fresh server pays it once); median and max are over 5
further runs. Then what Label consistently does on a first visit: ``study.run`` and ``study.outcomes`` on the
digits scenario's training split. Run: python bench/consensus.py [--runs 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.consistency import study
from datacentric.crowd import agreement, consensus  # noqa: E402
from datacentric.crowd.panels import DEFAULT_PANEL, METHODS, simulate  # noqa: E402
from datacentric.data.catalog import load_dataset  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import Scenario  # noqa: E402
from datacentric.modelling.models import FIXED_MODELS  # noqa: E402

BUDGET_S = 2.0
STEPS = ("simulate", "one annotator + majority", "consensus_probs", "crowdlab", "alpha + pairwise kappa")


def once(dataset, seed: int = 0) -> tuple[dict[str, float], dict[str, np.ndarray], float]:
    """One pass over every step: seconds per step, the three methods' labels, and Krippendorff's alpha."""
    spec = FIXED_MODELS[dataset.modality]
    n_classes = dataset.n_classes
    seconds = {}

    start = time.perf_counter()
    labels = simulate(DEFAULT_PANEL, dataset.labels, n_classes=n_classes, seed=seed, pairs=dataset.confusable_pairs)
    seconds["simulate"] = time.perf_counter() - start

    start = time.perf_counter()
    one = consensus.single(labels, seed=seed)
    voted = consensus.majority(labels, n_classes, seed=seed)
    seconds["one annotator + majority"] = time.perf_counter() - start

    start = time.perf_counter()
    pred_probs = consensus.consensus_probs(
        lambda: spec.make(seed=seed, scale=True, **spec.defaults()), dataset.features, labels, n_classes, seed=seed
    )
    seconds["consensus_probs"] = time.perf_counter() - start

    start = time.perf_counter()
    crowd = consensus.crowdlab(labels, pred_probs)
    seconds["crowdlab"] = time.perf_counter() - start

    start = time.perf_counter()
    alpha = agreement.krippendorff_alpha(labels, n_classes)
    agreement.pairwise_kappa(labels)
    seconds["alpha + pairwise kappa"] = time.perf_counter() - start

    return seconds, {"single": one, "majority": voted, "crowdlab": crowd.labels}, alpha


def consensus_bench(runs: int) -> None:
    dataset = load_dataset("digits")
    n_items = len(dataset.labels)
    print(f"{DEFAULT_PANEL.describe()}; {n_items:,} digits, {dataset.n_classes} classes")

    first, combined, alpha = once(dataset)
    print(
        f"first run (with cleanlab import): {sum(first.values()):.2f} s "
        f"({', '.join(f'{step} {first[step]:.2f}' for step in STEPS)})"
    )
    timings = [once(dataset)[0] for _ in range(runs)]
    print(f"then over {runs} runs:           median      max")
    for step in STEPS:
        values = [t[step] for t in timings]
        print(f"  {step:<26} {statistics.median(values):>7.3f} s {max(values):>7.3f} s")
    totals = [sum(t.values()) for t in timings]
    worst = max(totals)
    print(
        f"  {'total':<26} {statistics.median(totals):>7.3f} s {worst:>7.3f} s   "
        f"budget {BUDGET_S:.0f} s: {'within' if worst <= BUDGET_S else 'OVER'}"
    )

    print(f"Krippendorff's alpha among the panel: {alpha:.3f} ({agreement.in_words(alpha)})")
    print("label accuracy against the true labels:")
    for key, labels in combined.items():
        print(f"  {METHODS[key].title:<20} {np.mean(labels == dataset.labels):.3f}")


def page_bench(runs: int) -> None:
    lab = prepare(Scenario("digits", "none", 0, 0))
    metric = "accuracy"
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = study.run(lab, DEFAULT_PANEL)
        table = study.outcomes(lab, result, metric)
        seconds.append(time.perf_counter() - start)
    print(
        f"\nLabel consistently's first visit on {lab.scenario.describe()} ({lab.n_train:,} training items): "
        f"study.run + study.outcomes median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"over {runs} runs"
    )
    print(f"  {'labels from':<20} {'label accuracy':>14} {'test ' + metric:>14}")
    for _, row in table.iterrows():
        print(f"  {row['title']:<20} {row['label_accuracy']:>14.3f} {row['test']:>14.3f}")
    print(f"  Krippendorff's alpha {result.alpha:.3f}, Fleiss' kappa {result.fleiss:.3f}")
    for found in study.found(result):
        print(
            f"  {study.RANKINGS[found.by]}: {found.found} of the {found.of} truly bad annotators among its lowest "
            f"{found.of}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # Other work on the machine shows up in every figure (the model fits most): say how busy it was.
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    consensus_bench(args.runs)
    page_bench(args.runs)


if __name__ == "__main__":
    main()
