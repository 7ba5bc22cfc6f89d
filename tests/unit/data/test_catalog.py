"""Data: the built-in datasets are what the app says they are, and scenarios split them as promised."""

import numpy as np
import pytest

from datacentric.data.catalog import DATASETS, load_dataset
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.modelling.models import FLOOR

EXPECTED = {
    "digits": (1797, 64, 10, "image"),
    "breast_cancer": (569, 30, 2, "tabular"),
    "wine": (178, 13, 3, "tabular"),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_shapes_classes_and_pairs(name):
    dataset = load_dataset(name)
    n, d, k, modality = EXPECTED[name]
    assert dataset.features.shape == (n, d) and dataset.labels.shape == (n,)
    assert dataset.n_classes == k and set(dataset.labels) == set(range(k))
    assert dataset.modality == modality and len(dataset.feature_names) == d
    assert all(0 <= c < k for pair in dataset.confusable_pairs for c in pair)
    assert DATASETS[name].source


def test_unknown_dataset_names_the_choices():
    with pytest.raises(KeyError, match="digits"):
        load_dataset("imagenet")


@pytest.mark.parametrize("name", EXPECTED)
def test_split_is_stratified_disjoint_and_reproducible(name):
    a, b = prepare(Scenario(name, "uniform", 20, 7)), prepare(Scenario(name, "uniform", 20, 7))
    assert np.array_equal(a.train_index, b.train_index) and np.array_equal(a.noisy_labels, b.noisy_labels)
    assert not set(a.train_index) & set(a.test_index)
    assert len(a.train_index) + len(a.test_index) == EXPECTED[name][0]
    assert abs(a.is_noisy.mean() - 0.2) < 0.01
    assert set(a.test_labels) == set(range(EXPECTED[name][2]))


@pytest.mark.parametrize("name", EXPECTED)
def test_the_fixed_model_beats_the_floor_on_clean_labels(name):
    lab = prepare(Scenario(name, "none", 0, 0))
    assert (
        train_and_score(lab, lab.true_labels).accuracy
        > train_and_score(lab, lab.true_labels, model=FLOOR).accuracy + 0.3
    )


def test_a_single_class_left_falls_back_to_the_floor():
    lab = prepare(Scenario("wine", "none", 0, 0))
    kept = lab.true_labels == 0
    score = train_and_score(lab, lab.true_labels, kept)
    assert score.n_trained_on == kept.sum() and 0 < score.accuracy < 0.5
