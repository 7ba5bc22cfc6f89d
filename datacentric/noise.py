"""Inject label noise into true labels, seeded, and remember which labels were flipped."""
from __future__ import annotations

import numpy as np


def inject_label_noise(
    labels: np.ndarray,
    *,
    rate: float,
    kind: str = "uniform",
    n_classes: int | None = None,
    pairs: tuple[tuple[int, int], ...] = (),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Flip ``round(rate * n)`` labels and return ``(noisy_labels, is_noisy)``.

    ``kind="uniform"`` moves a flipped label to any other class with equal chance;
    ``kind="pairs"`` swaps it with its partner in ``pairs`` (only items of paired classes can
    flip, so the count is capped by how many there are); ``kind="none"`` flips nothing.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be a 1-D array of integer class ids")
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    n_classes = int(labels.max()) + 1 if n_classes is None else n_classes
    if kind == "none":
        return labels.copy(), np.zeros(len(labels), dtype=bool)
    if kind == "uniform":
        if n_classes < 2:
            raise ValueError("uniform noise needs at least two classes")
        return _uniform(labels, rate, n_classes, np.random.default_rng(seed))
    if kind == "pairs":
        if not pairs:
            raise ValueError("pair noise needs at least one pair of classes")
        return _pairs(labels, rate, pairs, np.random.default_rng(seed))
    raise ValueError(f"unknown noise kind {kind!r}")


def _uniform(labels, rate, n_classes, rng):
    n_flip = round(rate * len(labels))
    flip = rng.choice(len(labels), size=n_flip, replace=False)
    noisy = labels.copy()
    # An offset in 1..k-1 never lands on the true class and is uniform over the others.
    noisy[flip] = (labels[flip] + rng.integers(1, n_classes, size=n_flip)) % n_classes
    return noisy, noisy != labels


def _pairs(labels, rate, pairs, rng):
    partner = {}
    for a, b in pairs:
        partner[a], partner[b] = b, a
    eligible = np.flatnonzero(np.isin(labels, list(partner)))
    n_flip = min(round(rate * len(labels)), len(eligible))
    flip = rng.choice(eligible, size=n_flip, replace=False)
    noisy = labels.copy()
    noisy[flip] = [partner[int(c)] for c in labels[flip]]
    return noisy, noisy != labels
