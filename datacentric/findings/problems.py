"""Data problems beyond wrong labels, found with cleanlab's Datalab: outliers, near-duplicates, training rows
that are also in the test set (leakage), a rare class, and rows of a different kind (not independent and
identically distributed with the rest); and two it does not look for, read from the rows' own values
(``rowchecks``): numbers out of the test rows' range, and text that is markup or junk.

Datalab reads dense features through a nearest-neighbour graph. A learner's text is TF-IDF, thousands of
sparse columns, so it is first reduced to ``TEXT_DIMENSIONS`` with a truncated SVD (latent semantic
analysis); digits are read as their pixels, tables as their encoded columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.decomposition import TruncatedSVD
from sklearn.neighbors import NearestNeighbors

from datacentric.common.terms import Term, by_key
from datacentric.findings import rowchecks
from datacentric.lab.lab import Lab

__all__ = ["TEXT_DIMENSIONS", "TYPICAL_SAMPLE", "LEAK_SHARE", "KINDS", "DATALAB", "Problems", "reduced", "find"]

TEXT_DIMENSIONS = 100
TYPICAL_SAMPLE = 2000  # rows to estimate the typical distance between neighbours from
LEAK_SHARE = 0.05  # a test row this close to a training row, as a share of the typical neighbour distance, is a copy


KINDS = by_key(
    Term(
        "outlier",
        "Outliers",
        "Rows unlike any other: a measurement gone wrong, junk, or a kind of item the data "
        "barely has. Check before you remove: a rare but real case teaches the model something.",
    ),
    Term(
        "near_duplicate",
        "Near-duplicates",
        "Rows (almost) the same as another training row: each copy counts again, so the model leans towards them.",
    ),
    Term(
        "leak",
        "Also in the test set",
        "Training rows (almost) the same as a test row: the test then measures "
        "memory, not how the model does on unseen data. Remove them from training.",
    ),
    Term(
        "class_imbalance",
        "Rare class",
        "Rows of a class far smaller than the others: the model may learn to ignore it, and accuracy will not show it.",
    ),
    Term(
        "non_iid",
        "Of a different kind",
        "Rows whose neighbours are unlike the rest of the data: a second "
        "source mixed in, or a file in an order that matters.",
    ),
    Term(
        "out_of_range",
        "Numbers out of range",
        "Rows with a number far outside the range the test rows hold: a broken sensor, a unit mix-up, a typo. The "
        "model is never scored there, so such a row can only pull it off course.",
    ),
    Term(
        "junk_text",
        "Junk text",
        "Rows whose text is markup (HTML tags), mostly symbols, or one character repeated: left over from a scrape "
        "or an export, not an example of the task.",
    ),
)
DATALAB = ("outlier", "near_duplicate", "class_imbalance", "non_iid")  # the kinds Datalab finds


@dataclass(frozen=True)
class Problems:
    """Per kind, which training items have that problem (a boolean array) and a score (lower is worse)."""

    flags: dict[str, np.ndarray]
    scores: dict[str, np.ndarray] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return int(self.flags[kind].sum())


def reduced(lab: Lab) -> tuple[np.ndarray, np.ndarray]:
    """(training, test) features as dense arrays Datalab can read."""
    if not lab.sparse:
        return np.asarray(lab.train_features, dtype=float), np.asarray(lab.test_features, dtype=float)

    n = max(2, min(TEXT_DIMENSIONS, lab.train_features.shape[1] - 1, lab.n_train - 1))
    svd = TruncatedSVD(n, random_state=lab.scenario.seed).fit(lab.train_features)
    return svd.transform(lab.train_features), svd.transform(lab.test_features)


def find(
    lab: Lab, labels: np.ndarray, kept: np.ndarray, on_progress: Callable[[float, str], None] = lambda f, text: None
) -> Problems:
    """Every kind of problem among the kept training items (items not kept are never flagged)."""
    from cleanlab import Datalab  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

    on_progress(0.0, "Reading the features...")
    train, test = reduced(lab)
    rows = np.flatnonzero(kept)
    on_progress(
        0.3, "Finding outliers, near-duplicates, a rare class and rows of a different kind (cleanlab Datalab)..."
    )
    datalab = Datalab(data={"label": labels[rows]}, label_name="label", verbosity=0)
    datalab.find_issues(features=train[rows], issue_types={k: {} for k in DATALAB})
    flags, scores = {}, {}
    for key in KINDS:
        flags[key], scores[key] = np.zeros(lab.n_train, dtype=bool), np.ones(lab.n_train)
        if key not in DATALAB:
            continue
        try:
            found = datalab.get_issues(key)
        except ValueError:  # Datalab could not check this kind on these rows: nothing found, not a failure
            continue
        flags[key][rows] = found[f"is_{key}_issue"].to_numpy(dtype=bool)
        scores[key][rows] = found[f"{key}_score"].to_numpy(dtype=float)
    on_progress(0.8, "Looking for training rows that are also in the test set...")
    flags["leak"][rows], scores["leak"][rows] = _leaks(train[rows], test)
    on_progress(0.9, "Looking for numbers out of range and junk text...")
    numbers, tested = _columns(lab, "numeric")
    flags["out_of_range"][rows], scores["out_of_range"][rows] = rowchecks.out_of_range(numbers.iloc[rows], tested)
    texts, _ = _columns(lab, "text")
    flags["junk_text"][rows], scores["junk_text"][rows] = rowchecks.junk_text(texts.iloc[rows])
    on_progress(1.0, "Done")
    return Problems(flags, scores)


def _columns(lab: Lab, role: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The columns of ``role`` ("numeric" or "text") over the training and the test rows, as the data holds them:
    a learner's as uploaded, a built-in table's features; an image's pixels are no columns to read this way."""
    if not lab.dataset.is_users:
        if role != "numeric" or lab.dataset.modality == "image":
            return pd.DataFrame(index=range(lab.n_train)), pd.DataFrame()
        names = list(lab.dataset.feature_names)
        return pd.DataFrame(lab.train_features, columns=names), pd.DataFrame(lab.test_features, columns=names)
    names = [r.column for r in lab.dataset.roles_used if r.role == role]
    if lab.dataset.raw is None:  # a learner's dataset always keeps its rows as uploaded
        raise ValueError("a learner's dataset without its rows")
    raw = lab.dataset.raw[names]
    return raw.iloc[lab.train_index].reset_index(drop=True), raw.iloc[lab.test_index].reset_index(drop=True)


def _leaks(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(training rows with a test row at almost no distance, a score: that distance over the typical one)."""

    if len(train) < 2 or len(test) == 0:
        return np.zeros(len(train), dtype=bool), np.ones(len(train))
    sample = train[np.random.default_rng(0).permutation(len(train))[:TYPICAL_SAMPLE]]  # the typical distance, estimated
    typical = float(np.median(NearestNeighbors(n_neighbors=2).fit(sample).kneighbors(sample)[0][:, 1])) or 1.0
    distance = NearestNeighbors(n_neighbors=1).fit(test).kneighbors(train)[0][:, 0] / typical
    return distance <= LEAK_SHARE, np.minimum(distance, 1.0)
