"""Every page's central claim, played on its default for seeds 0-4 with the core the pages use, in one table.

- Fix the labels: a careful reviewer (sets the true label of each card, in queue order) after 1 and 10 actions,
  against 10 suggestions accepted blindly, and how many of the first 10 cards were truly wrong.
- Compare: the fair replay (N = 100, a reviewer right 100 % of the time): the data arm's gain against the model
  arm's.
- Find the weak slice: 30 rows collected from the top slice, from random rows and from the lowest-priority slice,
  on the default and on the scenario the page offers when the top slice does not win there.
- Label consistently: v1 against v2 at the spec (agreement on the borderline parts, label accuracy).
- After deployment: every labelling strategy against never retraining, by the last week (bench/deployment.py).
- Class challenge: 20 careful actions, 20 blind accepts and 3 careful actions, scored on the public half, and the
  public items a careful action is worth on average.
Run: python bench/demonstrations.py [--seeds 5] [--only fix,compare,...]
"""

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from datacentric.classroom import contest, rooms  # noqa: E402
from datacentric.experiment import compare, race
from datacentric.experiment.approaches import Approach
from datacentric.findings import collect, review  # noqa: E402
from datacentric.lab import cuts
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT, Scenario  # noqa: E402
from datacentric.modelling.models import limit_blas_threads  # noqa: E402


def default(seed: int, **changes) -> Scenario:
    return Scenario(**{**DEFAULT.__dict__, "seed": seed, **changes})


def fix_the_labels(seed: int) -> dict:
    lab = prepare(default(seed))
    careful, blind = review.walk(lab, 10, careful=True), review.walk(lab, 10, careful=False)
    worth = 100 / len(lab.test_index)
    return {
        "first (pts)": careful.first * 100,
        "one item (pts)": worth,
        "careful 10 (pts)": careful.gain * 100,
        "blind 10 (pts)": blind.gain * 100,
        "top 10 wrong": careful.wrong_seen,
    }


def compare_replay(seed: int, steps: int = 100) -> dict:
    lab = prepare(default(seed))
    result = race.run(lab, steps=steps, reviewer_accuracy=1.0)
    gains = compare.race_table(lab, result).set_index("approach")["gain"]
    data, model = float(gains[Approach.REVIEWED]), float(gains[Approach.MODEL])
    return {
        "data gain (pts)": data,
        "model gain (pts)": model,
        "data / model": data / model if model > 0 else float("inf"),
    }


def weak_slice(seed: int) -> dict:
    return _three_ways(prepare(default(seed)))


def weak_slice_made_for(seed: int) -> dict:
    """The scenario the page offers when the top slice does not win on the learner's (collect.made_for_slices)."""
    return _three_ways(prepare(collect.made_for_slices(seed)))


def _three_ways(lab) -> dict:
    curves = collect.three_ways(lab, cuts.candidates(lab))
    last = curves.sort_values("collected").groupby("arm")["value"].last()
    start = curves[curves["collected"] == 0].groupby("arm")["value"].first()
    gain = ((last - start) * 100).to_dict()
    return {
        "top (pts)": gain.get("top", float("nan")),
        "random (pts)": gain.get("random", float("nan")),
        "lowest (pts)": gain.get("lowest", float("nan")),
    }


def consistency(seed: int) -> dict:
    from datacentric.consistency import instructions
    from datacentric.consistency.parts import SPEC_MM, make_parts

    parts = make_parts(seed=seed)
    first = instructions.outcome(parts, instructions.V1, seed=seed)
    second = instructions.outcome(parts, instructions.Rule("v2", SPEC_MM), seed=seed)
    return {
        "alpha v1 (20 parts)": first.on_set,
        "alpha v2 (20 parts)": second.on_set,
        "label acc v1": first.label_accuracy,
        "label acc v2": second.label_accuracy,
    }


def challenge(seed: int) -> dict:
    lab = prepare(default(seed, holdout=rooms.HOLDOUT))
    halves = contest.split(lab, f"bench:{seed}")
    start = lab.state([])

    def public(labels) -> float:
        return contest.scores(lab, labels, start.kept, None, halves, "accuracy")[0]

    def labels_after(n: int, careful: bool) -> np.ndarray:
        from datacentric.findings.issues import out_of_fold_pred_probs, rank_label_issues

        queue = review.pending(
            rank_label_issues(start.labels, out_of_fold_pred_probs(lab, start.labels, start.kept), start.kept), start
        ).head(n)
        labels = start.labels.copy()
        for row in queue.itertuples():
            labels[row.item] = lab.true_labels[row.item] if careful else row.suggested
        return labels

    base = public(start.labels)
    item = 100 / len(halves.public)
    careful20, blind20, careful3 = (public(labels_after(n, c)) for n, c in ((20, True), (20, False), (3, True)))
    return {
        "careful 20 (pts)": (careful20 - base) * 100,
        "blind 20 (pts)": (blind20 - base) * 100,
        "careful 3 (pts)": (careful3 - base) * 100,
        "public items per action": (careful20 - base) * 100 / item / 20,
    }


CLAIMS = {
    "fix": ("Fix the labels", fix_the_labels),
    "compare": ("Compare", compare_replay),
    "slice": ("Find the weak slice", weak_slice),
    "slice_made_for": (
        "Find the weak slice, on the scenario it offers (digits, one slice under-represented, no wrong labels)",
        weak_slice_made_for,
    ),
    "consistency": ("Label consistently", consistency),
    "challenge": ("Class challenge", challenge),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", default=",".join([*CLAIMS, "deployment"]))
    args = parser.parse_args()
    limit_blas_threads(1)
    claims = dict(CLAIMS)
    print(f"Default scenario: {DEFAULT.describe()}; seeds 0-{args.seeds - 1}")
    for key in args.only.split(","):
        if key not in claims:
            continue
        title, measure = claims[key]
        rows = [measure(seed) for seed in range(args.seeds)]
        print(f"\n{title}")
        for column in rows[0]:
            values = [row[column] for row in rows]
            shown = "  ".join(f"{v:+7.2f}" if isinstance(v, float) else f"{v:7}" for v in values)
            mean = statistics.fmean(float(v) for v in values)
            print(f"  {column:<26} {shown}   mean {mean:+.2f}  min {min(values):+.2f}")

    if "deployment" in args.only.split(","):
        from deployment import print_holds  # bench/deployment.py: the page's own table and sentences

        print("\nAfter deployment (every way of labelling against never retraining, by the last week)")
        print_holds(DEFAULT, seeds=range(args.seeds))


if __name__ == "__main__":
    main()
