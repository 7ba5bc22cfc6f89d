"""Out-of-fold predicted probabilities: every item scored by a model that never saw it."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["FOLDS", "out_of_fold_probs"]

FOLDS = 5


def out_of_fold_probs(
    make: Callable[[], Any], features: Any, labels: np.ndarray, kept: np.ndarray, *, n_classes: int, seed: int
) -> np.ndarray:
    """(n, n_classes) probabilities for every kept item from ``make()`` fitted on the other folds; rows
    of items not kept are NaN. Folds are stratified and seeded; fewer when a class has fewer members.

    Too little to split (logs stored before ``lab.MIN_ROWS``): a lone row has no other rows to learn from
    and gets every class alike; when no class has two rows, the folds are not stratified.
    """
    from sklearn.model_selection import KFold, StratifiedKFold  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    labels = np.asarray(labels)
    kept = np.asarray(kept, dtype=bool)
    pred_probs = np.full((len(labels), n_classes), np.nan)
    rows = np.flatnonzero(kept)
    if len(rows) < 2:
        pred_probs[rows] = 1 / n_classes
        return pred_probs
    # A class with fewer members than folds cannot be stratified; fall back to fewer folds.
    counts = np.bincount(labels[rows], minlength=n_classes)
    folds = int(min(FOLDS, max(2, counts[counts > 0].min())))
    splitter = (
        StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        if counts.max() >= folds
        else KFold(n_splits=folds, shuffle=True, random_state=seed)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class" warnings mean nothing to a learner
        for fit_rows, held_rows in splitter.split(rows, labels[rows]):
            fit, held = rows[fit_rows], rows[held_rows]
            probs = np.zeros((len(held), n_classes))
            present = np.unique(labels[fit])
            if len(present) < 2:  # every other item removed: the only class left is all a model could say
                probs[:, present] = 1.0
            else:
                model = make().fit(features[fit], labels[fit])
                probs[:, model.classes_] = model.predict_proba(features[held])
            pred_probs[held] = probs
    return pred_probs
