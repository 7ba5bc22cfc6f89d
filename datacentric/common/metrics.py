"""The headline metrics, from a confusion matrix (rows: true class, columns: predicted class).

Accuracy hides a rare class: a model that never predicts it loses only its few items. Balanced
accuracy (the mean of per-class recall) and macro-F1 weigh every class alike. The default headline
follows the test labels: accuracy when the classes are balanced, balanced accuracy when the
smallest class has under a third of the largest's items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from datacentric.common.terms import Term, by_key

__all__ = [
    "IMBALANCED",
    "METRICS",
    "lowered",
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "value",
    "per_class",
    "default_metric",
    "item_worth",
]

IMBALANCED = 1 / 3  # smallest class / largest class below this: accuracy hides the small one


METRICS = by_key(
    Term("accuracy", "Accuracy", "the share of test items predicted right"),
    Term(
        "balanced_accuracy",
        "Balanced accuracy",
        "the mean over classes of the share of each class predicted "
        "right, so a rare class counts as much as a common one",
    ),
    Term("macro_f1", "Macro-F1", "the mean over classes of F1 (precision and recall together), every class alike"),
)


def lowered(name: str) -> str:
    """A metric's name inside a sentence: 'balanced accuracy', 'macro-F1'."""
    return name[:1].lower() + name[1:]


def accuracy(confusion: np.ndarray) -> float:
    total = confusion.sum()
    return float(np.trace(confusion) / total) if total else 0.0


def balanced_accuracy(confusion: np.ndarray) -> float:
    """Mean recall over the classes that have test items (as scikit-learn's ``balanced_accuracy_score``)."""
    support = confusion.sum(axis=1)
    present = support > 0
    return float(np.mean(np.diag(confusion)[present] / support[present])) if present.any() else 0.0


def macro_f1(confusion: np.ndarray) -> float:
    """Mean F1 over every class (scikit-learn's ``f1_score(average="macro", zero_division=0)`` on all labels)."""
    return float(np.mean(per_class(confusion)["f1"])) if len(confusion) else 0.0


def value(confusion: np.ndarray, key: str) -> float:
    return {"accuracy": accuracy, "balanced_accuracy": balanced_accuracy, "macro_f1": macro_f1}[key](confusion)


def per_class(confusion: np.ndarray, classes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per class: support (test items), predicted, precision, recall and F1 (0 where undefined)."""
    import pandas as pd  # noqa: PLC0415 - here, not above: Home imports this module before its title is drawn

    confusion = np.asarray(confusion, dtype=float)
    right = np.diag(confusion)
    support, predicted = confusion.sum(axis=1), confusion.sum(axis=0)
    precision = np.divide(right, predicted, out=np.zeros_like(right), where=predicted > 0)
    recall = np.divide(right, support, out=np.zeros_like(right), where=support > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(right), where=both > 0)
    names = list(classes) if classes is not None else list(range(len(confusion)))
    return pd.DataFrame(
        {
            "class": names,
            "support": support.astype(int),
            "predicted": predicted.astype(int),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )


def default_metric(test_labels: np.ndarray, n_classes: int) -> tuple[str, str]:
    """(metric key, one sentence why) for these test labels."""
    counts = np.bincount(test_labels, minlength=n_classes)
    counts = counts[counts > 0]
    smallest, largest = int(counts.min()), int(counts.max())
    if smallest < IMBALANCED * largest:
        return "balanced_accuracy", (
            f"The smallest class has {smallest} test items against {largest} in the largest "
            "(under a third), so accuracy would hide it: balanced accuracy counts every "
            "class alike."
        )
    return "accuracy", (
        f"The classes are balanced enough ({smallest} to {largest} test items each) for accuracy, "
        "the share of test items predicted right."
    )


def item_worth(test_labels: np.ndarray, n_classes: int, key: str) -> tuple[float, float]:
    """(smallest, largest) points one test item can move ``key``: the same for accuracy; for the per-class
    metrics, an item of the largest class moves them least and one of the smallest class most."""
    counts = np.bincount(test_labels, minlength=n_classes)
    counts = counts[counts > 0]
    if key == "accuracy":
        step = 100 / counts.sum()
        return step, step
    return 100 / (len(counts) * counts.max()), 100 / (len(counts) * counts.min())
