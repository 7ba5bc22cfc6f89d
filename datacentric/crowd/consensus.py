"""Turn many labels per item into one: one random annotator's, the majority's, or CROWDLAB's consensus
(``cleanlab.multiannotator``), and rank the annotators by how good they look.

CROWDLAB weighs each annotator's labels by how often they agree with the others and with a model's predicted
probabilities, so it needs ``pred_probs``: out-of-fold probabilities of the fixed model trained on the majority
labels (as the MIT data-centric AI course does), from ``consensus_probs``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from datacentric.crowd.agreement import counts, with_reference
from datacentric.crowd.panels import MISSING
from datacentric.modelling.oof import out_of_fold_probs

__all__ = ["single", "majority", "consensus_probs", "Crowdlab", "crowdlab", "Found", "bad_found", "annotator_accuracy"]


def single(labels: np.ndarray, *, seed: int) -> np.ndarray:
    """Each item's label from one of its annotators, chosen at random."""
    labels = np.asarray(labels)
    given = labels != MISSING
    _labelled(given)
    keys = np.where(given, np.random.default_rng([seed, 11]).random(labels.shape), -1.0)
    return labels[np.arange(len(labels)), keys.argmax(axis=1)]


def majority(labels: np.ndarray, n_classes: int, *, seed: int) -> np.ndarray:
    """Each item's most common label; a tie goes to one of the tied classes at random."""
    labels = np.asarray(labels)
    _labelled(labels != MISSING)
    table = counts(labels, n_classes)
    tied = table == table.max(axis=1, keepdims=True)
    keys = np.where(tied, np.random.default_rng([seed, 12]).random(table.shape), -1.0)
    return keys.argmax(axis=1)


def consensus_probs(
    make: Callable[[], Any], features: Any, labels: np.ndarray, n_classes: int, *, seed: int
) -> np.ndarray:
    """Out-of-fold probabilities of ``make()`` trained on the majority labels: what CROWDLAB weighs the
    annotators against."""

    agreed = majority(labels, n_classes, seed=seed)
    return out_of_fold_probs(make, features, agreed, np.ones(len(agreed), dtype=bool), n_classes=n_classes, seed=seed)


@dataclass(frozen=True)
class Crowdlab:
    labels: np.ndarray  # the consensus label of each item
    quality: np.ndarray  # each annotator's estimated quality, 0 to 1 (NaN for one that labelled nothing)


def crowdlab(labels: np.ndarray, pred_probs: np.ndarray) -> Crowdlab:
    """CROWDLAB's consensus labels and annotator quality (``get_label_quality_multiannotator``)."""
    from cleanlab.multiannotator import get_label_quality_multiannotator  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

    labels = np.asarray(labels)
    _labelled(labels != MISSING)
    active = (labels != MISSING).any(axis=0)  # cleanlab refuses an annotator column with no label at all
    matrix = np.where(labels[:, active] == MISSING, np.nan, labels[:, active].astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "annotators agree with consensus ..." warnings mean nothing to a learner
        result = get_label_quality_multiannotator(matrix, pred_probs, verbose=False, return_detailed_quality=False)
    quality = np.full(labels.shape[1], np.nan)
    stats = result["annotator_stats"]
    quality[np.flatnonzero(active)[stats.index.to_numpy(dtype=int)]] = stats["annotator_quality"].to_numpy()
    return Crowdlab(result["label_quality"]["consensus_label"].to_numpy(dtype=int), quality)


@dataclass(frozen=True)
class Found:
    """How many of the truly bad annotators a ranking puts among its lowest."""

    by: str
    found: int
    of: int


def bad_found(truly_bad: np.ndarray, scores: dict[str, np.ndarray]) -> list[Found]:
    """For each ranking (a score per annotator, lower = worse): of its ``truly_bad.sum()`` lowest, how many are
    truly bad."""
    truly_bad = np.asarray(truly_bad, dtype=bool)
    k = int(truly_bad.sum())
    found = []
    for by, score in scores.items():
        lowest = np.argsort(np.nan_to_num(score, nan=np.inf), kind="stable")[:k]
        found.append(Found(by, int(truly_bad[lowest].sum()), k))
    return found


def annotator_accuracy(labels: np.ndarray, true_labels: np.ndarray) -> np.ndarray:
    """Each annotator's share of right labels on the items it labelled: what the simulation knows, and a real
    project never does."""
    return with_reference(labels, true_labels)


def _labelled(given: np.ndarray) -> None:
    if given.ndim != 2 or not given.any(axis=1).all():
        raise ValueError("every item needs at least one label (an (n_items, n_annotators) matrix)")
