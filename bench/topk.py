"""How many labels are wrong? Estimators of that count against the true one, and what accepting the top k at each
estimate does, on the shipped scenarios and examples over several seeds.

For each lab (a built-in scenario, or an example of data/examples with a known-true column) and seed: the fixed
model's out-of-fold probabilities on the starting labels (issues.out_of_fold_pred_probs), each estimator's count,
then Fix the labels' "Accept the top k" at that count from the start (review.accept_top on the pending queue),
graded with review.fixed_and_broken and scored with evaluate.train_and_score. The "oracle k" row is the k that
fixes the most labels net of the right ones it makes wrong: what a k should stay under.
Per estimator: mean ratio estimate / true, mean absolute error, share of runs that overshoot (estimate > true),
mean right labels made wrong and mean accuracy change (points) of accepting the top k.
Run: python bench/topk.py [--seeds 5] [--only mnist-uniform-40,...]
"""

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.data import featurize, userdata  # noqa: E402
from datacentric.findings import issues, review  # noqa: E402
from datacentric.lab.evaluate import train_and_score  # noqa: E402
from datacentric.lab.lab import Lab  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT, Scenario  # noqa: E402
from datacentric.modelling.models import limit_blas_threads  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def built_in(dataset: str, noise: str, rate: int) -> Callable[[int], Lab]:
    return lambda seed: prepare(Scenario(dataset, noise, rate, seed))


def example(name: str) -> Callable[[int], Lab]:
    """An example with a known-true column, as Your data sets it up (its test file where it ships one); the seed
    moves the folds, and the split when there is no test file."""

    def make(seed: int) -> Lab:
        train = pd.read_csv(EXAMPLES / f"{name}.csv")
        test_path = EXAMPLES / f"{name}-test.csv"
        test = pd.read_csv(test_path) if test_path.exists() else None
        roles = tuple((r.column, r.role) for r in featurize.detect_roles(train, exclude=("label", "true_label")))
        spec = userdata.UserSpec("label", "true_label", roles, test_file=test_path.name if test is not None else None)
        dataset = userdata.build(train, spec, key=userdata.dataset_key("bench", spec), title=name, test_frame=test)
        return prepare(Scenario(dataset.name, "none", 0, seed), dataset)

    return make


LABS: dict[str, Callable[[int], Lab]] = {
    f"{DEFAULT.dataset}-{DEFAULT.noise}-{DEFAULT.rate}": built_in(DEFAULT.dataset, DEFAULT.noise, DEFAULT.rate),
    "mnist-pairs-30": built_in("mnist", "pairs", 30),
    "mnist-ambiguous-30": built_in("mnist", "ambiguous", 30),
    "mnist-systematic-30": built_in("mnist", "systematic", 30),
    "digits-uniform-20": built_in("digits", "uniform", 20),
    "digits-uniform-40": built_in("digits", "uniform", 40),
    "breast_cancer-uniform-20": built_in("breast_cancer", "uniform", 20),
    "wine-uniform-20": built_in("wine", "uniform", 20),
    "reviews.csv": example("reviews"),
    "machines.csv": example("machines"),
}


def _find(filter_by: str) -> Callable[[np.ndarray, np.ndarray], int]:
    def count(labels: np.ndarray, pred_probs: np.ndarray) -> int:
        from cleanlab.filter import find_label_issues

        return int(find_label_issues(labels, pred_probs, filter_by=filter_by, n_jobs=1).sum())

    return count


def _num(method: str) -> Callable[[np.ndarray, np.ndarray], int]:
    def count(labels: np.ndarray, pred_probs: np.ndarray) -> int:
        from cleanlab.count import compute_confident_joint, num_label_issues

        # "custom": the uncalibrated confident joint (issues.confident_joint's, which Fix the labels charts)
        joint = compute_confident_joint(labels, pred_probs, calibrate=False) if method.endswith("custom") else None
        return int(num_label_issues(labels, pred_probs, estimation_method=method, confident_joint=joint))

    return count


APP = f"app: estimate_issue_count ({issues.ISSUE_SHRINK} x default)"


ESTIMATORS: dict[str, Callable[[np.ndarray, np.ndarray], int]] = {
    "find: prune_by_noise_rate (default)": _find("prune_by_noise_rate"),
    "find: prune_by_class": _find("prune_by_class"),
    "find: both": _find("both"),
    "find: confident_learning": _find("confident_learning"),
    "num: off_diagonal": _num("off_diagonal"),
    "num: off_diagonal_calibrated": _num("off_diagonal_calibrated"),
    "num: off_diagonal_custom (uncalibrated cj)": _num("off_diagonal_custom"),
    "argmax != given": lambda labels, probs: int((probs.argmax(axis=1) != labels).sum()),
    "sum of 1 - p(given)": lambda labels, probs: int(round(float((1 - probs[np.arange(len(labels)), labels]).sum()))),
    APP: lambda labels, probs: issues.estimate_issue_count(labels, probs, np.ones(len(labels), dtype=bool)),
}
ORACLE = "oracle k (most fixed net of broken)"


FACTORS = tuple(round(1 - 0.05 * i, 2) for i in range(11))  # shrink factors tried: 1.0 down to 0.5
TOLERANCE = 0.0  # a fitted factor may overshoot in at most this share of the runs it is fitted on


def one_run(lab: Lab, name: str, seed: int) -> list[dict]:
    """One row per estimator and shrink factor: the count floor(factor x estimate), the true count, and what
    accepting the top k at that count does (right labels made wrong, wrong ones set right, accuracy change)."""
    start = lab.state([])
    kept = start.kept
    probs = issues.out_of_fold_pred_probs(lab, start.labels, kept)
    queue = review.pending(issues.rank_label_issues(start.labels, probs, kept), start)
    true = lab.n_wrong
    base = train_and_score(lab, start.labels, kept).accuracy
    rows = np.flatnonzero(kept)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = {name: count(start.labels[rows], probs[rows]) for name, count in ESTIMATORS.items()}
    # Down the queue: a relabel that sets the true label fixes one, one away from a right label breaks one.
    items, given, suggested = queue["item"].to_numpy(), queue["given"].to_numpy(), queue["suggested"].to_numpy()
    truth = lab.true_labels[items]
    moved = suggested != given
    fixed = np.concatenate([[0], np.cumsum(moved & (suggested == truth))])
    broken = np.concatenate([[0], np.cumsum(moved & (given == truth))])
    oracle = int(np.argmax(fixed - broken))

    gains: dict[int, float] = {}

    def gain(k: int) -> float:
        if k not in gains:
            after = lab.state(review.accept_top(queue, k))
            gains[k] = (train_and_score(lab, after.labels, after.kept).accuracy - base) * 100
        return gains[k]

    out = []
    for estimator, factors in [*((e, FACTORS if e != APP else (1.0,)) for e in raw), (ORACLE, (1.0,))]:
        for factor in factors:
            k = min(oracle if estimator == ORACLE else int(factor * raw[estimator]), len(queue))
            check = review.fixed_and_broken(lab, lab.state(review.accept_top(queue, k))) if k == oracle else None
            assert check is None or check == (fixed[k], broken[k])  # the cumulative sums are the app's own count
            out.append(
                {
                    "lab": name,
                    "seed": seed,
                    "estimator": estimator,
                    "factor": factor,
                    "estimate": k,
                    "true": true,
                    "broken": int(broken[k]),
                    "fixed": int(fixed[k]),
                    "gain": gain(k),
                }
            )
    return out


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per estimator (at its factor in ``runs``): mean ratio estimate / true, mean absolute error, share of runs
    that overshoot, mean right labels made wrong and wrong ones fixed, mean accuracy change (points)."""
    runs = runs.assign(ratio=runs["estimate"] / runs["true"].clip(lower=1), error=(runs["estimate"] - runs["true"]))
    return (
        runs.groupby("estimator", sort=False)
        .agg(
            ratio=("ratio", "mean"),
            MAE=("error", lambda e: e.abs().mean()),
            over=("error", lambda e: (e > 0).mean()),
            broken=("broken", "mean"),
            fixed=("fixed", "mean"),
            acc_pts=("gain", "mean"),
        )
        .round(2)
    )


def fitted_factor(runs: pd.DataFrame) -> float:
    """The largest factor whose counts overshoot in at most ``TOLERANCE`` of ``runs`` (one estimator's)."""
    for factor in FACTORS:
        at = runs[runs["factor"] == factor]
        if (at["estimate"] > at["true"]).mean() <= TOLERANCE:
            return factor
    return FACTORS[-1]


def shrunk(runs: pd.DataFrame, fit_seeds: set[int]) -> pd.DataFrame:
    """Each estimator shrunk by the factor fitted on ``fit_seeds``, scored on the other seeds; and the worst
    overshoot share of a lab left out of the fit, with the factor fitted on the other labs."""
    rows = []
    for estimator, own in runs[~runs["estimator"].isin([APP, ORACLE])].groupby("estimator", sort=False):
        factor = fitted_factor(own[own["seed"].isin(fit_seeds)])
        held = own[~own["seed"].isin(fit_seeds) & (own["factor"] == factor)]
        worst = 0.0
        for lab, theirs in own.groupby("lab"):
            out = fitted_factor(own[(own["lab"] != lab) & own["seed"].isin(fit_seeds)])
            at = theirs[~theirs["seed"].isin(fit_seeds) & (theirs["factor"] == out)]
            worst = max(worst, float((at["estimate"] > at["true"]).mean()))
        rows.append({"estimator": estimator, "factor": factor, **summarise(held).iloc[0].to_dict(), "lab out": worst})
    return pd.DataFrame(rows).set_index("estimator")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--only", default="", help="comma-separated keys of LABS")
    parser.add_argument("--csv", default="", help="also write every run's figures to this file")
    args = parser.parse_args()
    limit_blas_threads(1)
    names = [n for n in LABS if not args.only or n in args.only.split(",")]
    runs = pd.DataFrame(
        [row for name in names for seed in range(args.seeds) for row in one_run(LABS[name](seed), name, seed)]
    )
    if args.csv:
        runs.to_csv(args.csv, index=False)
    raw = runs[runs["factor"] == 1.0]
    for name in names:
        true = raw[(raw["lab"] == name) & (raw["estimator"] == ORACLE)]["true"]
        print(f"\n{name}: {true.min()} to {true.max()} wrong labels in use, seeds 0-{args.seeds - 1}")
        print(summarise(raw[raw["lab"] == name]).to_string())
    print(f"\nAll {len(names)} labs x {args.seeds} seeds:")
    print(summarise(raw).to_string())
    by_lab = raw.assign(ratio=raw["estimate"] / raw["true"].clip(lower=1))
    print("\nRatio estimate / true by lab (mean over seeds; in brackets the largest):")
    mean = by_lab.pivot_table("ratio", "estimator", "lab", aggfunc="mean", sort=False)
    high = by_lab.pivot_table("ratio", "estimator", "lab", aggfunc="max", sort=False)
    print(mean.round(2).astype(str).add(" (").add(high.round(2).astype(str)).add(")")[names].to_string())
    for fit in (set(range(0, args.seeds, 2)), set(range(1, args.seeds, 2))):
        print(
            f"\nShrunk: floor(factor x estimate), the factor fitted on seeds {sorted(fit)} (the largest of "
            f"{FACTORS[0]} to {FACTORS[-1]} overshooting in at most {TOLERANCE:.0%} of those runs), scored on the "
            "other seeds; 'lab out': the largest share of overshoots on a lab left out of the fit"
        )
        print(shrunk(runs, fit).to_string())
    every = runs[~runs["estimator"].isin([APP, ORACLE])]
    over = every.assign(over=every["estimate"] > every["true"], ratio=every["estimate"] / every["true"].clip(lower=1))
    cells = over.groupby(["estimator", "factor"], sort=False).agg(
        over=("over", "mean"), ratio=("ratio", "mean"), broken=("broken", "mean")
    )
    text = (
        cells["over"].map("{:.2f}".format)
        + " "
        + cells["ratio"].map("{:.2f}".format)
        + " "
        + cells["broken"].map("{:.0f}".format)
    )
    print("\nEvery seed, by factor: share of runs that overshoot, mean ratio, mean right labels made wrong")
    print(text.unstack("factor")[list(FACTORS)].to_string())


if __name__ == "__main__":
    main()
