"""The challenge's scoring and rankings: the scenario's held-out test items split into a public half (scores shown
live) and a private half (never shown to a learner; it decides the final ranking once the instructor reveals it),
as in a Kaggle-style competition, but ranking data work, with its gain per label action."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from datacentric.common import metrics
from datacentric.lab.evaluate import confusion_of, fitted
from datacentric.lab.lab import Lab

__all__ = ["PUBLIC_SHARE", "Split", "split", "scores", "Entry", "standings"]

PUBLIC_SHARE = 0.5  # of the held-out items: the rest are private


@dataclass(frozen=True)
class Split:
    """Rows of the dataset: the public and the private held-out items."""

    public: np.ndarray
    private: np.ndarray


def split(lab: Lab, secret: str) -> Split:
    """The public/private split of the lab's held-out items: stratified, seeded by ``secret`` (a room's salt and
    round: each room and round has its own, every server process draws the same one, and no learner knows the seed)."""

    held = lab.holdout_index
    if len(held) < 2:
        raise ValueError("This scenario holds out no test items for a challenge (its holdout is 0).")
    labels = lab.dataset.labels[held]
    stratify = labels if np.bincount(labels).min(initial=2) >= 2 and len(held) >= 2 * len(np.unique(labels)) else None
    seed = int.from_bytes(hashlib.sha256(secret.encode()).digest()[:4], "big")
    public, private = train_test_split(held, train_size=PUBLIC_SHARE, stratify=stratify, random_state=seed)
    return Split(np.sort(public), np.sort(private))


def scores(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, copies: np.ndarray | None, halves: Split, metric: str
) -> tuple[float, float]:
    """(public, private) ``metric`` of the fixed model trained on these labels, one fit for both."""
    if lab.dataset.is_users:
        raise ValueError("A challenge runs on a built-in dataset.")
    estimator, _ = fitted(lab, labels, kept, copies=copies)
    both = np.concatenate([halves.public, halves.private])
    predicted = estimator.predict(lab.dataset.features[both])
    truth = lab.dataset.labels[both]
    n = len(halves.public)
    return tuple(
        metrics.value(confusion_of(lab, truth[part], predicted[part]), metric)  # type: ignore[return-value]
        for part in (slice(None, n), slice(n, None))
    )


@dataclass(frozen=True)
class Entry:
    """One learner's line on a leaderboard: their best public submission (by then: ``actions``)."""

    workspace: str  # who, for marking "you": never shown
    name: str
    submissions: int
    actions: int | None = None
    public: float | None = None
    private: float | None = None  # None unless the ranking is revealed (or the instructor asks)
    gain_per_action: float | None = None  # public points gained over the start, per label action

    @property
    def scored(self) -> bool:
        return self.public is not None


def standings(
    members: list[tuple[str, str]],
    submitted: list[dict[str, Any]],
    *,
    start: float,
    private: bool,
    names_hidden: bool = False,
) -> list[Entry]:
    """The leaderboard. ``members``: (workspace, display name) in joining order; ``submitted``: rows with
    workspace, actions, public and (only if ``private``) private. Each learner's entry is their best public
    submission (the earliest of equal ones); ranked by public score, or by that submission's private score once
    ``private``; fewer actions first among equals. Learners with no submission come last. ``start``: the public
    score of the starting labels, for the gain per action. Hidden names become "Learner 1", "Learner 2" ... in
    joining order."""
    best: dict[str, dict[str, Any]] = {}
    count: dict[str, int] = {}
    for row in submitted:
        ws = row["workspace"]
        count[ws] = count.get(ws, 0) + 1
        if ws not in best or row["public"] > best[ws]["public"]:
            best[ws] = row
    entries = []
    for i, (ws, name) in enumerate(members, start=1):
        shown = f"Learner {i}" if names_hidden else name
        row = best.get(ws)
        if row is None:
            entries.append(Entry(ws, shown, 0))
            continue
        gain = (row["public"] - start) / row["actions"] if row["actions"] else None
        entries.append(
            Entry(ws, shown, count[ws], row["actions"], row["public"], row["private"] if private else None, gain)
        )
    key = "private" if private else "public"
    return sorted(entries, key=lambda e: (not e.scored, -(getattr(e, key) or 0.0), e.actions or 0))
