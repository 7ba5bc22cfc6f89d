"""Model-centric work: train a chosen model family on fixed labels, by hand or by a time-boxed search.

A run is chosen by its validation score: a 4-fold cross-validation on the training rows (each quarter held out
once), with the labels the learner has (noisy ones included), never the test split, which only reports how the
chosen run does. The folds' spread is kept with the run. (The replay on Compare validates each of its many trials on
one quarter held out: ``validation_confusion``, a quarter of the cost.)
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

from datacentric.common import metrics
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Lab
from datacentric.modelling.models import FAMILIES, FLOOR, ParamSpec

__all__ = [
    "VALIDATION_SHARE",
    "FOLDS",
    "validation_folds",
    "cross_validation",
    "validation_spread",
    "FEW_TRIALS",
    "last_trial_seconds",
    "Run",
    "train_run",
    "test_value",
    "validation_split",
    "validation_accuracy",
    "validation_confusion",
    "sample_params",
    "random_search",
    "best",
    "selected",
    "validation_score",
    "selected_record",
    "why_they_differ",
    "validation_noise",
    "tied_with",
    "describe_params",
]

VALIDATION_SHARE = 0.25  # of the training rows, held out to choose between runs (the replay's single split)
FEW_TRIALS = 3  # a search should give a family at least this many trials (the defaults, then two draws)
FOLDS = 4  # a run's cross-validation: each quarter of the training rows held out once (1 / FOLDS = VALIDATION_SHARE)


@dataclass(frozen=True)
class Run:
    """One training run, as recorded in the learner's workspace."""

    family: str
    params: dict[str, Any]
    data: str  # which labels: "noisy" (as the scenario made them) or "yours@<log version>"
    accuracy: float
    macro_f1: float
    seconds: float
    source: str = "manual"  # "manual", "search" or "replay"
    confusion: list[list[int]] | None = None  # rows: true class, columns: predicted class
    validation: float | None = None  # accuracy on held-out training rows, with the training labels
    validation_confusion: list[list[int]] | None = None  # there: rows the held-out labels, columns the predictions
    validation_folds: list[list[list[int]]] | None = None  # each fold's confusion; their sum is the one above

    def to_record(self) -> dict[str, Any]:
        return asdict(self)


def train_run(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray,
    *,
    family: str,
    params: dict[str, Any] | None = None,
    data: str = "noisy",
    source: str = "manual",
    validate: bool = False,
    copies: np.ndarray | None = None,
) -> Run:
    """Train ``family`` with ``params`` (its defaults where missing) and score it on the test items; with
    ``validate``, also by cross-validation on the training rows (``cross_validation``), which is what selects.
    ``copies``: extra copies of items in training (rebalancing); validation reads each row once."""
    if family not in FAMILIES:
        raise ValueError(f"unknown model family {family!r}; choose one of {', '.join(FAMILIES)}")
    spec = lab.families[family]
    full = {**spec.defaults(), **(params or {})}
    unknown = set(full) - {p.name for p in spec.params}
    if unknown:
        raise ValueError(f"{spec.name} has no hyperparameter {', '.join(sorted(unknown))}")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: the score already tells the story
        score = train_and_score(lab, labels, kept, model=spec, params=full, copies=copies)
        folds = cross_validation(lab, labels, kept, family=family, params=full) if validate else None
    seconds = time.perf_counter() - start
    held = None if folds is None else np.sum(folds, axis=0)
    return Run(
        family,
        full,
        data,
        score.accuracy,
        score.macro_f1,
        seconds,
        source,
        score.confusion.tolist(),
        None if held is None else metrics.accuracy(held),
        None if held is None else held.tolist(),
        None if folds is None else [fold.tolist() for fold in folds],
    )


def test_value(record: dict[str, Any], metric: str) -> float:
    """A run record's test score by ``metric``: its accuracy as recorded, the others from its confusion matrix."""
    return record["accuracy"] if metric == "accuracy" else metrics.value(np.asarray(record["confusion"]), metric)


def validation_split(lab: Lab, labels: np.ndarray, kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows to fit, rows to validate on): ``VALIDATION_SHARE`` of the kept training rows, stratified by
    their labels where every class has two members and each side room for every class (a learner who removed
    all but a few rows still gets a split), seeded by the scenario. Test rows are never among them."""

    rows = np.flatnonzero(np.asarray(kept, dtype=bool))
    counts = np.bincount(np.asarray(labels)[rows])
    present = int((counts > 0).sum())
    held = int(np.ceil(VALIDATION_SHARE * len(rows)))
    roomy = held >= present and len(rows) - held >= present
    stratify = labels[rows] if roomy and counts[counts > 0].min() >= 2 else None
    fit, held = train_test_split(rows, test_size=VALIDATION_SHARE, stratify=stratify, random_state=lab.scenario.seed)
    return np.sort(fit), np.sort(held)


def validation_folds(lab: Lab, labels: np.ndarray, kept: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rows to fit, rows to validate on) for each of ``FOLDS`` folds of the kept training rows, each row validated
    once: stratified by their labels where every class present has a member in each fold, seeded by the scenario.
    Fewer rows than folds: as many folds as rows allow (at least 2). Test rows are never among them."""
    rows = np.flatnonzero(np.asarray(kept, dtype=bool))
    n_folds = max(2, min(FOLDS, len(rows)))
    counts = np.bincount(np.asarray(labels)[rows])
    seed = lab.scenario.seed
    if counts[counts > 0].min() >= n_folds:
        splits = StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(rows, np.asarray(labels)[rows])
    else:
        splits = KFold(n_folds, shuffle=True, random_state=seed).split(rows)
    return [(rows[fit], rows[held]) for fit, held in splits]


def cross_validation(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, *, family: str, params: dict[str, Any]
) -> list[np.ndarray]:
    """Each fold's confusion matrix (``validation_folds``): rows the held-out labels, columns the predictions of
    ``family`` fitted on the other folds. Their sum scores every kept row once."""
    labels = np.asarray(labels)
    return [
        _held_out_confusion(lab, labels, fit, held, family, params) for fit, held in validation_folds(lab, labels, kept)
    ]


def validation_spread(record: dict[str, Any], metric: str = "accuracy") -> float | None:
    """The standard deviation of a run's score by ``metric`` across its folds: how much the held-out quarter
    moved it. None for a run saved without its folds."""
    folds = record.get("validation_folds")
    if not folds or len(folds) < 2:
        return None
    return float(np.std([metrics.value(np.asarray(fold), metric) for fold in folds], ddof=1))


def validation_accuracy(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, *, family: str, params: dict[str, Any]
) -> float:
    """Accuracy of ``family`` fitted on most kept training rows and scored on the rest, against ``labels``
    (the labels one has, noisy or not): what a practitioner can measure without the test split."""
    return metrics.accuracy(validation_confusion(lab, labels, kept, family=family, params=params))


def validation_confusion(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, *, family: str, params: dict[str, Any]
) -> np.ndarray:
    """The confusion matrix behind ``validation_accuracy``, on one split (``validation_split``): what the replay
    chooses its many trials by. Any metric can choose from it."""

    labels = np.asarray(labels)
    fit, held = validation_split(lab, labels, kept)
    return _held_out_confusion(lab, labels, fit, held, family, params)


def _held_out_confusion(
    lab: Lab, labels: np.ndarray, fit: np.ndarray, held: np.ndarray, family: str, params: dict[str, Any]
) -> np.ndarray:
    spec = lab.families[family] if len(np.unique(labels[fit])) > 1 else FLOOR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator = lab.make(spec, params if spec is not FLOOR else {}, rows=len(fit)).fit(
            lab.train_features[fit], labels[fit]
        )
        predicted = estimator.predict(lab.train_features[held])
    return confusion_matrix(labels[held], predicted, labels=np.arange(lab.dataset.n_classes))


def sample_params(family: str, rng: np.random.Generator) -> dict[str, Any]:
    """Random hyperparameters for ``family`` from its search space."""
    return {p.name: _sample(p, rng) for p in FAMILIES[family].params}


def random_search(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray,
    *,
    family: str,
    budget_seconds: float,
    max_trials: int = 1000,
    seed: int = 0,
    data: str = "noisy",
    source: str = "search",
    on_trial: Callable[[int, Run], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    validate: bool = True,
    copies: np.ndarray | None = None,
) -> list[Run]:
    """Random search over ``family``: the defaults first, then random draws, until the budget is spent.

    No trial starts after ``budget_seconds``; a trial under way when it runs out is finished.
    ``on_trial(i, run)`` is called after each trial (for a progress bar); ``clock`` tells the time.
    """
    if budget_seconds <= 0 or max_trials < 1:
        raise ValueError("the search needs a positive time budget and at least one trial")
    rng = np.random.default_rng(seed)
    runs: list[Run] = []
    start = clock()
    while len(runs) < max_trials and clock() - start < budget_seconds:
        params = lab.families[family].defaults() if not runs else sample_params(family, rng)
        run = train_run(
            lab, labels, kept, family=family, params=params, data=data, source=source, validate=validate, copies=copies
        )
        runs.append(run)
        if on_trial:
            on_trial(len(runs), run)
    return runs


def last_trial_seconds(records: list[dict[str, Any]], family: str, data: str) -> float | None:
    """How long the latest run of ``family`` on ``data`` took (training, testing and its cross-validation): what a
    search's trial of it costs. None when there is none yet."""
    return next((r["seconds"] for r in reversed(records) if r["family"] == family and r["data"] == data), None)


def best(runs: list[Run]) -> Run | None:
    """The run with the best test score: hindsight, for an optimistic reference only, never for choosing."""
    return max(runs, key=lambda r: (r.accuracy, r.macro_f1), default=None)


def selected(runs: list[Run], metric: str = "accuracy") -> Run | None:
    """The run one would choose: best validation score by ``metric``, the earliest of equals (test scores unread)."""
    chosen = selected_record(
        [{"validation": r.validation, "validation_confusion": r.validation_confusion} for r in runs],
        data=None,
        metric=metric,
    )
    return runs[chosen] if chosen is not None else None


def validation_score(record: dict[str, Any], metric: str = "accuracy") -> float | None:
    """A run record's validation score by ``metric``; accuracy for records saved before their confusion was kept."""
    held = record.get("validation_confusion")
    if metric == "accuracy" or held is None:
        return record.get("validation")
    return metrics.value(np.asarray(held), metric)


def selected_record(records: list[dict[str, Any]], data: str | None = "noisy", metric: str = "accuracy") -> int | None:
    """Index of the run record one would choose among those trained on ``data`` (None: any): best validation
    score by ``metric``, the earliest of equals. Records saved before runs were validated have none and are never
    chosen."""
    scored = [
        i for i, r in enumerate(records) if (data is None or r["data"] == data) and r.get("validation") is not None
    ]
    # max keeps the first of equals
    return max(scored, key=lambda i: validation_score(records[i], metric), default=None)


def validation_noise(record: dict[str, Any], metric: str = "accuracy") -> float | None:
    """One standard error of a run's validation score, sqrt(p (1 - p) / n) over its n held-out rows: how far the
    score would move on another draw of as many rows (a share's error; for metrics other than accuracy, the same
    figure as a guide). None for a run saved without its validation confusion."""
    confusion, score = record.get("validation_confusion"), validation_score(record, metric)
    rows = int(np.sum(confusion)) if confusion is not None else 0
    if not rows or score is None:
        return None
    return math.sqrt(score * (1 - score) / rows)


def tied_with(records: list[dict[str, Any]], chosen: int, metric: str = "accuracy") -> list[int]:
    """The runs on the chosen run's labels whose validation score is within one standard error of the chosen one
    (``validation_noise``): between them, the choice says more about the draw of held-out rows than the model."""
    noise, best = validation_noise(records[chosen], metric), validation_score(records[chosen], metric)
    if noise is None or best is None:
        return []
    return [
        i
        for i, r in enumerate(records)
        if i != chosen
        and r["data"] == records[chosen]["data"]
        and (score := validation_score(r, metric)) is not None
        and best - score <= noise
    ]


def why_they_differ(test_known_clean: bool) -> str:
    """Why validation and test disagree, in a sentence that calls the test labels clean only when they are known to
    be (``Lab.test_known_clean``): a learner's own test labels are taken as the truth, not known to be right."""
    test = (
        "the test split's labels are clean"
        if test_known_clean
        else "the test split's labels are taken as the truth, though nobody knows they are all right"
    )
    return (
        f"Validation scores a run on the training rows by {FOLDS}-fold cross-validation (each quarter held out "
        f"once), against their labels as they are; {test}. "
        "With noisy labels the two differ: validation rewards a model for agreeing with wrong labels, and only "
        "the test split, which never chooses, shows what it learned."
    )


def describe_params(params: dict[str, Any]) -> str:
    """Hyperparameters in a line: 'C=0.1, gamma=0.01'."""
    shown = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())
    return shown or "no hyperparameters"


def _sample(p: ParamSpec, rng: np.random.Generator):
    if p.choices:
        return p.choices[int(rng.integers(len(p.choices)))]
    if p.log:
        value = math.exp(rng.uniform(math.log(max(p.low, 1e-12)), math.log(p.high)))
    else:
        value = rng.uniform(p.low, p.high)
    return int(round(value)) if p.integer else float(value)
