"""Which k items of a week to label, by strategy: each spends exactly its budget (or the whole week if smaller)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.neighbors import NearestNeighbors

__all__ = ["Strategy", "STRATEGIES", "choose"]


@dataclass(frozen=True)
class Strategy:
    title: str
    summary: str


STRATEGIES = {
    "random": Strategy("Random", "Any k items of the week, picked at random: the baseline every other must beat."),
    "least_confident": Strategy("Least confident", "The items whose top predicted probability is lowest."),
    "margin": Strategy("Margin", "The items whose top two predicted classes are closest."),
    "activelab": Strategy("ActiveLab", "cleanlab's ActiveLab scores for unlabelled items (lowest first)."),
    "drift_aware": Strategy(
        "Drift-aware",
        "The items least like anything in training (farthest from their nearest "
        "training item), the model's uncertainty breaking ties.",
    ),
}


def choose(
    strategy: str,
    k: int,
    probs: np.ndarray,
    *,
    features: np.ndarray | None = None,
    training: np.ndarray | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Positions of the ``k`` items of a week to label, from the model's ``probs`` on the week (and, for the
    drift-aware choice, the week's ``features`` and the ``training`` features, standardised alike)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    if strategy == "drift_aware" and (features is None or training is None):
        raise ValueError("the drift-aware choice needs the week's features and the training features")
    n = len(probs)
    k = min(max(int(k), 0), n)
    if k == 0:
        return np.zeros(0, dtype=int)
    if strategy == "random":
        return np.sort(np.random.default_rng([seed, 50]).choice(n, size=k, replace=False))
    top = np.sort(probs, axis=1)[:, ::-1]
    if strategy == "least_confident":
        score = top[:, 0]
    elif strategy == "margin":
        score = top[:, 0] - (top[:, 1] if probs.shape[1] > 1 else 0)
    elif strategy == "activelab":
        from cleanlab.multiannotator import get_active_learning_scores  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

        _, score = get_active_learning_scores(pred_probs_unlabeled=np.clip(probs, 1e-6, 1))
    else:
        score = -_novelty(features, training) + 1e-6 * top[:, 0]
    return np.sort(np.argsort(score, kind="stable")[:k])


def _novelty(features: np.ndarray, training: np.ndarray) -> np.ndarray:
    """Each item's distance to its nearest training item, in standardised units."""

    mean, sd = training.mean(axis=0), training.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    distance, _ = NearestNeighbors(n_neighbors=1).fit((training - mean) / sd).kneighbors((features - mean) / sd)
    return distance[:, 0]
