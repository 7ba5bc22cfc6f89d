"""The data-centric loop in plain Python: what is left to review, what changed, what a batch does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from datacentric.common.display import percent
from datacentric.common.metrics import METRICS, lowered
from datacentric.findings.issues import Order, out_of_fold_pred_probs, rank_label_issues
from datacentric.lab.evaluate import Score, train_and_score
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import Action, LabelState

__all__ = [
    "noisy_left",
    "fixed_and_broken",
    "pending",
    "in_random_order",
    "accept_top",
    "your_curve",
    "describe_actions",
    "Change",
    "judge_change",
    "moved",
    "made_wrong",
    "batch_preview",
    "BATCH_DEFAULT",
    "TopK",
    "top_k",
    "class_flow",
    "CLASS_LOSS",
    "class_losses",
    "MIN_CHECKED",
    "DOUBT_SHARE",
    "Checked",
    "checked_suggestions",
    "batch_warnings",
    "batch_outcome",
    "Walk",
    "walk",
    "NEXT_CARDS",
    "TRUST_SUGGESTIONS",
    "NUMBER_KEYS",
    "class_keys",
    "suggestions_right",
]


def noisy_left(lab: Lab, state: LabelState) -> int:
    """Training items still in use whose current label differs from the true one."""
    return int((state.kept & (state.labels != lab.true_labels)).sum())


def fixed_and_broken(lab: Lab, state: LabelState) -> tuple[int, int]:
    """(wrong labels fixed since the start: set right, or taken out of training; right labels made wrong)."""
    truth = lab.true_labels
    wrong_at_start = (lab.noisy_labels != truth) & lab.in_use  # the reserve's labels are not wrong in training
    fixed = int((wrong_at_start & (~state.kept | (state.labels == truth))).sum())
    broken = int((~wrong_at_start & state.kept & (state.labels != truth)).sum())
    return fixed, broken


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
    return pd.DataFrame({"reviewed": np.arange(1, len(found) + 1), "found": found, "order": Order.YOU.value})


def describe_actions(actions: list[Action], classes: tuple[str, ...]) -> str:
    """What the learner just did, in words: 'Relabelled item 412 as 7'."""
    kinds = {a.kind for a in actions}
    if len(actions) > 1 and kinds == {"confirm"}:
        return f"Kept {len(actions)} items as they are (marked reviewed) in one action"
    if kinds == {"collect"}:
        rows = f"{len(actions)} row{'s' if len(actions) != 1 else ''}"
        return f"Collected {rows} from the reserve into training in one action"
    if kinds == {"duplicate"}:
        return f"Duplicated {len(actions)} item{'s' if len(actions) != 1 else ''} in training in one action"
    if len(actions) > 1 and kinds <= {"remove", "restore"}:
        what = "Removed" if kinds == {"remove"} else "Restored" if kinds == {"restore"} else "Removed or restored"
        return f"{what} {len(actions)} items {'from' if what == 'Removed' else 'to'} training in one action"
    if len(actions) > 1:
        relabelled = sum(a.kind == "relabel" for a in actions)
        confirmed = len(actions) - relabelled
        return f"Accepted the top {len(actions)} suggestions ({relabelled} relabelled, {confirmed} confirmed)"
    action = actions[0]
    return {
        "relabel": lambda: f"Relabelled item {action.item} as {classes[action.label]}",
        "remove": lambda: f"Removed item {action.item} from training",
        "restore": lambda: f"Restored item {action.item} to training",
        "confirm": lambda: f"Confirmed the label of item {action.item}",
        "duplicate": lambda: f"Duplicated item {action.item} in training",
        "undo": lambda: "Undid the last action",
        "rerank": lambda: "Re-ranked the queue with your current labels",
    }[action.kind]()


@dataclass(frozen=True)
class Change:
    """What an action did to the headline metric: ``direction`` is "rose", "fell" or "same"."""

    direction: str
    sentence: str


def judge_change(
    before: Score,
    after: Score,
    *,
    worth: tuple[float, float],
    metric: str = "accuracy",
    noisy: int | None = None,
    made_wrong: int = 0,
) -> Change:
    """The headline ``metric`` before and after, in a sentence; a move under half the smallest step one test item
    can make (``worth``, in points: see ``metrics.item_worth``) is no change.

    ``noisy``: wrong labels left (None when nobody knows); ``made_wrong``: right labels the action made wrong.
    """
    name = lowered(METRICS[metric].name)
    was, now = before.value(metric), after.value(metric)
    if not moved(was, now, worth[0]):
        direction, text = "same", f"{name} unchanged at {percent(now)}"
    else:
        direction = "rose" if now > was else "fell"
        text = f"{name} {percent(was)} -> {percent(now)} ({(now - was) * 100:+.1f} pts)"
    low, high = worth
    text += (
        f" (one test item is {low:.2f} pts)"
        if round(low, 2) == round(high, 2)
        else f" (one test item is {low:.2f} to {high:.2f} pts, by its class)"
    )
    if noisy is not None:
        text += f", {noisy} {'noisy label' if noisy == 1 else 'noisy labels'} left"
    if made_wrong:
        text += (
            f"; {'a label that was right is' if made_wrong == 1 else f'{made_wrong} labels that were right are'}"
            " now wrong"
        )
    return Change(direction, text)


def moved(before: float, after: float, step: float) -> bool:
    """Whether a metric (0 to 1) moved by at least half of ``step`` points, the least one test item can move it:
    less is noise, shown as no change."""
    return abs(after - before) * 100 >= step / 2


def made_wrong(lab: Lab, before: LabelState, after: LabelState) -> int:
    """Labels right at the start that an action made wrong: how many more of them are wrong and in use after it than
    before (``fixed_and_broken``). An undo that puts back the start's wrong labels made none wrong; back at the start,
    there are none."""
    return max(0, _broken(lab, after) - _broken(lab, before))


def _broken(lab: Lab, state: LabelState) -> int:
    return fixed_and_broken(lab, state)[1]


def batch_preview(queue: pd.DataFrame, k: int) -> str:
    """What accepting the top ``k`` will do, said before it is done."""
    top = queue.head(max(k, 0))
    changes = len(_relabels(queue, k))
    agree = len(top) - changes
    return (
        f"Will relabel {changes} of these {len(top)} items to the model's suggestion; "
        f"{agree} already {'carries it and is' if agree == 1 else 'carry it and are'} confirmed."
    )


def _relabels(queue: pd.DataFrame, k: int) -> pd.DataFrame:
    """The rows among the top ``k`` of the queue whose suggestion differs from their label."""
    top = queue.head(max(k, 0))
    return top[top["suggested"] != top["given"]]


BATCH_DEFAULT = 10  # the k "Accept the top k" offers before the learner picks one, when the estimate allows it


@dataclass(frozen=True)
class TopK:
    """Bounds of "Accept the top k": ``left``, the labels estimated wrong that are still in the queue, which no k
    should pass; ``default``, the k offered before the learner picks one (``BATCH_DEFAULT``, or ``left`` when
    smaller, and at least 1: a widget's least)."""

    left: int
    default: int


def top_k(ranked: pd.DataFrame, queue: pd.DataFrame, estimate: int) -> TopK:
    """The top k's bounds on ``queue`` (what is left to review: ``pending``, perhaps filtered or reordered).

    ``ranked``: the whole queue at the last re-rank, lowest quality first; ``estimate``: how many of its labels are
    wrong (``issues.estimate_issue_count``, calibrated not to overshoot). The labels estimated wrong still left are
    those of its ``estimate`` lowest-quality items still in ``queue``: each reviewed since the re-rank is one fewer.
    """
    suspects = ranked["item"].to_numpy()[: max(estimate, 0)]
    left = int(np.isin(queue["item"].to_numpy(), suspects).sum())
    return TopK(left, max(1, min(BATCH_DEFAULT, left)))


def class_flow(actions: list[Action], state: LabelState, classes: tuple[str, ...]) -> pd.DataFrame:
    """What ``actions`` would do to each class before they are taken: one row a class, its ``rows in use`` now, how
    many rows would go ``out`` of it (relabelled away from it, or removed from training) and come ``in`` (relabelled
    to it, or brought back into training)."""
    labels, kept = state.labels, state.kept
    out = np.zeros(len(classes), dtype=int)
    into = np.zeros(len(classes), dtype=int)
    for action in actions:
        item = action.item
        if action.kind == "relabel" and kept[item] and action.label != labels[item]:
            out[labels[item]] += 1
            into[action.label] += 1
        elif action.kind == "remove" and kept[item]:
            out[labels[item]] += 1
        elif action.kind in ("restore", "collect") and not kept[item]:
            into[labels[item]] += 1
    return pd.DataFrame(
        {
            "class": list(classes),
            "rows in use": np.bincount(labels[kept], minlength=len(classes)),
            "out": out,
            "in": into,
        }
    )


CLASS_LOSS = 0.25  # a batch taking more than this share of a class's rows in use out of it is warned of; at half,
# 65 of 165 rare-class rows relabelled went unwarned on an outside dataset
MIN_CHECKED = 10  # one-by-one reviews of a suggestion that differed from the label before they say how good it is
DOUBT_SHARE = 1 / 3  # the learner turned down more than this share of them: accepting unchecked is warned of


def class_losses(actions: list[Action], state: LabelState, classes: tuple[str, ...]) -> list[str]:
    """A sentence for each class ``actions`` would take more than ``CLASS_LOSS`` of its rows in use out of (by
    relabelling them away, or removing them)."""
    flow = class_flow(actions, state, classes)
    kinds = {a.kind for a in actions} & {"relabel", "remove"}
    verb = "relabel" if kinds == {"relabel"} else "remove" if kinds == {"remove"} else "relabel or remove"
    return [
        f"This would {verb} {row.out} of the {row.in_use} items labelled {row.name} in use, more than "
        f"{_share(CLASS_LOSS)} of the class: check that the model is not simply ignoring a class it finds hard (a "
        "rare class often is)."
        for row in flow.rename(columns={"class": "name", "rows in use": "in_use"}).itertuples()
        if row.in_use and row.out > CLASS_LOSS * row.in_use
    ]


def _share(fraction: float) -> str:
    """A fraction in words: 'a quarter', 'a third', else a percentage."""
    words = {1 / 4: "a quarter", 1 / 3: "a third", 1 / 2: "half"}
    return next((w for f, w in words.items() if abs(f - fraction) < 1e-9), f"{fraction:.0%}")


@dataclass(frozen=True)
class Checked:
    """The learner's own verdict on the model's suggestions: of the ``reviewed`` cards they reviewed one by one
    whose suggestion was another class than the given label, on ``kept`` they kept the given label (confirmed it)
    and on ``other`` set a third class."""

    reviewed: int
    kept: int
    other: int

    @property
    def turned_down(self) -> int:
        return self.kept + self.other

    @property
    def doubtful(self) -> bool:
        """Enough reviews (``MIN_CHECKED``), and more than ``DOUBT_SHARE`` of their suggestions turned down."""
        return self.reviewed >= MIN_CHECKED and self.turned_down > DOUBT_SHARE * self.reviewed


def checked_suggestions(noisy_labels: np.ndarray, state: LabelState, ranked: pd.DataFrame) -> Checked:
    """What the learner did with the suggestions they reviewed one by one: each single confirm or relabel still in
    effect (a batch's are not theirs to judge by), on an item the ``ranked`` queue suggests another class for than
    the label it had before the action. The suggestion is the current ranking's: the one the card showed for an
    action since the last re-rank, a close stand-in for one before it."""
    suggested = np.full(len(noisy_labels), -1)
    suggested[ranked["item"].to_numpy()] = ranked["suggested"].to_numpy()
    labels = np.array(noisy_labels, copy=True)
    reviewed = kept = other = 0
    for group in state.groups:
        action = group[0]
        if len(group) == 1 and action.kind in ("confirm", "relabel") and suggested[action.item] >= 0:
            suggestion = suggested[action.item]
            if suggestion != labels[action.item]:
                reviewed += 1
                kept += action.kind == "confirm"
                other += action.kind == "relabel" and action.label != suggestion
        for one in group:
            if one.kind == "relabel":
                labels[one.item] = one.label
    return Checked(reviewed, kept, other)


def batch_warnings(
    queue: pd.DataFrame,
    k: int,
    state: LabelState,
    estimate: int,
    classes: tuple[str, ...],
    *,
    checked: Checked | None = None,
) -> list[str]:
    """Reasons to think twice before accepting the top ``k``: a class losing more than ``CLASS_LOSS`` of its rows in
    use (``class_losses``); a ``k`` beyond ``estimate``, the labels estimated wrong still in the queue
    (``TopK.left``); and the learner's own reviews (``checked``) turning down many suggestions, with how many right
    labels the batch would then likely change."""
    actions = accept_top(queue, k)
    said = class_losses(actions, state, classes)
    if k > estimate:
        said.append(
            f"{k} is more than the {estimate} labels cleanlab estimates are wrong among those left to review (its "
            "count shrunk to what never overshot on the app's own examples): further down the queue, more of the "
            "suggestions change labels that were right. Review those one by one, or tick below to accept anyway."
        )
    relabels = sum(a.kind == "relabel" for a in actions)
    if checked is not None and checked.doubtful and relabels:
        right = round(relabels * checked.kept / checked.reviewed)
        third = (
            f" (and set a third class on {checked.other}, where neither label nor suggestion was right)"
            if checked.other
            else ""
        )
        said.append(
            f"You kept the given label on {checked.kept} of the {checked.reviewed} suggestions you reviewed one by one"
            f"{third}: accepting {k} unchecked will likely change about {right} right "
            f"{'label' if right == 1 else 'labels'} (of its {relabels} relabels). Your own reviews say the suggestions "
            "are often wrong here."
        )
    return said


def batch_outcome(lab: Lab, actions: list[Action]) -> str:
    """After a batch (graded data): how many of its relabels set the true label, or of its removed items had a
    wrong label."""
    collected = [a.item for a in actions if a.kind == "collect"]
    if collected:
        return f"{int(lab.is_noisy[collected].sum())} of the {len(collected)} collected have a wrong label"
    duplicated = [a.item for a in actions if a.kind == "duplicate"]
    if duplicated:
        return f"{int(lab.is_noisy[duplicated].sum())} of the {len(duplicated)} duplicated have a wrong label"
    removed = [a.item for a in actions if a.kind == "remove"]
    if removed:
        wrong = int(lab.is_noisy[removed].sum())
        return f"{wrong} of the {len(removed)} removed had a wrong label"
    relabels = [a for a in actions if a.kind == "relabel"]
    right = sum(int(lab.true_labels[a.item] == a.label) for a in relabels)
    return f"{right} of {len(relabels)} relabel{'s' if len(relabels) != 1 else ''} set the true label"


@dataclass(frozen=True)
class Walk:
    """What a way of reviewing the first cards did: the headline after each action (``values[0]`` before any), and
    how many of the reviewed items were truly wrong."""

    values: tuple[float, ...]
    wrong_seen: int

    @property
    def first(self) -> float:
        """The first action's change, in the headline's units."""
        return self.values[1] - self.values[0] if len(self.values) > 1 else 0.0

    @property
    def gain(self) -> float:
        return self.values[-1] - self.values[0]


def walk(lab: Lab, n: int, *, careful: bool, metric: str = "accuracy") -> Walk:
    """Review the first ``n`` cards of Fix the labels' queue from the start, one action a card, scored after each:
    ``careful`` sets the true label (confirming a right one), as a person who looks at the card does; otherwise the
    model's suggestion is accepted unchecked. Needs known-true labels (``lab.grading != "none"``)."""

    start = lab.state([])
    queue = pending(
        rank_label_issues(start.labels, out_of_fold_pred_probs(lab, start.labels, start.kept), start.kept), start
    ).head(n)
    labels, values = start.labels.copy(), [train_and_score(lab, start.labels, start.kept).value(metric)]
    for row in queue.itertuples():
        labels[row.item] = lab.true_labels[row.item] if careful else row.suggested
        values.append(train_and_score(lab, labels, start.kept).value(metric))
    return Walk(tuple(values), int(lab.is_noisy[queue["item"].to_numpy()].sum()))


NEXT_CARDS = 10  # the cards a note about the suggestions looks ahead at
TRUST_SUGGESTIONS = 0.7  # below this share of right suggestions among them, accepting unchecked is said to hurt
NUMBER_KEYS = "1234567890"


def class_keys(classes: tuple[str, ...]) -> dict[int, str]:
    """The key that sets each class on the review card: the digit itself when the classes are the digits, else 1 to 9
    and 0 in order; none with more classes than keys."""
    if len(classes) > len(NUMBER_KEYS):
        return {}
    if all(len(name) == 1 and name.isdigit() for name in classes) and len(set(classes)) == len(classes):
        return dict(enumerate(classes))
    return dict(enumerate(NUMBER_KEYS[: len(classes)]))


def suggestions_right(lab: Lab, queue: pd.DataFrame, n: int) -> tuple[int, int]:
    """(how many of the next ``n`` cards' suggestions are the true label, how many cards that is): graded data."""
    ahead = queue.head(n)
    items = ahead["item"].to_numpy()
    return int((ahead["suggested"].to_numpy() == lab.true_labels[items]).sum()), len(ahead)
