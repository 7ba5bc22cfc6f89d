"""A learner's work as an append-only log of actions, replayed into the current labels."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

LABEL_ACTIONS = ("relabel", "remove", "restore", "confirm")
ACTION_KINDS = LABEL_ACTIONS + ("undo", "rerank")


@dataclass(frozen=True)
class Action:
    """One entry in the log.

    ``group`` ties the entries of one batch together so that one undo takes back the batch.
    ``item`` is a training index; ``label`` is the new class for ``relabel``.
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
    rank_at: int  # log position of the last re-rank (0: rank the starting labels)
    confirmed: set[int] = field(default_factory=set)

    @property
    def n_actions(self) -> int:
        return sum(len(group) for group in self.groups)


def replay(noisy_labels: np.ndarray, log: list[Action]) -> LabelState:
    """Apply ``log`` to ``noisy_labels``; ``undo`` takes back the latest group still in effect."""
    groups: list[list[Action]] = []
    rank_at = 0
    for position, action in enumerate(log):
        if action.kind == "undo":
            if groups:
                groups.pop()
        elif action.kind == "rerank":
            rank_at = position + 1
        elif groups and groups[-1][0].group == action.group and action.group != 0:
            groups[-1].append(action)
        else:
            groups.append([action])
    labels = np.array(noisy_labels, copy=True)
    kept = np.ones(len(labels), dtype=bool)
    confirmed: set[int] = set()
    reviewed: dict[int, None] = {}
    for action in (a for group in groups for a in group):
        _check_item(action, len(labels))
        if action.kind == "relabel":
            labels[action.item] = action.label
        elif action.kind == "remove":
            kept[action.item] = False
        elif action.kind == "restore":
            kept[action.item] = True
        elif action.kind == "confirm":
            confirmed.add(action.item)
        reviewed.setdefault(action.item, None)
    return LabelState(labels, kept, list(reviewed), groups, len(log), rank_at, confirmed)


def labels_at(noisy_labels: np.ndarray, log: list[Action], position: int) -> LabelState:
    """The state after the first ``position`` entries of the log."""
    return replay(noisy_labels, log[:position])


def history(noisy_labels: np.ndarray, log: list[Action]) -> list[LabelState]:
    """The state before any action and after each group still in effect, in order."""
    final = replay(noisy_labels, log)
    states = [replay(noisy_labels, [])]
    applied: list[Action] = []
    for group in final.groups:
        applied.extend(group)
        states.append(replay(noisy_labels, applied))
    return states


def _check_item(action: Action, n_items: int) -> None:
    if not 0 <= action.item < n_items:
        raise ValueError(f"item {action.item} is not a training item (0-{n_items - 1})")
