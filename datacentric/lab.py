"""Turn a scenario into its fixed train/test split, encoded features and noisy training labels."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from datacentric.catalog import Dataset, load_dataset
from datacentric.models import FAMILIES, FIXED_MODELS, ModelSpec
from datacentric.noise import inject_label_noise
from datacentric.oof import out_of_fold_probs
from datacentric.scenario import Scenario

TEST_SHARE = 0.3
LOOKS_LIKE = ("systematic", "ambiguous")  # noise kinds that follow what the items look like
GRADING = {
    "truth": "Graded against known-true labels.",
    "injected": "Graded against the labels as uploaded: the app knows the errors it injected, not any already in the file.",
    "none": "Not graded: nothing says which labels are truly wrong.",
}


@dataclass(frozen=True)
class Lab:
    """Everything read-only about one scenario; shared by every learner who opens it."""

    scenario: Scenario
    dataset: Dataset
    train_index: np.ndarray  # rows of the dataset used for training
    test_index: np.ndarray
    true_labels: np.ndarray  # training labels as published (or from the known-true column)
    noisy_labels: np.ndarray  # training labels the learner starts from
    is_noisy: np.ndarray
    train_features: Any  # ndarray, or a sparse matrix for text
    test_features: Any

    @property
    def test_labels(self) -> np.ndarray:
        return self.dataset.labels[self.test_index]

    @property
    def n_train(self) -> int:
        return len(self.train_index)

    @property
    def encoded(self) -> bool:
        """Features come already scaled and encoded (a learner's table), so models skip their own scaler."""
        return self.dataset.is_users

    @property
    def sparse(self) -> bool:
        return not isinstance(self.train_features, np.ndarray)

    @property
    def fixed_model(self) -> ModelSpec:
        return FIXED_MODELS[self.dataset.modality]

    @property
    def grading(self) -> str:
        """How far the app knows which training labels are wrong: a key of ``GRADING``."""
        if not self.dataset.is_users or self.dataset.given is not None:
            return "truth"
        return "injected" if self.scenario.rate > 0 else "none"

    @property
    def test_source(self) -> str:
        """Where the test labels come from and whether they are known to be clean, as a phrase after "scored on":
        "clean" only for a built-in's published labels or a column of known-true labels."""
        n = f"{len(self.test_index):,} test items"
        if not self.dataset.is_users:
            return f"a clean test split ({n}: a seeded {TEST_SHARE * 100:.0f} % of the data, with its published labels)"
        if self.dataset.test_from == "file":
            return f"your test file ({n}), its labels taken as the truth"
        where = ("the rows your split column marks for testing" if self.dataset.test_from == "column"
                 else f"a seeded random {TEST_SHARE * 100:.0f} % of your file")
        if self.dataset.given is not None:
            return f"{where} ({n}), graded by your column of known-true labels"
        return f"{where} ({n}), with their labels as given: not known to be clean"

    @property
    def families(self) -> dict[str, ModelSpec]:
        """The model families to tune, by key: "logistic" is exactly the fixed model (on text, TF-IDF with its C)."""
        return {**FAMILIES, "logistic": self.fixed_model}

    def make(self, model: ModelSpec, params: dict | None = None):
        """An unfitted estimator of ``model`` for this lab's features (its defaults where ``params`` is silent)."""
        return model.make(seed=self.scenario.seed, scale=not self.encoded, **{**model.defaults(), **(params or {})})


def _features(dataset: Dataset, train_index: np.ndarray, test_index: np.ndarray):
    """(train, test) features: a built-in's as they are; a learner's table encoded, fitted on training rows."""
    if not dataset.is_users:
        return dataset.features[train_index], dataset.features[test_index]
    from datacentric.featurize import DataError, make_encoder

    # Fitted on the training split only: the test items stay unseen, vocabulary included.
    encoder = make_encoder(list(dataset.roles_used), n_rows=len(train_index))
    try:
        train_features = encoder.fit_transform(dataset.table.iloc[train_index])
    except ValueError as error:
        if "no terms remain" in str(error) or "empty vocabulary" in str(error):
            raise DataError("A text column has no word that appears in two training rows (words are runs of "
                            "letters separated by spaces), so TF-IDF has nothing to weigh. Give that column "
                            "another role, or ignore it.") from error
        raise
    return train_features, encoder.transform(dataset.table.iloc[test_index])


def prepare(scenario: Scenario, dataset: Dataset | None = None) -> Lab:
    """Split the dataset (stratified, seeded), encode a learner's table, and inject the scenario's noise.

    ``dataset`` is loaded from the built-in catalog when not given (a learner's comes from the store).
    """
    from sklearn.model_selection import train_test_split

    dataset = dataset or load_dataset(scenario.dataset)
    if dataset.test_mask is not None:  # the data names its test rows: no seed moves them
        train_index, test_index = np.flatnonzero(~dataset.test_mask), np.flatnonzero(dataset.test_mask)
    else:
        train_index, test_index = train_test_split(
            np.arange(len(dataset.labels)),
            test_size=TEST_SHARE,
            stratify=dataset.labels,
            random_state=scenario.seed,
        )
    train_features, test_features = _features(dataset, train_index, test_index)
    true_labels = dataset.labels[train_index]
    start = true_labels if dataset.given is None else dataset.given[train_index]
    probs = None
    if scenario.noise in LOOKS_LIKE:  # what each item looks like, to a model that learned from the start labels
        fixed = FIXED_MODELS[dataset.modality]
        probs = out_of_fold_probs(lambda: fixed.make(seed=scenario.seed, scale=not dataset.is_users, **fixed.defaults()),
                                  train_features, start, np.ones(len(start), dtype=bool),
                                  n_classes=dataset.n_classes, seed=scenario.seed)
    noisy_labels, _ = inject_label_noise(
        start,
        rate=scenario.rate / 100,
        kind=scenario.noise,
        n_classes=dataset.n_classes,
        pairs=dataset.confusable_pairs,
        seed=scenario.seed,
        probs=probs,
    )
    return Lab(scenario, dataset, train_index, test_index, true_labels, noisy_labels, noisy_labels != true_labels,
               train_features, test_features)
