"""A scenario's lab: its fixed train/test split, encoded features, reserve and noisy training labels (made by
``prepare.prepare``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from datacentric.data.catalog import Dataset
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action, LabelState, apply
from datacentric.modelling.models import FAMILIES, FIXED_MODELS, ModelSpec

__all__ = [
    "TEST_SHARE",
    "GRADING",
    "CHALLENGE_GRADING",
    "MIN_CLASSES",
    "MIN_ROWS",
    "Untrainable",
    "too_little",
    "check_trainable",
    "Lab",
]

TEST_SHARE = 0.3
GRADING = {
    "truth": "Graded against known-true labels.",
    "injected": "Graded against the labels as uploaded: the app knows the errors it injected, not any already in the "
    "file.",
    "none": "Not graded: nothing says which labels are truly wrong.",
}
CHALLENGE_GRADING = (
    "Not graded during the challenge: the app knows which labels are wrong and keeps it to itself, "
    "so the score is the only judge (as in a real project)."
)


# The least training an action may leave the fixed model: MIN_ROWS rows of each of at least MIN_CLASSES classes.
# Out-of-fold probabilities split training into stratified folds, two when a class has two rows: with two rows of
# each of two classes, every fold's model is fitted on both, so every suggestion comes from a model that learned to
# tell classes apart. (A class of one row sits in one fold; the model that ranks it never saw its class.)
MIN_CLASSES = 2
MIN_ROWS = 2


class Untrainable(ValueError):
    """Actions that would leave too little in training for the fixed model to learn from (``check_trainable``).
    A ValueError, as any action that cannot apply: the page says "Nothing done" and writes nothing."""


def too_little(state: LabelState, *, classes: tuple[str, ...]) -> str | None:
    """What training holds, in words, when it is below the floor (``MIN_CLASSES`` classes of ``MIN_ROWS`` rows each;
    duplicates are not more rows); None when it is enough. ``classes``: the class names."""
    counts = np.bincount(np.asarray(state.labels)[np.asarray(state.kept, dtype=bool)], minlength=len(classes))
    if (counts >= MIN_ROWS).sum() >= MIN_CLASSES:
        return None
    n, present = int(counts.sum()), np.flatnonzero(counts)
    if not n:
        return "no rows"
    if len(present) == 1:
        return f"{_rows(n)}, all labelled {classes[present[0]]}"
    return f"{_rows(n)} ({', '.join(f'{counts[c]} labelled {classes[c]}' for c in present)})"


def check_trainable(before: LabelState, after: LabelState, actions: list[Action], *, classes: tuple[str, ...]) -> None:
    """Raise ``Untrainable``, with a sentence that says why and what to do, when ``actions`` take training from
    ``before`` to ``after`` below the floor (see ``too_little``), or re-rank labels below it.

    Training already below the floor (a log stored before this rule) may move anywhere but into a re-rank, so that
    every way back (an undo, a restore, a collect) stays open.
    """
    left = too_little(after, classes=classes)
    if left is None:
        return
    reranks = any(a.kind == "rerank" for a in actions)
    if too_little(before, classes=classes) is not None and not reranks:
        return
    need = f"the fixed model needs {MIN_ROWS} rows of each of at least {MIN_CLASSES} classes to learn"
    if reranks:
        raise Untrainable(f"training holds {left}, too little to rank: {need}. Restore or collect rows first")
    if any(a.kind == "undo" for a in actions):  # the groups below it leave too little: only this one keeps enough
        raise Untrainable(
            f"undoing the last action would leave training with {left}, and {need}. That action is "
            "what lets the model learn: keep it"
        )
    raise Untrainable(
        f"that would leave training with {left}, and {need}. Act on fewer rows, or restore or collect some first"
    )


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


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
    reserve: np.ndarray  # training items held back: out of training until the learner collects them
    planted: tuple[str, ...] = ()  # the under-represented kind's slice (its conditions' names), for tests and benches
    planted_cost: int = 0  # test errors its scarcity added when it was planted (against the same rows all in training)
    # test rows a classroom challenge holds out: no page scores them
    holdout_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def in_use(self) -> np.ndarray:
        """The training items in training at the start: all but the reserve."""
        return ~self.reserve

    @property
    def n_wrong(self) -> int:
        """Wrong labels in training at the start (the reserve's labels count once collected)."""
        return int((self.is_noisy & self.in_use).sum())

    @property
    def n_in_use(self) -> int:
        return int(self.in_use.sum())

    def state(self, log: list[Action]) -> LabelState:
        """The labels, training rows and reserve that ``log`` adds up to on this lab."""
        return apply(self.noisy_labels, log, self.reserve)

    def state_after(self, log: list[Action], new_actions: list[Action]) -> LabelState:
        """The state ``new_actions`` appended to ``log`` would make, checked before anything is written: a
        ValueError when one cannot apply (a reserve row not collected), or when they would
        leave too little in training to learn from (``Untrainable``: see ``check_trainable``)."""
        after = self.state(log + new_actions)
        check_trainable(self.state(log), after, new_actions, classes=self.dataset.classes)
        return after

    def shortfall(self, state: LabelState) -> str | None:
        """A sentence for a page when ``state``'s training is too little for the fixed model to learn from (and
        what its scores are then); None when it is enough."""
        held = too_little(state, classes=self.dataset.classes)
        if held is None:
            return None
        classes = len(np.unique(state.labels[state.kept]))
        scores = (
            " Its scores here are the floor's: it predicts one class for every item." if classes < MIN_CLASSES else ""
        )
        little = "" if held == "no rows" else " from so little"
        return (
            f"Training holds {held}: the fixed model cannot learn{little} (it needs {MIN_ROWS} rows of each of at "
            f"least {MIN_CLASSES} classes).{scores}"
        )

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
        return FIXED_MODELS[self.dataset.fixed_model or self.dataset.modality]

    @property
    def grading_note(self) -> str:
        """How this lab is graded, in a sentence."""
        return CHALLENGE_GRADING if self.scenario.holdout else GRADING[self.grading]

    @property
    def grading(self) -> str:
        """How far the app knows which training labels are wrong: a key of ``GRADING``."""
        if self.scenario.holdout:  # a classroom challenge: saying which labels are wrong would give the game away
            return "none"
        if not self.dataset.is_users or self.dataset.given is not None:
            return "truth"
        return "injected" if self.scenario.rate > 0 else "none"

    @property
    def test_source(self) -> str:
        """Where the test labels come from and whether they are known to be clean, as a phrase after "scored on":
        "clean" only for a built-in's published labels or a column of known-true labels."""
        held = (
            f", with {len(self.holdout_index):,} more test items held out for the challenge's leaderboard"
            if len(self.holdout_index)
            else ""
        )
        return self._test_source() + held

    @property
    def test_known_clean(self) -> bool:
        """Whether the test labels are known to be right: a built-in's published labels, or a learner's split graded
        by a column of known-true labels; a learner's test file, or labels as given, are only taken as the truth."""
        if not self.dataset.is_users:
            return True
        return self.dataset.test_from != "file" and self.dataset.given is not None

    def _test_source(self) -> str:
        n = f"{len(self.test_index):,} test items"
        if not self.dataset.is_users:
            return f"a clean test split ({n}: a seeded {TEST_SHARE * 100:.0f} % of the data, with its published labels)"
        if self.dataset.test_from == "file":
            return f"your test file ({n}), its labels taken as the truth"
        where = (
            "the rows your split column marks for testing"
            if self.dataset.test_from == "column"
            else f"a seeded random {TEST_SHARE * 100:.0f} % of your file"
        )
        if self.dataset.given is not None:
            return f"{where} ({n}), graded by your column of known-true labels"
        return f"{where} ({n}), with their labels as given: not known to be clean"

    @property
    def families(self) -> dict[str, ModelSpec]:
        """The model families to tune, by key: "logistic" is exactly the fixed model (on text, TF-IDF with its C)."""
        return {**FAMILIES, "logistic": self.fixed_model}

    def make(self, model: ModelSpec, params: dict[str, Any] | None = None, *, rows: int | None = None) -> Any:
        """An unfitted estimator of ``model`` for this lab's features (its defaults where ``params`` is silent), to
        be fitted on ``rows`` rows if given: a neighbour count above them is cut to them (k-nearest neighbours with
        50 neighbours on 6 rows left would raise on its first prediction)."""
        params = {**model.defaults(), **(params or {})}
        if rows is not None and "n_neighbors" in params:
            params["n_neighbors"] = max(1, min(int(params["n_neighbors"]), rows))
        return model.make(seed=self.scenario.seed, scale=not self.encoded, **params)
