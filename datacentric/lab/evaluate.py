"""Train the fixed model on the current labels and score it on the test items (see ``Lab.test_source``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from datacentric.common import metrics
from datacentric.lab.lab import Lab
from datacentric.modelling.models import FLOOR, ModelSpec

__all__ = ["Score", "train_and_score", "fitted", "confusion_of"]


@dataclass(frozen=True)
class Score:
    accuracy: float
    macro_f1: float
    confusion: np.ndarray  # rows: true class, columns: predicted class
    n_trained_on: int
    predicted: np.ndarray | None = None  # the predicted class of each test item, for slices (no retraining)

    @property
    def balanced_accuracy(self) -> float:
        return metrics.balanced_accuracy(self.confusion)

    def value(self, metric: str) -> float:
        """The score by one of ``metrics.METRICS``."""
        return metrics.value(self.confusion, metric)


def train_and_score(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray | None = None,
    *,
    model: ModelSpec | None = None,
    params: dict[str, Any] | None = None,
    copies: np.ndarray | None = None,
) -> Score:
    """Fit ``model`` (the fixed model by default, with ``params``) on the kept training items with ``labels``
    (by default those in training at the start, the reserve left out), each item ``1 + copies`` times
    (rebalancing duplicates some).

    Test labels are the clean published ones, so the score says how good the model really is.
    With fewer than two classes left to learn from, the floor model is used instead; with no row at all, every
    class ties for the commonest, and the floor predicts the first (as scikit-learn's DummyClassifier breaks ties).
    """
    estimator, n_rows = fitted(lab, labels, kept, model=model, params=params, copies=copies)
    predicted = estimator.predict(lab.test_features)
    confusion = confusion_of(lab, lab.test_labels, predicted)
    return Score(metrics.accuracy(confusion), metrics.macro_f1(confusion), confusion, n_rows, predicted)


def fitted(
    lab: Lab,
    labels: np.ndarray,
    kept: np.ndarray | None = None,
    *,
    model: ModelSpec | None = None,
    params: dict[str, Any] | None = None,
    copies: np.ndarray | None = None,
) -> tuple[Any, int]:
    """(the estimator ``train_and_score`` scores, the number of rows it was fitted on)."""
    labels = np.asarray(labels)
    if labels.shape != lab.noisy_labels.shape:
        raise ValueError("labels must have one entry per training item")
    kept = lab.in_use if kept is None else np.asarray(kept, dtype=bool)
    model = model or lab.fixed_model
    if len(np.unique(labels[kept])) < 2:
        model, params = FLOOR, {}
    rows = np.flatnonzero(kept)
    if not len(rows):  # a log stored before the floor (lab.MIN_ROWS) may leave nothing: every class tied
        tied = np.arange(lab.dataset.n_classes)
        return lab.make(FLOOR).fit(lab.train_features[np.zeros_like(tied)], tied), 0
    if copies is not None:
        rows = np.repeat(rows, 1 + np.asarray(copies)[rows])
    return lab.make(model, params, rows=len(rows)).fit(lab.train_features[rows], labels[rows]), len(rows)


def confusion_of(lab: Lab, truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(n_classes, n_classes) counts, rows the true class and columns the predicted one, with a row and a column for
    every class of ``lab``'s dataset even when absent from ``truth`` and ``predicted`` (class indices)."""
    from sklearn.metrics import confusion_matrix  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    return np.asarray(confusion_matrix(truth, predicted, labels=np.arange(lab.dataset.n_classes)))
