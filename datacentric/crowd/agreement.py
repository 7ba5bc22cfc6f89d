"""How far annotators agree: Cohen's kappa for a pair, Fleiss' kappa and Krippendorff's alpha for many, and which
items they disagree on most.

Labels come as an (n_items, n_annotators) integer matrix with ``MISSING`` (-1) where an annotator gave no label.
Kappa and alpha are 1 for perfect agreement, 0 for the agreement chance alone would give, below 0 for worse.
"""

from __future__ import annotations

import numpy as np

from datacentric.crowd.panels import MISSING

__all__ = [
    "MIN_SHARED",
    "cohen_kappa",
    "pairwise_kappa",
    "counts",
    "fleiss_kappa",
    "krippendorff_alpha",
    "pair_agreement",
    "with_others",
    "disagreement",
    "most_disputed",
    "with_reference",
    "WORDS",
    "in_words",
]

MIN_SHARED = 5  # items two annotators must both have labelled for their kappa to be shown


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa between two annotators over the items both labelled (NaN if none; 1 if both always say the
    same single class, where chance would too)."""
    a, b = np.asarray(a), np.asarray(b)
    both = (a != MISSING) & (b != MISSING)
    a, b = a[both], b[both]
    if not len(a):
        return float("nan")
    observed = float(np.mean(a == b))
    n_classes = int(max(a.max(), b.max())) + 1
    expected = float(np.dot(np.bincount(a, minlength=n_classes), np.bincount(b, minlength=n_classes))) / len(a) ** 2
    if expected == 1.0:
        return 1.0 if observed == 1.0 else float("nan")
    return (observed - expected) / (1.0 - expected)


def pairwise_kappa(labels: np.ndarray, *, min_shared: int = MIN_SHARED) -> np.ndarray:
    """(n_annotators, n_annotators) Cohen's kappa of every pair; NaN where a pair shares fewer than ``min_shared``
    items. The diagonal is 1."""
    labels = np.asarray(labels)
    n = labels.shape[1]
    given = labels != MISSING
    shared = given.T.astype(int) @ given.astype(int)
    kappa = np.full((n, n), np.nan)
    for i in range(n):
        kappa[i, i] = 1.0
        for j in range(i + 1, n):
            if shared[i, j] >= min_shared:
                kappa[i, j] = kappa[j, i] = cohen_kappa(labels[:, i], labels[:, j])
    return kappa


def counts(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_items, n_classes): how many annotators gave each item each class."""
    labels = np.asarray(labels)
    out = np.zeros((labels.shape[0], n_classes), dtype=int)
    rows, cols = np.nonzero(labels != MISSING)
    np.add.at(out, (rows, labels[rows, cols]), 1)
    return out


def fleiss_kappa(labels: np.ndarray, n_classes: int) -> float:
    """Fleiss' kappa over the items with at least two labels. Each item's agreement is over its own number of
    raters (the same formula as Fleiss' when every item has the same number)."""
    table = counts(labels, n_classes)
    rated = table.sum(axis=1) >= 2
    if not rated.any():
        return float("nan")
    per_item = pair_agreement(labels, n_classes)[rated]
    shares = table[rated].sum(axis=0) / table[rated].sum()
    expected = float((shares**2).sum())
    if expected == 1.0:
        return float("nan")
    return (float(per_item.mean()) - expected) / (1.0 - expected)


def krippendorff_alpha(labels: np.ndarray, n_classes: int) -> float:
    """Krippendorff's alpha for nominal labels, missing labels allowed: 1 - observed / expected disagreement,
    from the coincidence matrix of the items with at least two labels."""
    table = counts(labels, n_classes).astype(float)
    m = table.sum(axis=1)
    table, m = table[m >= 2], m[m >= 2]
    if not len(m):
        return float("nan")
    coincidence = (table / (m - 1)[:, None]).T @ table - np.diag((table / (m - 1)[:, None]).sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    observed = n - np.trace(coincidence)
    expected = (n**2 - (n_c**2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return 1.0 - observed / expected


def pair_agreement(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Per item, the share of pairs of its labels that match (Fleiss' per-item agreement; NaN under two labels)."""
    table = counts(labels, n_classes)
    m = table.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(m >= 2, (table * (table - 1)).sum(axis=1) / (m * (m - 1)), np.nan)


def with_others(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Per item, how often one of its labels matches the majority of its other labels: an accuracy of one
    annotator against the others, as human-level performance is measured without the truth. A tie among the
    others' classes counts as a share (1/2 for a two-way tie that includes the label); NaN under two labels."""
    table = counts(labels, n_classes)
    m = table.sum(axis=1)
    hits = np.zeros(len(table))
    for c in range(n_classes):
        others = table.copy()
        others[:, c] -= 1  # the other labels of an item, for one of its labels of class c
        top = others.max(axis=1)
        tied = (others == top[:, None]).sum(axis=1)
        agrees = (table[:, c] > 0) & (others[:, c] == top) & (top > 0)
        hits += np.where(agrees, table[:, c] / np.maximum(tied, 1), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(m >= 2, hits / np.maximum(m, 1), np.nan)


def disagreement(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Per item: the share of its labels that differ from its most common one (0 = all agree; NaN if unlabelled)."""
    table = counts(labels, n_classes)
    m = table.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(m > 0, 1.0 - table.max(axis=1) / np.maximum(m, 1), np.nan)


def most_disputed(labels: np.ndarray, n_classes: int, *, top: int = 12) -> np.ndarray:
    """The ``top`` items with the most disagreement, most first (more labels first among ties, then item order)."""
    share = np.nan_to_num(disagreement(labels, n_classes), nan=-1.0)
    m = (np.asarray(labels) != MISSING).sum(axis=1)
    order = np.lexsort((np.arange(len(share)), -m, -share))
    return order[:top][share[order[:top]] > 0]


def with_reference(labels: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Per annotator: the share of its labels equal to ``reference`` (NaN for one that labelled nothing)."""
    labels = np.asarray(labels)
    given = labels != MISSING
    same = (labels == np.asarray(reference)[:, None]) & given
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(given.sum(axis=0) > 0, same.sum(axis=0) / np.maximum(given.sum(axis=0), 1), np.nan)


WORDS = ((0.8, "almost perfect"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"), (0.0, "slight"))


def in_words(value: float) -> str:
    """Landis and Koch's names for a kappa or alpha: 'substantial agreement' for 0.6 to 0.8, and so on."""
    if value != value:
        return "not measurable"
    for floor, word in WORDS:
        if value > floor:
            return f"{word} agreement"
    return "poor agreement (no more than chance)"
