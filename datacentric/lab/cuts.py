"""The single-condition slices a lab's items can be cut into: a class, a numeric column's quantile bin, a
category's value, a text's length bin or a word it holds, an interpretable image feature's bin. The
foundation that error analysis (findings.slices) and the under-represented scenario (lab.planting) stand on."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from datacentric.lab.lab import Lab

__all__ = ["BINS", "MIN_SHARE", "WORDS", "Slice", "find", "candidates", "image_features"]

BINS = 4  # quantile bins for a numeric column
MIN_SHARE = 0.02  # discovery ignores slices with fewer test items than this share
WORDS = 12  # "contains word" slices: the commonest words of a text column, over this many


@dataclass(frozen=True)
class Slice:
    """A named condition; ``test`` and ``train`` say which test and training items are in it."""

    name: str
    test: np.ndarray
    train: np.ndarray
    parts: tuple[str, ...] = ()  # the single slices' names it joins (empty: it is one of them)

    @property
    def key(self) -> tuple[str, ...]:
        """The names of its conditions: how a page asks for it again (``find``)."""
        return self.parts or (self.name,)

    def __and__(self, other: Slice) -> Slice:
        return Slice(
            f"{self.name} and {other.name}", self.test & other.test, self.train & other.train, (*self.key, *other.key)
        )


def find(single: list[Slice], key: tuple[str, ...]) -> Slice | None:
    """The slice whose conditions are ``key`` (names of ``single`` slices), or None if one is gone."""
    by_name = {s.name: s for s in single}
    if not key or any(name not in by_name for name in key):
        return None
    found = by_name[key[0]]
    for name in key[1:]:
        found = found & by_name[name]
    return found


def candidates(lab: Lab) -> list[Slice]:
    """Every single-condition slice of this lab, in a fixed order: classes first, then its columns."""
    classes = lab.dataset.classes
    found = [
        Slice(f"class is {classes[c]}", lab.test_labels == c, lab.true_labels == c)
        for c in range(lab.dataset.n_classes)
    ]
    for name, (train, test), kind in _columns(lab):
        if kind == "numeric":
            found += _binned(name, train, test)
        elif kind == "categorical":
            found += [
                Slice(f"{name} is {value}", test == value, train == value)
                for value in pd.Series(train).value_counts().index[:WORDS]
            ]
        else:  # text: its length, and the words it holds
            lengths = (
                pd.Series(train).str.split().str.len().to_numpy(),
                pd.Series(test).str.split().str.len().to_numpy(),
            )
            found += _binned(f"words in {name}", *lengths)
            for word in _common_words(train):
                found.append(Slice(f"{name} contains '{word}'", _contains(test, word), _contains(train, word)))
    # A slice of every item says nothing about a part of the data (a column whose quantiles collapse into one bin, as
    # MNIST's image height, 10 to 20 rows on every image, did: it topped the priority table with every row in it).
    return [s for s in found if s.test.any() and not s.test.all() and not s.train.all()]


def _columns(lab: Lab):
    """(name, (training values, test values), kind) for each column a slice can read."""
    dataset = lab.dataset
    if dataset.modality == "image":
        for name, (train, test) in image_features(lab).items():
            yield name, (train, test), "numeric"
        return
    if not dataset.is_users:
        for i, name in enumerate(dataset.feature_names):
            yield name, (lab.train_features[:, i], lab.test_features[:, i]), "numeric"
        return
    for role in dataset.roles_used:
        column = dataset.raw[role.column]
        train, test = column.iloc[lab.train_index].to_numpy(), column.iloc[lab.test_index].to_numpy()
        if role.role == "numeric":
            train, test = (
                pd.to_numeric(pd.Series(train), errors="coerce").to_numpy(),
                pd.to_numeric(pd.Series(test), errors="coerce").to_numpy(),
            )
        elif role.role == "text":
            train = pd.Series(train).fillna("").astype(str).to_numpy()
            test = pd.Series(test).fillna("").astype(str).to_numpy()
        else:
            train, test = pd.Series(train).astype(str).to_numpy(), pd.Series(test).astype(str).to_numpy()
        yield role.column, (train, test), role.role


def image_features(lab: Lab) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Interpretable features of grey-scale images: ink (total darkness), thickness (ink per inked pixel),
    slant (how the ink's rows shift left to right, top to bottom) and height (rows with ink)."""
    shape = lab.dataset.image_shape

    def of(pixels: np.ndarray) -> dict[str, np.ndarray]:
        images = np.asarray(pixels, dtype=float).reshape(-1, *shape)
        ink = images.sum(axis=(1, 2))
        inked = (images > images.max() / 4).sum(axis=(1, 2))
        rows, columns = np.indices(shape)
        total = np.maximum(ink, 1e-9)
        mean_row = (images * rows).sum(axis=(1, 2)) / total
        mean_col = (images * columns).sum(axis=(1, 2)) / total
        covariance = (images * (rows - mean_row[:, None, None]) * (columns - mean_col[:, None, None])).sum(axis=(1, 2))
        spread = (images * (rows - mean_row[:, None, None]) ** 2).sum(axis=(1, 2))
        return {
            "ink": ink,
            "thickness": ink / np.maximum(inked, 1),
            "slant": -covariance / np.maximum(spread, 1e-9),
            "height": (images.sum(axis=2) > 0).sum(axis=1),
        }

    train, test = of(lab.train_features), of(lab.test_features)
    return {name: (train[name], test[name]) for name in train}


def _binned(name: str, train: np.ndarray, test: np.ndarray) -> list[Slice]:
    """Quantile bins of a numeric column, cut on the training values (NaN in no bin)."""
    known = train[~np.isnan(train)] if np.issubdtype(np.asarray(train).dtype, np.floating) else train
    edges = np.unique(np.quantile(known, np.linspace(0, 1, BINS + 1))) if len(known) else []
    found = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
        last = i == len(edges) - 2

        def inside(values, low=low, high=high, last=last):
            values = np.asarray(values, dtype=float)
            return (values >= low) & ((values <= high) if last else (values < high))

        # A phrase a newcomer reads ("slant between -0.13 and -0.04"), not interval notation: a value on a shared
        # edge belongs to the bin above it, the last bin's top included.
        found.append(Slice(f"{name} between {low:.3g} and {high:.3g}", inside(test), inside(train)))
    return found


def _common_words(texts: np.ndarray) -> list[str]:
    words = pd.Series(texts).str.lower().str.findall(r"[a-z]{3,}").map(set).explode().dropna()
    return list(words.value_counts().index[:WORDS])


def _contains(texts: np.ndarray, word: str) -> np.ndarray:
    return pd.Series(texts).str.contains(rf"\b{re.escape(word)}\b", case=False, regex=True).to_numpy(dtype=bool)
