"""Turn a scenario into its fixed train/test split and noisy training labels."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacentric.catalog import Dataset, load_dataset
from datacentric.noise import inject_label_noise
from datacentric.scenario import Scenario

TEST_SHARE = 0.3


@dataclass(frozen=True)
class Lab:
    """Everything read-only about one scenario; shared by every learner who opens it."""

    scenario: Scenario
    dataset: Dataset
    train_index: np.ndarray  # rows of the dataset used for training
    test_index: np.ndarray
    true_labels: np.ndarray  # training labels as published
    noisy_labels: np.ndarray  # training labels the learner starts from
    is_noisy: np.ndarray

    @property
    def train_features(self) -> np.ndarray:
        return self.dataset.features[self.train_index]

    @property
    def test_features(self) -> np.ndarray:
        return self.dataset.features[self.test_index]

    @property
    def test_labels(self) -> np.ndarray:
        return self.dataset.labels[self.test_index]

    @property
    def n_train(self) -> int:
        return len(self.train_index)


def prepare(scenario: Scenario) -> Lab:
    """Split the dataset (stratified, seeded) and inject the scenario's noise into the training labels."""
    from sklearn.model_selection import train_test_split

    dataset = load_dataset(scenario.dataset)
    train_index, test_index = train_test_split(
        np.arange(len(dataset.labels)),
        test_size=TEST_SHARE,
        stratify=dataset.labels,
        random_state=scenario.seed,
    )
    true_labels = dataset.labels[train_index]
    noisy_labels, is_noisy = inject_label_noise(
        true_labels,
        rate=scenario.rate / 100,
        kind=scenario.noise,
        n_classes=dataset.n_classes,
        pairs=dataset.confusable_pairs,
        seed=scenario.seed,
    )
    return Lab(scenario, dataset, train_index, test_index, true_labels, noisy_labels, is_noisy)
