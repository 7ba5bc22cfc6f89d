import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from datacentric.common import metrics


@pytest.mark.parametrize("seed", range(6))
def test_every_metric_matches_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 6))
    truth = rng.choice(k, 200, p=rng.dirichlet(np.ones(k)))
    predicted = np.where(rng.random(200) < 0.7, truth, rng.integers(0, k, 200))
    if seed == 0:
        predicted[predicted == k - 1] = 0  # a class never predicted: precision undefined, shown as 0
    labels = np.arange(k)
    confusion = confusion_matrix(truth, predicted, labels=labels)
    assert metrics.accuracy(confusion) == pytest.approx(accuracy_score(truth, predicted))
    assert metrics.balanced_accuracy(confusion) == pytest.approx(balanced_accuracy_score(truth, predicted))
    assert metrics.macro_f1(confusion) == pytest.approx(
        f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
    )
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    table = metrics.per_class(confusion, tuple("abcde"[:k]))
    assert list(table["class"]) == list("abcde"[:k]) and list(table["support"]) == list(support)
    assert np.allclose(table["precision"], precision) and np.allclose(table["recall"], recall)
    assert np.allclose(table["f1"], f1)


def test_accuracy_hides_a_wiped_out_rare_class_and_the_per_class_metrics_do_not():
    truth = np.array([0] * 90 + [1] * 10)
    never_rare = np.zeros(100, dtype=int)
    confusion = confusion_matrix(truth, never_rare, labels=[0, 1])
    assert metrics.accuracy(confusion) == 0.9
    assert metrics.balanced_accuracy(confusion) == 0.5
    assert metrics.per_class(confusion).loc[1, "recall"] == 0


def test_the_default_headline_follows_the_class_balance():
    assert metrics.default_metric(np.array([0] * 50 + [1] * 40 + [2] * 30), 3)[0] == "accuracy"
    key, why = metrics.default_metric(np.array([0] * 90 + [1] * 40 + [2] * 29), 3)
    assert key == "balanced_accuracy" and "29 test items against 90" in why


def test_one_test_item_is_worth_a_fixed_step_in_accuracy_and_a_range_in_balanced_accuracy():
    labels = np.array([0] * 80 + [1] * 20)
    assert metrics.item_worth(labels, 2, "accuracy") == (1.0, 1.0)
    assert metrics.item_worth(labels, 2, "balanced_accuracy") == (100 / 160, 100 / 40)
