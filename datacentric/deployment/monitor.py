"""Monitoring a week against what the model was trained on: drift per feature (the two-sample Kolmogorov-Smirnov
test, and the Wasserstein distance in training standard deviations), the share of features drifted, the shift in
predictions (chi-squared) and in confidence (KS), an accuracy estimated without labels, and the alerts they raise.

The choice of test follows Evidently's presets for small reference sets: KS for numeric features, chi-squared for
categories, a feature drifted at p < ``P_DRIFT``. The estimate without labels is NannyML's idea (CBPE): the mean
of calibrated confidence, calibrated on a labelled reference period the model never trained on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.isotonic import IsotonicRegression

__all__ = [
    "P_DRIFT",
    "SHARE_ALERT",
    "PREDICTIONS_ALERT",
    "DROP_ALERT",
    "NOISE_Z",
    "Reference",
    "reference",
    "feature_drift",
    "predictions_shift",
    "calibrated",
    "estimated_accuracy",
    "noise",
    "Report",
    "report",
    "change_words",
    "alerts",
]

P_DRIFT = 0.05  # a feature drifted when its KS test's p-value is below this
SHARE_ALERT = 0.3  # of the varying features drifted: the data drifted
PREDICTIONS_ALERT = 0.01  # chi-squared p-value of the predicted classes against training's
DROP_ALERT = 0.05  # the estimated accuracy this far below the one at deployment, and beyond a week's noise
# A week's noise: this many standard errors of its estimate. At 2, one undrifted week in 40 falls below the band by
# chance: on the MNIST default (200 images, 40 % uniform noise; seeds 0-4, 20 undrifted weeks of about 40 scored
# items each) 4 of 100 did, at 3 none (digits with 30 % systematic noise: none at either), so a stream of 10 weeks
# rarely alerts before its drift.
NOISE_Z = 3.0


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
    return Reference(
        np.asarray(features, dtype=float), predicted, probs.max(axis=1), predicted == labels, probs.shape[1]
    )


def feature_drift(reference_features: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per feature: (KS statistic, its p-value, Wasserstein distance in reference standard deviations, or in the
    feature's own units where the reference does not vary). A feature constant in both gets statistic 0 and
    p-value 1."""

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

    expected = np.bincount(reference_predicted, minlength=n_classes).astype(float) + 0.5
    observed = np.bincount(predicted, minlength=n_classes).astype(float)
    expected = expected / expected.sum() * observed.sum()
    return float(stats.chisquare(observed, expected).pvalue)


def calibrated(ref: Reference, confidence: np.ndarray) -> np.ndarray:
    """The chance of being right at each confidence, from the reference's out-of-fold predictions (isotonic)."""

    fit = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(ref.confidence, ref.correct.astype(float))
    return np.asarray(fit.predict(confidence))


def estimated_accuracy(ref: Reference, probs: np.ndarray) -> float:
    """The accuracy expected from the model's own calibrated confidence: no label read."""
    return float(calibrated(ref, probs.max(axis=1)).mean())


def noise(ref: Reference, n: int) -> float:
    """How far a week's estimate on ``n`` items can land from the accuracy at deployment with nothing changed:
    ``NOISE_Z`` standard errors of a mean of ``n`` calibrated confidences drawn as at deployment (their spread
    over the reference period). At deployment the estimate on the reference period is its accuracy (isotonic
    regression keeps the mean it fits), so the estimate is compared with the same quantity, on fewer items.
    Measured on digits with 30 % systematic noise (seed 0): a spread of 0.19, so +-9.0 points for a week of 40
    items; the alert's fixed 5 points alone raised an alert before any drift on wine (week 2 of seed 0: -7.0 points
    on 14 items)."""
    if n <= 0:
        return float("inf")
    return float(NOISE_Z * calibrated(ref, ref.confidence).std() / np.sqrt(n))


@dataclass(frozen=True)
class Report:
    statistic: np.ndarray
    p_value: np.ndarray
    distance: np.ndarray
    varying: np.ndarray  # features that vary in the reference or this week (the others cannot drift)
    predictions_p: float
    confidence_p: float
    estimated: float
    estimated_on: int = 0  # items the estimate was taken on
    noise: float = float("inf")  # how far the estimate may land from deployment's with nothing changed (``noise``)

    def change(self, ref: Reference) -> float:
        """The estimate less the accuracy at deployment."""
        return self.estimated - ref.accuracy

    def beyond_noise(self, ref: Reference) -> bool:
        """Whether the estimate moved further from deployment's than a week of its size does by chance."""
        return abs(self.change(ref)) > self.noise

    @property
    def drifted(self) -> np.ndarray:
        return self.varying & (self.p_value < P_DRIFT)

    @property
    def share_drifted(self) -> float:
        return float(self.drifted.sum() / max(self.varying.sum(), 1))


def report(ref: Reference, features: np.ndarray, probs: np.ndarray, *, estimate_on: np.ndarray | None = None) -> Report:
    """A week's monitoring; the accuracy estimate on the items ``estimate_on`` (all by default), so that it can
    stand beside a true accuracy measured on those same items."""

    statistic, p_value, distance = feature_drift(ref.features, features)
    varying = (ref.features.std(axis=0) > 0) | (np.asarray(features).std(axis=0) > 0)
    estimated = probs if estimate_on is None or not len(estimate_on) else probs[estimate_on]
    return Report(
        statistic,
        p_value,
        distance,
        varying,
        predictions_shift(ref.predicted, probs.argmax(axis=1), ref.n_classes),
        float(stats.ks_2samp(ref.confidence, probs.max(axis=1)).pvalue),
        estimated_accuracy(ref, estimated),
        len(estimated),
        noise(ref, len(estimated)),
    )


def change_words(ref: Reference, found: Report) -> str:
    """Whether the estimate moved further from deployment's than a week of its size does by chance, in figures."""
    n, at_deployment = found.estimated_on, ref.accuracy
    if found.noise == 0:
        return (
            f"On the {len(ref.correct)} labelled items of the reference period the calibrated confidence is "
            f"{at_deployment:.1%} at every confidence the model gives, so this estimate cannot move: only labels "
            "show a change."
        )
    share = math.erf(NOISE_Z / math.sqrt(2))
    said = (
        f"The estimate is on the week's {n} scored items. With nothing changed, a week of {n} items lands within "
        f"±{found.noise * 100:.1f} points of the {at_deployment:.1%} at deployment {share:.0%} of the time"
    )
    change = found.change(ref) * 100
    if found.beyond_noise(ref):
        return f"{said}: {change:+.1f} points is more than that."
    return f"{said}: {change:+.1f} points is within that noise."


def alerts(ref: Reference, found: Report) -> list[str]:
    """The alerts a week raises, in words."""
    said = []
    if found.share_drifted >= SHARE_ALERT:
        said.append(f"Data drift: {found.share_drifted:.0%} of the varying features drifted (KS p < {P_DRIFT}).")
    if found.predictions_p < PREDICTIONS_ALERT:
        said.append(f"The predicted classes moved away from training's (chi-squared p = {found.predictions_p:.1g}).")
    if -found.change(ref) > max(DROP_ALERT, found.noise):
        said.append(
            f"The estimated accuracy, {found.estimated:.1%}, is {-found.change(ref) * 100:.1f} points under "
            f"the {ref.accuracy:.1%} at deployment: more than {DROP_ALERT * 100:.0f} points, and more than "
            f"the {found.noise * 100:.1f} a week of {found.estimated_on} items moves by chance."
        )
    return said
