"""Inject label noise into true labels, seeded, and remember which labels were flipped.

Four kinds. Uniform and confusable pairs are random. The two that happen in practice follow what the
items look like, read from ``probs``: out-of-fold probabilities of a model trained on the true labels.
- systematic: an annotator's convention. For look-alike class pairs a -> b (derived from ``probs``),
  the share ``rate`` of class a that looks most like b is labelled b.
- ambiguous: the items nearest the boundary are the likeliest to be wrong; a wrong one gets the
  class it looks most like.
"""

from __future__ import annotations

import numpy as np

__all__ = ["inject_label_noise", "look_alike_pairs"]


def inject_label_noise(
    labels: np.ndarray,
    *,
    rate: float,
    kind: str = "uniform",
    n_classes: int | None = None,
    pairs: tuple[tuple[int, int], ...] = (),
    seed: int = 0,
    probs: np.ndarray | None = None,
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
    if kind in ("systematic", "ambiguous"):
        if probs is None or probs.shape != (len(labels), n_classes):
            raise ValueError(f"{kind} noise needs probabilities of shape ({len(labels)}, {n_classes})")
        if n_classes < 2:
            raise ValueError(f"{kind} noise needs at least two classes")
        if kind == "systematic":
            return _systematic(labels, rate, look_alike_pairs(labels, probs), probs)
        return _ambiguous(labels, rate, probs, np.random.default_rng(seed))
    raise ValueError(f"unknown noise kind {kind!r}")


def look_alike_pairs(labels: np.ndarray, probs: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Directed pairs (a, b): class a's items look like b (the mean probability of b over a's items).

    Strongest first; a class is a source once, and never both a source and a target, so a convention
    never chains (a -> b -> c) or undoes itself (a -> b -> a); at most one pair per two classes.
    """
    n_classes = probs.shape[1]
    present = [c for c in range(n_classes) if np.any(labels == c)]
    likeness = {(a, b): float(probs[labels == a, b].mean()) for a in present for b in present if a != b}
    pairs, sources, targets = [], set(), set()
    for (a, b), _ in sorted(likeness.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(pairs) == max(1, n_classes // 2):
            break
        if a in sources or a in targets or b in sources:
            continue
        pairs.append((a, b))
        sources.add(a)
        targets.add(b)
    return tuple(pairs)


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


def _systematic(labels, rate, pairs, probs):
    noisy = labels.copy()
    for a, b in pairs:
        members = np.flatnonzero(labels == a)
        # Most like b first; ties by item order, so the same data always gives the same labels.
        order = members[np.lexsort((members, -probs[members, b]))]
        noisy[order[: round(rate * len(members))]] = b
    return noisy, noisy != labels


def _ambiguous(labels, rate, probs, rng):
    n_flip = round(rate * len(labels))
    own = probs[np.arange(len(labels)), labels]
    weight = (1.0 - own) + 1e-3  # unsure items are likeliest; a sure one can still be mislabelled, rarely
    flip = rng.choice(len(labels), size=n_flip, replace=False, p=weight / weight.sum())
    others = probs[flip].copy()
    others[np.arange(n_flip), labels[flip]] = -1.0
    noisy = labels.copy()
    noisy[flip] = others.argmax(axis=1)  # the class it looks most like
    return noisy, noisy != labels
