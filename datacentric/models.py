"""The fixed model for each kind of data: the model the data-centric learner keeps unchanged."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class ModelSpec:
    name: str
    summary: str
    make: Callable[..., object]


def make_logistic(*, seed: int = 0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # C=0.1: a little more regularisation than the default copes better with wrong labels,
    # and still fits digits in about 30 ms.
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=500, random_state=seed))


def make_floor(*, seed: int = 0):
    from sklearn.dummy import DummyClassifier

    return DummyClassifier(strategy="most_frequent")


FIXED_MODELS: dict[str, ModelSpec] = {
    "image": ModelSpec(
        name="Standardised logistic regression",
        summary="Pixels scaled to zero mean and unit variance, then logistic regression (C = 0.1).",
        make=make_logistic,
    ),
    "tabular": ModelSpec(
        name="Standardised logistic regression",
        summary="Features scaled to zero mean and unit variance, then logistic regression (C = 0.1).",
        make=make_logistic,
    ),
}
FLOOR = ModelSpec(
    name="Most frequent class",
    summary="Always predicts the commonest training label: the floor any model must beat.",
    make=make_floor,
)
