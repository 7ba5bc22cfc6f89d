"""Out-of-fold predicted probabilities and cleanlab's label quality -> the review queue."""

from __future__ import annotations

import warnings
from enum import StrEnum

import numpy as np
import pandas as pd

from datacentric.lab.lab import Lab
from datacentric.modelling.oof import out_of_fold_probs

__all__ = [
    "out_of_fold_pred_probs",
    "rank_label_issues",
    "ISSUE_SHRINK",
    "estimate_issue_count",
    "cleanlab_issue_count",
    "confident_joint",
    "random_order",
    "found_curves",
]


class Order(StrEnum):
    """A review order of the found-vs-reviewed curves, the key their ``order`` column holds; ``ORDERS`` says each
    for people, where the chart is drawn."""

    RANKED = "ranked"  # cleanlab's ranking: the label most likely wrong first
    RANDOM = "random"  # a reviewer without a ranking
    ORACLE = "oracle"  # one that knows which labels are wrong: the upper bound
    YOU = "you"  # the learner's own review (``review.your_curve``)


ORDERS = {Order.RANKED: "ranked (cleanlab)", Order.RANDOM: "random", Order.ORACLE: "perfect oracle", Order.YOU: "you"}


def out_of_fold_pred_probs(lab: Lab, labels: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Predicted probabilities for every kept training item from the fixed model, which never saw it.

    Parameters
    ----------
    lab : the prepared scenario (its training features, fixed model and seed).
    labels : the labels to learn from, one per training item (class indices, length n_train).
    kept : boolean mask over the training items: the others are neither fitted on nor predicted.

    Returns an (n_train, n_classes) array; rows of removed items are NaN.
    """
    return out_of_fold_probs(
        lambda: lab.make(lab.fixed_model),
        lab.train_features,
        labels,
        kept,
        n_classes=lab.dataset.n_classes,
        seed=lab.scenario.seed,
    )


def rank_label_issues(labels: np.ndarray, pred_probs: np.ndarray, kept: np.ndarray) -> pd.DataFrame:
    """The review queue: kept items, lowest label quality (most likely wrong) first.

    Columns: ``item`` (training index), ``quality`` (cleanlab's self-confidence score),
    ``given``, ``suggested`` (the most probable class) and ``confidence`` (its probability).

    Parameters
    ----------
    labels : the given label of every training item (class indices, length n_train).
    pred_probs : (n_train, n_classes) out-of-fold probabilities, as ``out_of_fold_pred_probs`` returns.
    kept : boolean mask over the training items: only those still in training are read.
    """
    from cleanlab.rank import get_label_quality_scores  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

    labels = np.asarray(labels)
    rows = np.flatnonzero(np.asarray(kept, dtype=bool))
    probs = pred_probs[rows]
    # No row kept (a log stored before lab.MIN_ROWS): cleanlab refuses empty labels; the queue is empty.
    quality = get_label_quality_scores(labels[rows], probs, method="self_confidence") if len(rows) else np.zeros(0)
    queue = pd.DataFrame(
        {
            "item": rows,
            "quality": quality,
            "given": labels[rows],
            "suggested": probs.argmax(axis=1),
            "confidence": probs.max(axis=1),
        }
    )
    # Stable sort on quality, ties broken by item, so the queue is the same on every machine.
    return queue.sort_values(["quality", "item"], kind="mergesort").reset_index(drop=True)


# cleanlab's count of label issues (find_label_issues, its default filter_by="prune_by_noise_rate") is shrunk to this
# share of itself. bench/topk.py, 10 shipped labs (MNIST-200 at 40 % uniform noise and with pairs, ambiguous and
# systematic noise, digits at 20 and 40 %, breast cancer and wine at 20 %, reviews.csv and machines.csv) x seeds 0-9:
# the whole count overshot the true one in 44 of the 100 runs, by up to 1.42 times (MNIST-200: 1.32 on average,
# reviews.csv 1.31), and accepting that many unchecked made 25.3 right labels wrong on average (accuracy -0.80 pts;
# on the default MNIST-200, 35.6 and +0.59 pts). 0.70 is the largest factor, in steps of 0.05, that overshoots in
# none of the 100 runs; fitted on the even seeds or on the odd, it is 0.70 and overshoots none of the others, and a
# lab left out of the fit never overshoots at the factor the other nine give. At it the top k makes 11.4 right labels
# wrong (accuracy +0.16 pts; the default: 18.3, +3.80 pts) and the count is 0.70 of the true one (0.50 to 0.92 by
# lab). Shrunk until they never overshoot, the other estimators leave more work: find's "both" needs 0.70 too and
# gives 0.66 of the true count, num_label_issues' "off_diagonal" 0.55 (0.49), "off_diagonal_calibrated" 0.50 (0.59),
# the count of labels not the most probable class 0.50 (0.68). What holds on these labs may not hold on every dataset:
# an outside one's whole count, 190 against 125 wrong labels (1.52 times), would still overshoot by about 6 %.
ISSUE_SHRINK = 0.70


def estimate_issue_count(labels: np.ndarray, pred_probs: np.ndarray, kept: np.ndarray) -> int:
    """How many kept labels are wrong, calibrated so as not to overshoot: cleanlab's confident-learning count of
    label issues times ``ISSUE_SHRINK`` (the whole count overshot on small, hard data; see its comment), rounded down.

    Parameters
    ----------
    labels : the given label of every training item (class indices, length n_train).
    pred_probs : (n_train, n_classes) out-of-fold probabilities, as ``out_of_fold_pred_probs`` returns.
    kept : boolean mask over the training items: only those still in training are read.
    """
    return int(ISSUE_SHRINK * cleanlab_issue_count(labels, pred_probs, kept))


def cleanlab_issue_count(labels: np.ndarray, pred_probs: np.ndarray, kept: np.ndarray) -> int:
    """How many kept labels cleanlab's ``find_label_issues`` flags (its default filter): the count
    ``estimate_issue_count`` shrinks. Parameters as for ``estimate_issue_count``."""
    from cleanlab.filter import find_label_issues  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

    rows = np.flatnonzero(np.asarray(kept, dtype=bool))
    if not len(rows):  # cleanlab refuses empty labels
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # n_jobs=1: no worker processes per request on a shared classroom server.
        return int(find_label_issues(np.asarray(labels)[rows], pred_probs[rows], n_jobs=1).sum())


def confident_joint(labels: np.ndarray, pred_probs: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Confident learning's count matrix: rows the given label, columns the confidently-likely class.

    Parameters
    ----------
    labels : the given label of every training item (class indices, length n_train).
    pred_probs : (n_train, n_classes) out-of-fold probabilities, as ``out_of_fold_pred_probs`` returns.
    kept : boolean mask over the training items: only those still in training are read.
    """
    from cleanlab.count import compute_confident_joint  # noqa: PLC0415 - cleanlab, 3.2 s: only when this runs

    rows = np.flatnonzero(np.asarray(kept, dtype=bool))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(compute_confident_joint(np.asarray(labels)[rows], pred_probs[rows], calibrate=False))


def random_order(n_items: int, *, seed: int) -> np.ndarray:
    """The order a reviewer without ranking would go through the items in."""
    return np.random.default_rng(seed).permutation(n_items)


def found_curves(ranked: np.ndarray, random: np.ndarray, is_noisy: np.ndarray) -> pd.DataFrame:
    """Noisy labels found against items reviewed, for ranked order, random order and an oracle.

    Parameters
    ----------
    ranked : training indices in review order (the queue's ``item`` column).
    random : a permutation of the training indices (``random_order``), cut to ``len(ranked)``.
    is_noisy : boolean mask over the training items: which labels are truly wrong.

    Long form: columns ``reviewed``, ``found`` and ``order`` (an ``Order``).
    """
    is_noisy = np.asarray(is_noisy, dtype=bool)
    reviewed = np.arange(1, len(ranked) + 1)
    oracle = np.minimum(reviewed, is_noisy.sum())
    parts = [
        pd.DataFrame({"reviewed": reviewed, "found": np.cumsum(is_noisy[ranked]), "order": Order.RANKED.value}),
        pd.DataFrame(
            {"reviewed": reviewed, "found": np.cumsum(is_noisy[random[: len(ranked)]]), "order": Order.RANDOM.value}
        ),
        pd.DataFrame({"reviewed": reviewed, "found": oracle, "order": Order.ORACLE.value}),
    ]
    return pd.concat(parts, ignore_index=True)
