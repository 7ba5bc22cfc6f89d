"""Monitoring a week against what the model was trained on: drift per feature (the two-sample Kolmogorov-Smirnov
test, and the Wasserstein distance in training standard deviations), the share of features drifted, the shift in
predictions (chi-squared) and in confidence (KS), an accuracy estimated without labels, and the alerts they raise.

The choice of test follows Evidently's presets for small reference sets: KS for numeric features, chi-squared for
categories, a feature drifted at p < ``P_DRIFT``. The estimate without labels is NannyML's idea (CBPE): the mean
of calibrated confidence, calibrated on a labelled reference period the model never trained on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

P_DRIFT = 0.05  # a feature drifted when its KS test's p-value is below this
SHARE_ALERT = 0.3  # of the varying features drifted: the data drifted
PREDICTIONS_ALERT = 0.01  # chi-squared p-value of the predicted classes against training's
DROP_ALERT = 0.05  # the estimated accuracy this far below the one at deployment


@dataclass(frozen=True)
class Reference:
    """What monitoring compares a week with: the training features, and the deployed model's predictions and
    confidence on a labelled reference period, with whether each was right (the calibration's data)."""

    features: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    correct: np.ndarray  # out of fold: was the prediction right
    n_classes: int

    @property
    def accuracy(self) -> float:
        return float(self.correct.mean())


def reference(features: np.ndarray, probs: np.ndarray, labels: np.ndarray) -> Reference:
    """The reference from the training ``features`` and the model's ``probs`` on labelled items it never trained
    on, with their true ``labels``."""
    predicted = probs.argmax(axis=1)
    return Reference(np.asarray(features, dtype=float), predicted, probs.max(axis=1), predicted == labels,
                     probs.shape[1])


def feature_drift(reference_features: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per feature: (KS statistic, its p-value, Wasserstein distance in reference standard deviations, or in the
    feature's own units where the reference does not vary). A feature constant in both gets statistic 0 and
    p-value 1."""
    from scipy import stats

    ref, cur = np.asarray(reference_features, dtype=float), np.asarray(current, dtype=float)
    test = stats.ks_2samp(ref, cur, axis=0)
    sd = ref.std(axis=0)
    distance = np.array([stats.wasserstein_distance(ref[:, j], cur[:, j]) for j in range(ref.shape[1])])
    distance = np.where(sd > 0, distance / np.where(sd > 0, sd, 1), distance)
    statistic = np.nan_to_num(np.asarray(test.statistic, dtype=float), nan=0.0)
    return statistic, np.nan_to_num(np.asarray(test.pvalue, dtype=float), nan=1.0), distance


def predictions_shift(reference_predicted: np.ndarray, predicted: np.ndarray, n_classes: int) -> float:
    """The chi-squared test's p-value of this week's predicted classes against training's proportions; each
    class's training count gets half an item added, so a class training never predicted is not expected never
    (a zero expected count would make the test undefined)."""
    from scipy import stats

    expected = np.bincount(reference_predicted, minlength=n_classes).astype(float) + 0.5
    observed = np.bincount(predicted, minlength=n_classes).astype(float)
    expected = expected / expected.sum() * observed.sum()
    return float(stats.chisquare(observed, expected).pvalue)


def calibrated(ref: Reference, confidence: np.ndarray) -> np.ndarray:
    """The chance of being right at each confidence, from the reference's out-of-fold predictions (isotonic)."""
    from sklearn.isotonic import IsotonicRegression

    fit = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(ref.confidence, ref.correct.astype(float))
    return fit.predict(confidence)


def estimated_accuracy(ref: Reference, probs: np.ndarray) -> float:
    """The accuracy expected from the model's own calibrated confidence: no label read."""
    return float(calibrated(ref, probs.max(axis=1)).mean())


@dataclass(frozen=True)
class Report:
    statistic: np.ndarray
    p_value: np.ndarray
    distance: np.ndarray
    varying: np.ndarray  # features that vary in the reference or this week (the others cannot drift)
    predictions_p: float
    confidence_p: float
    estimated: float

    @property
    def drifted(self) -> np.ndarray:
        return self.varying & (self.p_value < P_DRIFT)

    @property
    def share_drifted(self) -> float:
        return float(self.drifted.sum() / max(self.varying.sum(), 1))


def report(ref: Reference, features: np.ndarray, probs: np.ndarray, *, estimate_on: np.ndarray | None = None) -> Report:
    """A week's monitoring; the accuracy estimate on the items ``estimate_on`` (all by default), so that it can
    stand beside a true accuracy measured on those same items."""
    from scipy import stats

    statistic, p_value, distance = feature_drift(ref.features, features)
    varying = (ref.features.std(axis=0) > 0) | (np.asarray(features).std(axis=0) > 0)
    return Report(statistic, p_value, distance, varying, predictions_shift(ref.predicted, probs.argmax(axis=1),
                                                                           ref.n_classes),
                  float(stats.ks_2samp(ref.confidence, probs.max(axis=1)).pvalue),
                  estimated_accuracy(ref, probs if estimate_on is None or not len(estimate_on) else probs[estimate_on]))


def alerts(ref: Reference, found: Report) -> list[str]:
    """The alerts a week raises, in words."""
    said = []
    if found.share_drifted >= SHARE_ALERT:
        said.append(f"Data drift: {found.share_drifted:.0%} of the varying features drifted (KS p < {P_DRIFT}).")
    if found.predictions_p < PREDICTIONS_ALERT:
        said.append(f"The predicted classes moved away from training's (chi-squared p = {found.predictions_p:.1g}).")
    if found.estimated < ref.accuracy - DROP_ALERT:
        said.append(f"The estimated accuracy, {found.estimated:.1%}, is more than {DROP_ALERT * 100:.0f} points under "
                    f"the {ref.accuracy:.1%} at deployment.")
    return said
