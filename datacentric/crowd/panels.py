"""A panel of simulated annotators: who they are (groups of a size, an accuracy and a habit), how it reads from
and writes to a URL, and the labels it gives, seeded. Label consistently studies a panel; a scenario of the
annotator-panel kind names one (so this module sits below both, outside ``datacentric.consistency``).

Each item is labelled by ``per_item`` annotators drawn at random. An annotator with accuracy p gets each of its
items wrong with chance 1 - p (the count is binomial, so two annotators of one group differ a little); its habit
says which items it gets wrong and what it says instead:
- random: any item; a wrong label is any other class.
- pair: items of look-alike pairs first (3 and 8 on digits); a wrong label there is the item's partner class.
- unsure: hard items more often (weighted by how little a model finds them like their class); a wrong label is the
annotator's
  own fallback class (or, on items of that class, the class the item looks most like).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from datacentric.common import codes
from datacentric.common.display import shorten

__all__ = [
    "MISSING",
    "HABITS",
    "HABIT_LETTERS",
    "PAIR_WEIGHT",
    "MAX_ANNOTATORS",
    "MAX_PANEL",
    "MAX_GROUPS",
    "MIN_PER_ITEM",
    "MAX_PER_ITEM",
    "BAD_BELOW",
    "Group",
    "Panel",
    "DEFAULT_PANEL",
    "Method",
    "METHODS",
    "parse_code",
    "checked",
    "parse_panel",
    "simulate",
    "fallback_classes",
]

MISSING = -1  # no label: the annotator was not given this item
HABITS = {
    "random": "Errs at random: a wrong label is any other class.",
    "pair": "Confuses look-alike pairs (3 and 8 on digits): most errors swap the pair.",
    "unsure": "Picks one class when unsure: errors fall on hard items and go to that class.",
}
HABIT_LETTERS = {"random": "r", "pair": "p", "unsure": "u"}
PAIR_WEIGHT = 20.0  # how much likelier a pair-confuser errs on an item of a look-alike pair than on another
MAX_ANNOTATORS = 60  # per group
MAX_PANEL = 100  # in all: the kappa heat map's 10,000 cells are the most that still read (and travel) well
MAX_GROUPS = 3
MIN_PER_ITEM = 2  # one label an item leaves nothing to agree on, and CROWDLAB refuses it
MAX_PER_ITEM = 10
BAD_BELOW = 0.5  # an annotator set to be right less often than this is truly bad (whatever its luck on its items)


@dataclass(frozen=True)
class Group:
    """``count`` annotators who are each right ``accuracy`` percent of the time, erring by ``habit``."""

    count: int
    accuracy: int
    habit: str = "random"

    @property
    def code(self) -> str:
        return f"{self.count}x{self.accuracy}{HABIT_LETTERS[self.habit]}"


@dataclass(frozen=True)
class Panel:
    """The annotators and how many of them label each item. Like a scenario, it fits in a URL."""

    groups: tuple[Group, ...] = (Group(40, 60), Group(10, 30))  # the MIT course's panel, scaled to its classes
    per_item: int = 5  # the course: each annotator labels about 10 % of the items, so 5 of 50 on each

    @property
    def code(self) -> str:
        """'40x60r-10x30r-k5': the groups and the labels per item, for a URL or a scenario's slug."""
        return "-".join([g.code for g in self.groups] + [f"k{self.per_item}"])

    @property
    def n_annotators(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def accuracies(self) -> np.ndarray:
        """Each annotator's set accuracy (0 to 1), in panel order."""
        return np.concatenate([np.full(g.count, g.accuracy / 100) for g in self.groups])

    @property
    def habits(self) -> list[str]:
        return [g.habit for g in self.groups for _ in range(g.count)]

    def names(self) -> list[str]:
        """'A01', 'A02', ...: annotators by their place in the panel."""
        width = len(str(self.n_annotators))
        return [f"A{i + 1:0{width}d}" for i in range(self.n_annotators)]

    def describe(self) -> str:
        """'50 annotators, 5 labels an item: 40 right 60 % of the time (random errors), 10 right 30 % ...'"""
        parts = [f"{g.count} right {g.accuracy} % of the time ({g.habit} errors)" for g in self.groups if g.count]
        return f"{self.n_annotators} annotators, {self.per_item} labels an item: " + ", ".join(parts)


DEFAULT_PANEL = Panel()


@dataclass(frozen=True)
class Method:
    title: str
    summary: str
    phrase: str  # after "labels from the panel by ..."


METHODS = {
    "single": Method(
        "One annotator",
        "Each item keeps one of its labels, picked at random: one pass of labelling.",
        "one annotator each",
    ),
    "majority": Method(
        "Majority vote", "Each item gets its most common label (ties broken at random).", "majority vote"
    ),
    "crowdlab": Method(
        "CROWDLAB consensus",
        "cleanlab's CROWDLAB: labels weighed by each annotator's estimated quality and by a model's predictions.",
        "CROWDLAB consensus",
    ),
}


def parse_code(code: str) -> Panel:
    """The panel a code names ('40x60r-10x30r-k5'); ``ValueError`` with a plain-English reason if it names none."""
    parts = [p for p in code.strip().split("-") if p]
    if not parts or not parts[-1].startswith("k"):
        raise ValueError("a panel code ends with k and the labels per item, for example 40x60r-10x30r-k5")
    letters = {v: k for k, v in HABIT_LETTERS.items()}
    groups = []
    for part in parts[:-1]:
        count, _, rest = part.partition("x")
        if not (_digits(count) and _digits(rest[:-1]) and rest[-1:] in letters):
            raise ValueError(f"{shorten(part)!r} is not a group such as 40x60r (count x accuracy, habit letter)")
        groups.append(Group(int(count), int(rest[:-1]), letters[rest[-1]]))
    per_item = parts[-1][1:]
    if not _digits(per_item):
        raise ValueError(f"{shorten(parts[-1])!r} does not say how many labels an item gets")
    return checked(Panel(tuple(groups), int(per_item)))


def _digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes '²', which int() refuses."""
    return text.isascii() and text.isdigit()


def checked(panel: Panel) -> Panel:
    """``panel`` if it can label anything; ``ValueError`` saying what is wrong otherwise."""
    if not 1 <= len(panel.groups) <= MAX_GROUPS:
        raise ValueError(f"a panel has 1 to {MAX_GROUPS} groups of annotators")
    for g in panel.groups:
        if g.habit not in HABITS:
            raise ValueError(f"unknown habit {shorten(g.habit)!r}")
        if not 0 <= g.count <= MAX_ANNOTATORS:
            raise ValueError(f"a group has 0 to {MAX_ANNOTATORS} annotators")
        if not 0 <= g.accuracy <= 100:
            raise ValueError("an accuracy is a percentage, 0 to 100")
    if panel.n_annotators < 2:
        raise ValueError("a panel needs at least two annotators to agree or disagree")
    if panel.n_annotators > MAX_PANEL:
        raise ValueError(f"a panel has at most {MAX_PANEL} annotators in all")
    if not MIN_PER_ITEM <= panel.per_item <= min(MAX_PER_ITEM, panel.n_annotators):
        raise ValueError(
            f"each item gets {MIN_PER_ITEM} to {min(MAX_PER_ITEM, panel.n_annotators)} labels (no more "
            "than there "
            "are annotators)"
        )
    return panel


def parse_panel(params: Mapping[str, str]) -> tuple[Panel, list[str]]:
    """The panel in URL parameters (``panel``), or the default with the reason it could not be read."""
    return codes.from_params(params, "panel", parse_code, DEFAULT_PANEL, "annotator panel")


def simulate(
    panel: Panel,
    true_labels: np.ndarray,
    *,
    n_classes: int,
    seed: int,
    probs: np.ndarray | None = None,
    pairs: tuple[tuple[int, int], ...] = (),
) -> np.ndarray:
    """(n_items, n_annotators) labels the panel gives, ``MISSING`` where an annotator was not given the item.

    ``probs``: how much each item looks like each class (out-of-fold probabilities of a model trained on the true
    labels), which the unsure habit reads; without them, it errs on random items. ``pairs``: the look-alike class
    pairs the pair habit confuses; without them it errs at random.
    """
    true_labels = np.asarray(true_labels)
    checked(panel)
    if n_classes < 2:
        raise ValueError("annotators need at least two classes to choose from")
    rng = np.random.default_rng([seed, 7])
    n_items, n_annotators = len(true_labels), panel.n_annotators
    # Each item gets per_item distinct annotators: the first per_item of a random order of the panel.
    order = np.argsort(rng.random((n_items, n_annotators)), axis=1)[:, : panel.per_item]
    given = np.zeros((n_items, n_annotators), dtype=bool)
    given[np.arange(n_items)[:, None], order] = True
    labels = np.full((n_items, n_annotators), MISSING, dtype=int)
    fallback = fallback_classes(panel, n_classes=n_classes, seed=seed)
    for j, (accuracy, habit) in enumerate(zip(panel.accuracies, panel.habits)):
        items = np.flatnonzero(given[:, j])
        labels[items, j] = _labels_of(
            true_labels[items],
            accuracy,
            habit,
            np.random.default_rng([seed, 7, j]),
            n_classes=n_classes,
            probs=None if probs is None else probs[items],
            pairs=pairs,
            fallback=int(fallback[j]),
        )
    return labels


def _labels_of(
    truth: np.ndarray,
    accuracy: float,
    habit: str,
    rng: np.random.Generator,
    *,
    n_classes: int,
    probs: np.ndarray | None,
    pairs: tuple[tuple[int, int], ...],
    fallback: int,
) -> np.ndarray:
    """One annotator's labels for its items: a binomial count of them wrong, chosen and labelled by ``habit``."""
    labels = truth.copy()
    n = len(truth)
    n_wrong = int(rng.binomial(n, 1 - accuracy)) if n else 0
    if not n_wrong:
        return labels
    partner = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    weight = np.ones(n)
    if habit == "pair" and partner:
        weight[np.isin(truth, list(partner))] = PAIR_WEIGHT
    elif habit == "unsure" and probs is not None:
        weight = 1.0 - probs[np.arange(n), truth] + 1e-3
    wrong = rng.choice(n, size=n_wrong, replace=False, p=weight / weight.sum())
    other = (truth[wrong] + rng.integers(1, n_classes, size=n_wrong)) % n_classes  # uniform over the other classes
    if habit == "pair" and partner:
        paired = np.array([int(c) in partner for c in truth[wrong]], dtype=bool)
        other[paired] = [partner[int(c)] for c in truth[wrong][paired]]
    elif habit == "unsure":
        other = np.where(truth[wrong] == fallback, other, fallback)
        if probs is not None:  # on its own fallback's items, the class the item looks most like
            looks = probs[wrong].copy()
            looks[np.arange(n_wrong), truth[wrong]] = -1.0
            other = np.where(truth[wrong] == fallback, looks.argmax(axis=1), other)
    labels[wrong] = other
    return labels


def fallback_classes(panel: Panel, *, n_classes: int, seed: int) -> np.ndarray:
    """The class each annotator picks when unsure (only the unsure habit uses it), seeded."""
    return np.random.default_rng([seed, 8]).integers(n_classes, size=panel.n_annotators)
