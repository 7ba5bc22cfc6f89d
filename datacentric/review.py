"""The data-centric loop in plain Python: what is left to review, what changed, what a batch does."""
from __future__ import annotations

import numpy as np
import pandas as pd

from datacentric.evaluate import Score
from datacentric.lab import Lab
from datacentric.workspace import Action, LabelState


def noisy_left(lab: Lab, state: LabelState) -> int:
    """Training items still in use whose current label differs from the true one."""
    return int((state.kept & (state.labels != lab.true_labels)).sum())


def pending(queue: pd.DataFrame, state: LabelState) -> pd.DataFrame:
    """The queue without items already acted on or removed; current labels in ``given``."""
    done = np.zeros(len(state.labels), dtype=bool)
    done[state.reviewed] = True
    left = queue[~done[queue["item"]] & state.kept[queue["item"]]].copy()
    left["given"] = state.labels[left["item"]]
    return left.reset_index(drop=True)


def in_random_order(queue: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """The same items as ``queue`` in the order of ``order`` (a permutation of training items)."""
    position = np.empty(len(order), dtype=int)
    position[order] = np.arange(len(order))
    return queue.iloc[np.argsort(position[queue["item"]], kind="stable")].reset_index(drop=True)


def accept_top(queue: pd.DataFrame, k: int) -> list[Action]:
    """Relabel the first ``k`` queued items to their suggestion; agreeing ones are confirmed."""
    actions = []
    for row in queue.head(max(k, 0)).itertuples():
        if row.suggested == row.given:
            actions.append(Action("confirm", int(row.item)))
        else:
            actions.append(Action("relabel", int(row.item), int(row.suggested)))
    return actions


def your_curve(lab: Lab, state: LabelState) -> pd.DataFrame:
    """Noisy labels found against items reviewed, in the order this learner reviewed them."""
    found = np.cumsum(lab.is_noisy[state.reviewed]) if state.reviewed else np.array([], dtype=int)
    return pd.DataFrame({"reviewed": np.arange(1, len(found) + 1), "found": found, "order": "you"})


def describe_actions(actions: list[Action], classes: tuple[str, ...]) -> str:
    """What the learner just did, in words: 'Relabelled item 412 as 7'."""
    if len(actions) > 1:
        relabelled = sum(a.kind == "relabel" for a in actions)
        return f"Accepted the top {len(actions)} suggestions ({relabelled} relabelled, {len(actions) - relabelled} confirmed)"
    action = actions[0]
    return {
        "relabel": lambda: f"Relabelled item {action.item} as {classes[action.label]}",
        "remove": lambda: f"Removed item {action.item} from training",
        "restore": lambda: f"Restored item {action.item} to training",
        "confirm": lambda: f"Confirmed the label of item {action.item}",
        "undo": lambda: "Undid the last action",
        "rerank": lambda: "Re-ranked the queue with your current labels",
    }[action.kind]()


def describe_change(before: Score, after: Score, noisy: int | None) -> str:
    """One plain sentence: 'accuracy 85.3 % -> 86.0 %, 41 noisy labels left' (no count when nobody knows it)."""
    text = f"accuracy {before.accuracy:.1%} -> {after.accuracy:.1%}".replace("%", " %")
    if noisy is None:
        return text
    return f"{text}, {noisy} {'noisy label' if noisy == 1 else 'noisy labels'} left"
