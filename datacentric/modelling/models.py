"""Models: the fixed model the data-centric learner keeps, and the families the model-centric learner tunes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from threadpoolctl import threadpool_limits

__all__ = [
    "ParamSpec",
    "ModelSpec",
    "make_logistic",
    "make_knn",
    "make_svm",
    "make_forest",
    "make_boosting",
    "make_mlp",
    "make_floor",
    "LOGISTIC",
    "FLOOR",
    "FAMILIES",
    "limit_blas_threads",
    "TEXT_LOGISTIC",
    "PIXELS_LOGISTIC",
    "FIXED_MODELS",
]


@dataclass(frozen=True)
class ParamSpec:
    """One hyperparameter: its range, default and what it does, in a line."""

    name: str
    help: str
    default: float | int | str
    low: float | None = None
    high: float | None = None
    log: bool = False  # sample on a log scale
    choices: tuple[Any, ...] = ()
    integer: bool = False


@dataclass(frozen=True)
class ModelSpec:
    name: str
    summary: str
    make: Callable[..., object]
    params: tuple[ParamSpec, ...] = field(default=())
    sparse_ok: bool = True  # trains on thousands of sparse TF-IDF columns in seconds, not minutes

    @property
    def in_sentence(self) -> str:
        """The name inside a sentence: 'standardised logistic regression', 'logistic regression on TF-IDF'."""
        return self.name[:1].lower() + self.name[1:]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


def _scaled(estimator, scale: bool):
    """``estimator`` behind a StandardScaler, unless the features come already encoded (``scale=False``)."""
    if not scale:
        return estimator
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), estimator)


def make_logistic(*, seed: int = 0, scale: bool = True, C: float = 0.1, tol: float = 1e-4):
    from sklearn.linear_model import LogisticRegression

    # C=0.1 by default: a little more regularisation than scikit-learn's copes better with wrong
    # labels, and still fits digits in about 30 ms.
    return _scaled(LogisticRegression(C=C, tol=tol, max_iter=200, random_state=seed), scale)


def make_knn(*, seed: int = 0, scale: bool = True, n_neighbors: int = 5, weights: str = "uniform"):
    from sklearn.neighbors import KNeighborsClassifier

    return _scaled(KNeighborsClassifier(n_neighbors=int(n_neighbors), weights=weights), scale)


def make_svm(*, seed: int = 0, scale: bool = True, C: float = 1.0, gamma: float = 0.01):
    from sklearn.svm import SVC

    return _scaled(SVC(C=C, gamma=gamma, probability=False, random_state=seed), scale)


def make_forest(
    *, seed: int = 0, scale: bool = True, n_estimators: int = 100, max_depth: int = 0, min_samples_leaf: int = 1
):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(
        n_estimators=int(n_estimators),
        max_depth=int(max_depth) or None,
        min_samples_leaf=int(min_samples_leaf),
        random_state=seed,
        n_jobs=1,
    )


def make_boosting(
    *, seed: int = 0, scale: bool = True, learning_rate: float = 0.1, max_iter: int = 50, max_depth: int = 3
):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        learning_rate=learning_rate, max_iter=int(max_iter), max_depth=int(max_depth) or None, random_state=seed
    )


def make_mlp(
    *, seed: int = 0, scale: bool = True, hidden: int = 64, alpha: float = 1e-4, learning_rate_init: float = 1e-3
):
    from sklearn.neural_network import MLPClassifier

    return _scaled(
        MLPClassifier(
            hidden_layer_sizes=(int(hidden),),
            alpha=alpha,
            learning_rate_init=learning_rate_init,
            max_iter=300,
            early_stopping=False,
            random_state=seed,
        ),
        scale,
    )


def make_floor(*, seed: int = 0, scale: bool = True):
    from sklearn.dummy import DummyClassifier

    return DummyClassifier(strategy="most_frequent")


LOGISTIC = ModelSpec(
    name="Standardised logistic regression",
    summary="Features scaled to zero mean and unit variance, then logistic regression (C = 0.1).",
    make=make_logistic,
    params=(
        ParamSpec(
            "C", "Inverse regularisation: small C keeps weights small and the model simple.", 0.1, 1e-3, 1e2, log=True
        ),
    ),
)
FLOOR = ModelSpec(
    name="Most frequent class",
    summary="Always predicts the commonest training label: the floor any model must beat.",
    make=make_floor,
)
FAMILIES: dict[str, ModelSpec] = {
    "logistic": LOGISTIC,
    "knn": ModelSpec(
        name="k-nearest neighbours",
        summary="Votes among the k most similar training items; no training, slow to predict on big data.",
        make=make_knn,
        params=(
            ParamSpec(
                "n_neighbors",
                "How many neighbours vote: more neighbours smooth out wrong labels.",
                5,
                1,
                50,
                integer=True,
            ),
            ParamSpec(
                "weights", "'distance' lets closer neighbours count more.", "uniform", choices=("uniform", "distance")
            ),
        ),
    ),
    "svm": ModelSpec(
        name="RBF support vector machine",
        summary="Finds a wide margin between classes with a curved (RBF) boundary; strong on small data.",
        make=make_svm,
        sparse_ok=False,  # an RBF kernel on 14,000 TF-IDF rows: 192 s for one fit (bench/make_text_csv.py data)
        params=(
            ParamSpec(
                "C",
                "How hard it tries to classify every training item right (large C: fits noise too).",
                1.0,
                1e-2,
                1e3,
                log=True,
            ),
            ParamSpec(
                "gamma",
                "How local the boundary is: large gamma wiggles around single items.",
                0.01,
                1e-4,
                1.0,
                log=True,
            ),
        ),
    ),
    "forest": ModelSpec(
        name="Random forest",
        summary="Many decision trees on random halves of the data, voting; robust, slower to train.",
        make=make_forest,
        params=(
            ParamSpec("n_estimators", "How many trees vote.", 100, 10, 300, integer=True),
            ParamSpec("max_depth", "How deep a tree may grow (0: no limit).", 0, 0, 30, integer=True),
            ParamSpec(
                "min_samples_leaf",
                "Items a leaf must hold: larger leaves ignore single odd labels.",
                1,
                1,
                20,
                integer=True,
            ),
        ),
    ),
    "boosting": ModelSpec(
        name="Gradient boosting",
        summary="Trees added one at a time, each fixing the last ones' mistakes (and, with noise, chasing them).",
        make=make_boosting,
        sparse_ok=False,  # needs dense features: TF-IDF densified would not fit in memory
        params=(
            ParamSpec("learning_rate", "How big a step each new tree takes.", 0.1, 0.01, 0.5, log=True),
            ParamSpec(
                "max_iter", "How many rounds of trees (one tree per class each round).", 50, 10, 200, integer=True
            ),
            ParamSpec("max_depth", "How deep each tree may grow (0: no limit).", 3, 0, 8, integer=True),
        ),
    ),
    "mlp": ModelSpec(
        name="Small neural network (MLP)",
        summary="One hidden layer of neurons; flexible, needs scaling, can memorise wrong labels.",
        make=make_mlp,
        sparse_ok=False,  # a dense layer over every TF-IDF column: minutes per fit
        params=(
            ParamSpec("hidden", "Neurons in the hidden layer.", 64, 8, 256, integer=True, log=True),
            ParamSpec("alpha", "L2 penalty: larger values keep the network simpler.", 1e-4, 1e-6, 1.0, log=True),
            ParamSpec("learning_rate_init", "Step size of the optimiser.", 1e-3, 1e-4, 1e-1, log=True),
        ),
    ),
    "floor": FLOOR,
}


def limit_blas_threads(n: int = 1):
    """Cap BLAS at ``n`` threads for the whole process; returns the limiter (its ``restore()`` undoes it).

    On a 2-core server with several learners, BLAS's own threads fight the sessions' threads: a
    TF-IDF logistic regression took 12-18 s with 2 BLAS threads under load against 0.9-2.9 s with 1.
    """
    import sklearn.linear_model  # noqa: F401  (loads SciPy's BLAS, so the cap reaches it too)

    return threadpool_limits(limits=n, user_api="blas")


TEXT_LOGISTIC = ModelSpec(
    name="Logistic regression on TF-IDF",
    summary="Logistic regression (C = 1) on the encoded columns: TF-IDF word weights for text.",
    # tol=1e-3: half the iterations on TF-IDF (52 against 108), the same accuracy (bench/user_data.py data).
    make=partial(make_logistic, tol=1e-3),
    # TF-IDF weights are small and sparse: C = 0.1 would leave most words without a say.
    params=(
        ParamSpec(
            "C", "Inverse regularisation: small C keeps weights small and the model simple.", 1.0, 1e-3, 1e2, log=True
        ),
    ),
)
PIXELS_LOGISTIC = ModelSpec(
    name="Standardised logistic regression",
    summary="Pixels scaled to zero mean and unit variance, then logistic regression (C = 0.01: 784 pixels and a few "
    "hundred images call for ten times the regularisation of the 8x8 digits).",
    # On MNIST's 200 training images, C = 0.1 let one corrected label swing test accuracy by up to 15 items either
    # way (the first careful fix lowered it by 5 or more on 5 of seeds 0-19); at C = 0.01 the first fix lowered it
    # by more than one item on 1 of 20, and 10 careful fixes gained at least 1.0 point on every one
    # (bench/demonstrations.py).
    make=partial(make_logistic, C=0.01),
    params=(
        ParamSpec(
            "C", "Inverse regularisation: small C keeps weights small and the model simple.", 0.01, 1e-3, 1e2, log=True
        ),
    ),
)
# The fixed model for each kind of data: what the data-centric learner keeps unchanged. A dataset may name its own
# (Dataset.fixed_model): large images ("pixels") are regularised more.
FIXED_MODELS: dict[str, ModelSpec] = {
    "image": LOGISTIC,
    "tabular": LOGISTIC,
    "text": TEXT_LOGISTIC,
    "pixels": PIXELS_LOGISTIC,
}
