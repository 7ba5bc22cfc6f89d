"""A learner's work as an append-only log of actions, replayed into the current labels."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "WORKSPACE_ID",
    "new_workspace_id",
    "LABEL_ACTIONS",
    "NOT_A_REVIEW",
    "ACTION_KINDS",
    "Action",
    "LabelState",
    "LogMoved",
    "StoreBusy",
    "BudgetSpent",
    "OffTheRoom",
    "label_actions",
    "rows_touched",
    "Seen",
    "seen",
    "is_repeat",
    "apply",
    "ranked_state",
    "history",
]

WORKSPACE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # what a workspace id looks like (a link, a cookie)


def new_workspace_id() -> str:
    return secrets.token_urlsafe(16)  # 128 bits: unguessable


LABEL_ACTIONS = ("relabel", "remove", "restore", "confirm", "duplicate", "collect")
# Actions that change how much an item counts, or bring it into training, not what the learner decided on it.
NOT_A_REVIEW = ("duplicate", "collect")
ACTION_KINDS = LABEL_ACTIONS + ("undo", "rerank")


@dataclass(frozen=True)
class Action:
    """One entry in the log.

    ``group`` ties the entries of one batch together so that one undo takes back the batch.
    ``item`` is a training index; ``label`` is the new class for ``relabel``. ``collect`` brings an item of the
    reserve (held back from training by the scenario) into training.
    """

    kind: str
    item: int | None = None
    label: int | None = None
    group: int = 0

    def __post_init__(self):
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"unknown action {self.kind!r}")
        if self.kind in LABEL_ACTIONS and self.item is None:
            raise ValueError(f"a {self.kind} action needs an item")
        if self.kind == "relabel" and self.label is None:
            raise ValueError("a relabel action needs a label")


@dataclass
class LabelState:
    """What the log adds up to: current labels, which items are kept, what has been reviewed."""

    labels: np.ndarray
    kept: np.ndarray
    reviewed: list[int]  # items in the order they were first acted on (still in effect)
    groups: list[list[Action]]  # the label-changing groups still in effect, oldest first
    version: int  # log length: changes with every entry, so it keys caches
    rank_groups: int = 0  # the queue ranks the labels of the first rank_groups groups (the last re-rank)
    confirmed: set[int] = field(default_factory=set)
    copies: np.ndarray | None = None  # extra copies of each item in training (rebalancing); None: none at all
    held: np.ndarray | None = None  # items still in the reserve, out of reach until collected; None: no reserve

    @property
    def reachable(self) -> np.ndarray:
        """Items the learner can see and act on: all but those still in the reserve."""
        return np.ones(len(self.labels), dtype=bool) if self.held is None else ~self.held

    @property
    def n_actions(self) -> int:
        """Actions the learner took that are still in effect: one click is one action, however many rows it touched
        (a bulk remove, the top k accepted); their undone ones do not count."""
        return len(self.groups)

    @property
    def n_rows_touched(self) -> int:
        """Rows the actions still in effect touched (a bulk remove of 400 rows: 400), shown beside ``n_actions``."""
        return sum(len(group) for group in self.groups)


class LogMoved(RuntimeError):
    """Actions chosen on a log that another append has since changed (``Store.append(..., after=...)``)."""


class StoreBusy(RuntimeError):
    """A write the store could not make: the database stayed locked by other writers through every retry
    (``Store`` retries a bounded number of times). Nothing was written; the page says so and keeps what it showed."""


class BudgetSpent(RuntimeError):
    """Label actions past a challenge's budget (``Store.append`` refuses them: see ``datacentric.classroom``)."""

    def __init__(self, budget: int, spent: int):
        super().__init__(f"The challenge allows {budget} label actions and {spent} are used: this one is not written.")
        self.budget, self.spent = budget, spent


class OffTheRoom(BudgetSpent):
    """Actions of a challenge room's learner on another scenario than the room's: the budget is the room's, and
    nothing else may be written from that workspace (a URL must not open a way around it)."""

    def __init__(self):
        RuntimeError.__init__(
            self,
            "In a classroom challenge only the room's scenario takes actions, and this is "
            "another: nothing is written. Go back to the room's scenario on Class.",
        )
        self.budget, self.spent = 0, 0


def label_actions(log: list[Action]) -> int:
    """Label actions in a log, undone ones included: what a challenge's budget counts (an undo gives none back).
    One click is one action however many rows it touched (a bulk remove, the top k accepted), as on Compare's
    effort axis (``LabelState.n_actions``); ``rows_touched`` counts the rows."""
    count, last = 0, None
    for action in log:
        if action.kind in LABEL_ACTIONS:
            count += action.group == 0 or action.group != last  # group 0: an entry on its own, as in ``apply``
            last = action.group
    return count


def rows_touched(log: list[Action]) -> int:
    """Rows the label actions of a log touched, undone ones included (a bulk remove of 400 rows: 400)."""
    return sum(a.kind in LABEL_ACTIONS for a in log)


@dataclass(frozen=True)
class Seen:
    """What a page showed when the learner chose an action: the log's version, and for each item the action
    touches, its label, whether it was in use and whether it had been acted on.

    An action is acted on only if what it touches is still as the learner saw it: a second click that
    arrives before the page has redrawn, or another tab on the same workspace, may have moved it on.
    """

    version: int
    items: tuple[tuple[int, int, bool, bool], ...] = ()

    def changed(self, state: LabelState) -> list[int]:
        """The items that are no longer as they were shown."""
        done = set(state.reviewed)
        return [item for item, *was in self.items if _look(state, item, done) != tuple(was)]

    def is_stale(self, state: LabelState) -> bool:
        """True when acting now would act on something the learner did not see. An action on no item
        (undo, re-rank) acts on the whole log, so any new entry makes it stale."""
        return bool(self.changed(state)) if self.items else state.version != self.version


def seen(state: LabelState, items=()) -> Seen:
    """What the page shows of ``items`` (training indices) now. Read with numpy: a bulk button carries
    thousands of items, and the page draws four of them on every run."""
    items = np.asarray(list(items), dtype=np.int64)
    if not len(items):
        return Seen(state.version)
    done = np.zeros(len(state.labels), dtype=bool)
    done[state.reviewed] = True
    return Seen(
        state.version,
        tuple(
            zip(
                items.tolist(),
                np.asarray(state.labels)[items].tolist(),
                np.asarray(state.kept)[items].tolist(),
                done[items].tolist(),
            )
        ),
    )


def is_repeat(log: list[Action], actions: list[Action]) -> bool:
    """True when the log ends with ``actions`` (their groups aside): the same click, arrived twice."""
    tail = log[-len(actions) :] if actions else []
    return len(tail) == len(actions) and all(
        (a.kind, a.item, a.label) == (b.kind, b.item, b.label) for a, b in zip(tail, actions)
    )


def _look(state: LabelState, item: int, done: set[int]) -> tuple[int, bool, bool]:
    return int(state.labels[item]), bool(state.kept[item]), item in done


def apply(noisy_labels: np.ndarray, log: list[Action], reserve: np.ndarray | None = None) -> LabelState:
    """Apply ``log`` to ``noisy_labels``; ``undo`` takes back the latest group still in effect.

    ``reserve``: the items the scenario holds back from training (``Lab.reserve``); they start out of training
    and only a ``collect`` brings one in.
    """
    groups: list[list[Action]] = []
    rank_groups = 0
    for action in log:
        if action.kind == "undo":
            if groups:
                groups.pop()
            # An undo reaching behind the last re-rank takes the ranking back with it.
            rank_groups = min(rank_groups, len(groups))
        elif action.kind == "rerank":
            rank_groups = len(groups)
        elif groups and groups[-1][0].group == action.group and action.group != 0:
            groups[-1].append(action)
        else:
            groups.append([action])
    state = _apply(noisy_labels, groups, reserve)
    state.version, state.rank_groups = len(log), rank_groups
    return state


def ranked_state(noisy_labels: np.ndarray, state: LabelState, reserve: np.ndarray | None = None) -> LabelState:
    """The labels the review queue is ranked on: those of the groups in effect at the last re-rank."""
    return _apply(noisy_labels, state.groups[: state.rank_groups], reserve)


def history(
    noisy_labels: np.ndarray, log: list[Action], reserve: np.ndarray | None = None
) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray | None]]:
    """(actions taken, labels, kept, copies) before any action and after each group still in effect.

    One pass over the groups: the cost grows with the log, not with its square.
    """
    labels = np.array(noisy_labels, copy=True)
    held = _start_held(len(labels), reserve)
    kept = ~held
    copies = np.zeros(len(labels), dtype=int)
    steps = [(0, labels.copy(), kept.copy(), None)]
    n_actions = 0
    for group in apply(noisy_labels, log, reserve).groups:
        for action in group:
            _apply_one(action, labels, kept, set(), copies, held)
        n_actions += 1  # one group, one action (LabelState.n_actions)
        steps.append((n_actions, labels.copy(), kept.copy(), copies.copy() if copies.any() else None))
    return steps


def _start_held(n_items: int, reserve: np.ndarray | None) -> np.ndarray:
    return np.zeros(n_items, dtype=bool) if reserve is None else np.array(reserve, dtype=bool, copy=True)


def _apply(noisy_labels: np.ndarray, groups: list[list[Action]], reserve: np.ndarray | None = None) -> LabelState:
    labels = np.array(noisy_labels, copy=True)
    held = _start_held(len(labels), reserve)
    kept = ~held
    confirmed: set[int] = set()
    copies = np.zeros(len(labels), dtype=int)
    reviewed: dict[int, None] = {}
    for action in (a for group in groups for a in group):
        _apply_one(action, labels, kept, confirmed, copies, held)
        if action.kind not in NOT_A_REVIEW:
            reviewed.setdefault(action.item, None)
    return LabelState(
        labels,
        kept,
        list(reviewed),
        list(groups),
        0,
        0,
        confirmed,
        copies if copies.any() else None,
        held if reserve is not None else None,
    )


def _apply_one(
    action: Action, labels: np.ndarray, kept: np.ndarray, confirmed: set[int], copies: np.ndarray, held: np.ndarray
) -> None:
    _check_item(action, len(labels))
    if held[action.item] != (action.kind == "collect"):  # the reserve is out of reach; only its items are collected
        where = "still in the reserve: collect it first" if held[action.item] else "not in the reserve"
        raise ValueError(f"item {action.item} is {where}")
    if action.kind == "collect":
        held[action.item], kept[action.item] = False, True
    elif action.kind == "duplicate":
        copies[action.item] += 1
    elif action.kind == "relabel":
        labels[action.item] = action.label
    elif action.kind == "remove":
        kept[action.item] = False
    elif action.kind == "restore":
        kept[action.item] = True
    elif action.kind == "confirm":
        confirmed.add(action.item)


def _check_item(action: Action, n_items: int) -> None:
    if not 0 <= action.item < n_items:
        raise ValueError(f"item {action.item} is not a training item (0-{n_items - 1})")
