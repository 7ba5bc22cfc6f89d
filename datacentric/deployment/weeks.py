"""The deployed model's weeks: each week's batch, what monitoring says of it, its true accuracy, the items labelled
on a budget and the retraining that follows; and the replay of every strategy on the same stream.

The model deployed is the scenario's fixed model trained on the given labels; the stream is drawn from the
scenario's reserve (training items held back, never trained on). A week's accuracy is the model's as deployed
that week, before its labels come in; labelling then adds the chosen items, with their true labels, to training.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from datacentric.deployment import monitor
from datacentric.deployment.drift import Schedule, World, apply, sample
from datacentric.deployment.strategies import STRATEGIES, choose
from datacentric.lab.lab import Lab
from datacentric.modelling.models import FLOOR

__all__ = [
    "FLOOR_WAY",
    "CEILING_WAY",
    "WAYS",
    "Week",
    "budget_for",
    "world_of",
    "MIN_POOL",
    "BUDGET",
    "DEPLOY_RESERVE",
    "scoring_half",
    "week_size",
    "pool_of",
    "batch",
    "Deployed",
    "reference",
    "run",
    "compare_strategies",
]

FLOOR_WAY, CEILING_WAY = "never", "everything"
WAYS = {**{k: s.title for k, s in STRATEGIES.items()}, FLOOR_WAY: "Never retrain", CEILING_WAY: "Label everything"}


@dataclass(frozen=True)
class Week:
    week: int
    severity: float
    items: np.ndarray  # positions in the pool (the scenario's reserve)
    labels: np.ndarray  # the truth this week (concept drift changes it)
    touched: np.ndarray  # items the drift changed
    predicted: np.ndarray
    confidence: np.ndarray  # the model's top probability for each item
    accuracy: float  # the deployed model's, before this week's labels, on the week's scored items
    scored: np.ndarray  # positions in the week of the items that measure it: from the half of the pool never labelled
    offered: np.ndarray  # positions in the week of the items one may label: the other half's, not labelled before
    labelled: np.ndarray  # positions in the week of the items labelled (among those offered)
    report: monitor.Report | None = None
    alerts: list[str] = field(default_factory=list)
    reference: monitor.Reference | None = None  # what monitoring compared the week with (training, at deployment)


def budget_for(week: Week, wanted: int) -> tuple[int, str]:
    """The budget ``week`` allows for the ``wanted`` one: at most the items it offers; and, when that is fewer,
    the sentence that says why (empty otherwise)."""
    offered = len(week.offered)
    if offered >= wanted:
        return wanted, ""
    taught = len(week.items) - len(week.scored) - offered
    return offered, (
        f"This week offers {_items(offered)} to label, so the budget is {offered}, not the {wanted} you "
        f"chose: of its {_items(len(week.items))}, {len(week.scored)} score the week and {taught} "
        f"{'was' if taught == 1 else 'were'} labelled in earlier weeks (an item is labelled once)."
    )


def _items(n: int) -> str:
    return "no item" if n == 0 else f"{n} item" if n == 1 else f"{n} items"


def world_of(lab: Lab) -> World:
    features = np.asarray(lab.train_features, dtype=float)
    return World(
        lab.dataset.modality,
        lab.dataset.image_shape,
        lab.dataset.n_classes,
        lab.dataset.confusable_pairs,
        features.mean(axis=0),
        features.std(axis=0),
    )


MIN_POOL = 30  # reserve items the stream needs at least
BUDGET = 10  # items labelled a week unless the learner says otherwise, on the page and in its replay
DEPLOY_RESERVE = 40  # percent of the training rows to hold back as the stream, when a scenario holds back too few


def scoring_half(lab: Lab, kept: np.ndarray | None = None) -> np.ndarray:
    """Per pool item: whether it scores the weeks (half the pool, seeded) rather than being offered to label."""
    pool = pool_of(lab, kept)
    half = np.zeros(len(pool), dtype=bool)
    half[np.random.default_rng([lab.scenario.seed, 45]).permutation(len(pool))[: len(pool) // 2]] = True
    return half


def week_size(lab: Lab, schedule: Schedule, kept: np.ndarray | None = None) -> int:
    """Items a week: the schedule's, but at most half the pool, so that weeks differ (wine's reserve of 50 gave
    every week of 60 all of it)."""
    return min(schedule.batch, max(10, len(pool_of(lab, kept)) // 2))


def pool_of(lab: Lab, kept: np.ndarray | None = None) -> np.ndarray:
    """The training positions the stream draws from: the scenario's reserve less any row collected into training
    (``kept``: the training rows in use; those at the start by default); ``ValueError`` if too few are left."""
    pool = np.flatnonzero(lab.reserve & ~(lab.in_use if kept is None else np.asarray(kept, dtype=bool)))
    if len(pool) < MIN_POOL:
        raise ValueError(
            f"the stream draws its weeks from the scenario's reserve, which holds {len(pool)} items "
            f"not collected into training; it needs at least {MIN_POOL}: hold back more of the training "
            "rows"
        )
    return pool


def batch(
    lab: Lab, schedule: Schedule, week: int, *, seed: int, kept: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Week ``week``'s (items in the pool, features, true labels, touched by the drift)."""
    return _Stream.of(lab, schedule, kept).week(week, seed=seed)


@dataclass(frozen=True)
class _Stream:
    """What every week of a run draws on, worked out once: the pool, its features and labels, the world, the size."""

    schedule: Schedule
    world: World
    features: np.ndarray  # the pool's
    labels: np.ndarray
    size: int

    @classmethod
    def of(cls, lab: Lab, schedule: Schedule, kept: np.ndarray | None) -> _Stream:
        pool = pool_of(lab, kept)
        return cls(
            schedule,
            world_of(lab),
            np.asarray(lab.train_features, dtype=float)[pool],
            lab.true_labels[pool],
            week_size(lab, schedule, kept),
        )

    def week(self, week: int, *, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        items = sample(self.world, self.labels, self.schedule, week, seed=seed, size=self.size)
        features, labels, touched = apply(
            self.world, self.features[items], self.labels[items], self.schedule, week, seed=seed
        )
        return items, features, labels, touched


class Deployed:
    """The fixed model as deployed: its feature scaling frozen at deployment, its classifier retrained on every
    label that comes in. (Refitting the scaler too let a few drifted digits give an always-blank pixel a spread of
    0.0015, which multiplied that pixel by about 600 and left the retrained model saying "4" to almost everything.)"""

    def __init__(self, lab: Lab, features: np.ndarray):

        self.lab = lab
        self.scaler = None if lab.encoded else StandardScaler().fit(features)
        self.model = None

    def _scaled(self, features: np.ndarray) -> np.ndarray:
        return features if self.scaler is None else self.scaler.transform(features)

    def fit(self, features: np.ndarray, labels: np.ndarray) -> Deployed:

        spec = self.lab.fixed_model if len(np.unique(labels)) > 1 else FLOOR
        params = {} if spec is FLOOR else spec.defaults()
        self.model = spec.make(seed=self.lab.scenario.seed, scale=False, **params).fit(self._scaled(features), labels)
        return self

    def probs(self, features: np.ndarray) -> np.ndarray:
        probs = np.zeros((len(features), self.lab.dataset.n_classes))
        probs[:, self.model.classes_] = self.model.predict_proba(self._scaled(features))
        return probs


def reference(lab: Lab, model: Deployed, training: np.ndarray, kept: np.ndarray | None = None) -> monitor.Reference:
    """What monitoring compares each week with: the training features, and the deployed model on a labelled
    reference period (the scoring half of the pool as it was before any drift, with its true labels: items the
    model never trained on, as NannyML's reference data). Calibrating on the learner's own labels instead set the
    estimate to agreement with those labels: 61 % at deployment on 30 % uniform noise, where the truth was 88 %."""
    pool = pool_of(lab, kept)[scoring_half(lab, kept)]
    probs = model.probs(np.asarray(lab.train_features, dtype=float)[pool])
    return monitor.reference(training, probs, lab.true_labels[pool])


def run(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray,
    schedule: Schedule,
    *,
    strategy: str = "random",
    k: int = 0,
    seed: int,
    watch: bool = True,
    plan: dict[int, tuple[str, int]] | None = None,
    upto: int | None = None,
) -> list[Week]:
    """Deploy the fixed model trained on ``labels`` of the ``kept`` items and live ``upto`` weeks (all by default):
    each week, monitor (``watch``), then label ``k`` items by ``strategy`` (or, for a week in ``plan``, by the
    (strategy, k) it names) and retrain."""
    for chosen, _ in [(strategy, k), *(plan or {}).values()]:
        if chosen not in STRATEGIES:
            raise ValueError(f"unknown strategy {chosen!r}")
    features = np.asarray(lab.train_features, dtype=float)[kept]
    known = np.asarray(labels)[kept]
    model = Deployed(lab, features).fit(features, known)
    ref = reference(lab, model, features, kept) if watch else None
    scoring = scoring_half(lab, kept)
    stream = _Stream.of(lab, schedule, kept)
    weeks, taught = [], np.zeros(len(scoring), dtype=bool)  # pool items labelled so far
    for week in range(1, (upto or schedule.weeks) + 1):
        items, x, y, touched = stream.week(week, seed=seed)
        probs = model.probs(x)
        # Every way is scored on the same items, which no way ever labels; the others may be labelled, once.
        scored = np.flatnonzero(scoring[items])
        found = monitor.report(ref, x, probs, estimate_on=scored) if watch else None
        way, budget = (plan or {}).get(week, (strategy, k))
        offered = np.flatnonzero(~scoring[items] & ~taught[items])
        picked = (
            offered[
                choose(way, budget, probs[offered], features=x[offered], training=features, seed=seed * 1000 + week)
            ]
            if len(offered)
            else offered
        )
        right = probs.argmax(axis=1)[scored] == y[scored]
        weeks.append(
            Week(
                week,
                schedule.severity(week),
                items,
                y,
                touched,
                probs.argmax(axis=1),
                probs.max(axis=1),
                float(right.mean()) if len(scored) else float("nan"),
                scored,
                offered,
                picked,
                found,
                monitor.alerts(ref, found) if watch else [],
                ref,
            )
        )
        taught[items[picked]] = True
        if len(picked):
            features, known = np.vstack([features, x[picked]]), np.concatenate([known, y[picked]])
            model.fit(features, known)
    return weeks


def compare_strategies(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray,
    schedule: Schedule,
    k: int,
    *,
    seed: int,
    progress: Callable[[float, str], None] | None = None,
) -> pd.DataFrame:
    """Every strategy at the same budget on the same stream, with never retraining and labelling everything:
    one row per week and way (``WAYS``) with the week's ``accuracy``, the items that scored it (``scored``; every
    way is scored on the same ones) and whether each was right (``hits``, a tuple in the week's order), and the
    items labelled after it (``labelled``) with how many of them the model had wrong (``labelled_wrong``).
    Deterministic."""
    rows = []
    ways = list(WAYS)
    for i, way in enumerate(ways):
        if progress:
            progress(i / len(ways), WAYS[way])
        strategy = "random" if way in (FLOOR_WAY, CEILING_WAY) else way
        budget = {FLOOR_WAY: 0, CEILING_WAY: schedule.batch}.get(way, k)  # everything: every item offered
        for w in run(lab, labels, kept, schedule, strategy=strategy, k=budget, seed=seed, watch=False):
            wrong = w.predicted != w.labels
            rows.append(
                {
                    "week": w.week,
                    "way": way,
                    "accuracy": w.accuracy,
                    "scored": len(w.scored),
                    "hits": tuple(bool(h) for h in ~wrong[w.scored]),
                    "labelled": len(w.labelled),
                    "labelled_wrong": int(wrong[w.labelled].sum()),
                }
            )
    if progress:
        progress(1.0, "done")
    return pd.DataFrame(rows)
