"""The two noise kinds built from analysis, planted when a scenario is prepared (lab.prepare): the annotator
panel's labels, combined one of three ways (Label consistently's "crowd" kind), and the under-represented slice
("scarce"): up to ``SCARCE_TRIES`` slices of a class and a column's bin or value tried, the costliest kept.

They stand on the annotators (crowd) and the slices an item can be cut into (lab.cuts), never on the analysis
built on the lab (findings, consistency), which reads them from here."""

from __future__ import annotations

import numpy as np

from datacentric.crowd import consensus
from datacentric.crowd.panels import Panel, simulate
from datacentric.data.featurize import DataError
from datacentric.lab import cuts
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Lab
from datacentric.modelling.oof import out_of_fold_probs

__all__ = [
    "SCARCE_KEPT",
    "SCARCE_SHARE",
    "SCARCE_TRIES",
    "LARGE",
    "crowd_labels",
    "labelled",
    "crowdlab",
    "true_probs",
    "scarce",
    "plant_scarce",
]

SCARCE_KEPT = 1  # training rows the planted slice keeps (1 in 10 kept cost the fixed model too little to see)
SCARCE_SHARE = (0.03, 0.10)  # the planted slice's share of the training rows, at least and at most
SCARCE_TRIES = (40, 4)  # slices tried (one fit each) before planting the costliest: small data, large data
LARGE = 5_000  # training rows from which data is large (a fit of 14,000 text rows takes 2 s: 40 would take 80 s)


def crowd_labels(lab: Lab, method: str, panel: Panel) -> np.ndarray:
    """One label per training item from ``panel`` by ``method`` (a ``panels.METHODS`` key): the annotator-panel
    scenario's starting labels, the same as ``run`` gives on the page."""
    seed, n_classes = lab.scenario.seed, lab.dataset.n_classes
    labels = labelled(lab, panel)
    if method == "single":
        return consensus.single(labels, seed=seed)
    if method == "majority":
        return consensus.majority(labels, n_classes, seed=seed)
    return crowdlab(lab, labels).labels


def labelled(lab: Lab, panel: Panel, *, probs: np.ndarray | None = None) -> np.ndarray:
    """The labels ``panel`` gives the lab's training items (``run``'s ``probs`` as there)."""
    if probs is None and any(g.habit == "unsure" and g.count for g in panel.groups):
        probs = true_probs(lab)
    return simulate(
        panel,
        lab.true_labels,
        n_classes=lab.dataset.n_classes,
        seed=lab.scenario.seed,
        probs=probs,
        pairs=lab.dataset.confusable_pairs,
    )


def crowdlab(lab: Lab, labels: np.ndarray) -> consensus.Crowdlab:
    """CROWDLAB on ``labels``, weighed against the fixed model's out-of-fold view of their majority."""
    pred_probs = consensus.consensus_probs(
        lambda: lab.make(lab.fixed_model), lab.train_features, labels, lab.dataset.n_classes, seed=lab.scenario.seed
    )
    return consensus.crowdlab(labels, pred_probs)


def true_probs(lab: Lab) -> np.ndarray:
    """How much each training item looks like each class: out-of-fold probabilities on the true labels."""
    return out_of_fold_probs(
        lambda: lab.make(lab.fixed_model),
        lab.train_features,
        lab.true_labels,
        np.ones(lab.n_train, dtype=bool),
        n_classes=lab.dataset.n_classes,
        seed=lab.scenario.seed,
    )


def scarce(chosen: cuts.Slice, reserve: np.ndarray, seed: int) -> np.ndarray:
    """``reserve`` with the rows of ``chosen`` held back: all but ``SCARCE_KEPT`` of them, seeded."""
    members = np.flatnonzero(chosen.train)
    held = reserve & ~chosen.train
    held[np.random.default_rng(seed).choice(members, size=max(len(members) - SCARCE_KEPT, 0), replace=False)] = True
    return held


def plant_scarce(lab: Lab) -> tuple[cuts.Slice, int]:
    """The slice the under-represented kind plants: of up to ``SCARCE_TRIES`` slices of a class and a column's
    bin or value with ``SCARCE_SHARE`` of the training rows (single conditions if no pair fits, then any slice of
    at most half the rows), the one whose scarcity adds most errors on its test items (one fit each; a scenario's
    design may read the test labels, a model's selection may not), with those added errors."""
    single = cuts.candidates(lab)
    n_classes = lab.dataset.n_classes
    classes, columns = single[:n_classes], single[n_classes:]
    low, high = SCARCE_SHARE
    least = max(5, int(np.ceil(cuts.MIN_SHARE * len(lab.test_index))))

    def fits(s: cuts.Slice) -> bool:
        return low <= s.train.mean() <= high and s.test.sum() >= least

    tries = (
        [k & c for c in columns for k in classes if fits(k & c)]
        or [s for s in single if fits(s)]
        or [s for s in single if s.train.mean() <= 0.5 and s.test.any()]
    )  # small data: any minority slice
    if not tries:
        raise DataError(
            "This data has no slice to under-represent: no class or column value holds at most half "
            "of the training rows. Pick another noise kind."
        )
    order = np.random.default_rng(lab.scenario.seed).permutation(len(tries))[: SCARCE_TRIES[lab.n_train > LARGE]]
    wrong_before = train_and_score(lab, lab.noisy_labels).predicted != lab.test_labels
    costs = []
    for i in order:
        held = scarce(tries[i], lab.reserve, lab.scenario.seed)
        wrong = train_and_score(lab, lab.noisy_labels, ~held).predicted != lab.test_labels
        costs.append(int(wrong[tries[i].test].sum()) - int(wrong_before[tries[i].test].sum()))
    best = int(np.argmax(costs))
    return tries[order[best]], costs[best]
