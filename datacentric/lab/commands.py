"""The learner's commands: a label action, a bulk action and a collection, checked against what the page showed
and written to the log, each returning an ``Outcome`` a page renders.

A command takes the lab, the log as the page read it (once, for the click), the actions, what the page showed
(``worklog.Seen``) and a writer (``write(actions, after=version)``: ``Store.append`` bound to a workspace and a
scenario, which raises ``LogMoved`` when another append came first). It never reads the store itself but through
``read``, and only after ``LogMoved``: another tab or server appended between the check and the write, so the check
is made again on the log as it now is, up to ``WRITE_TRIES`` times.

With no other append in between, a command applies the log (``worklog.apply``, through ``Lab.state``) at most
twice: once to what it adds up to before the actions (a stale click stops there), once with them appended (the state
after them, for the message: the store is not read again). Each ``LogMoved`` costs one read and up to two applies
more.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

from datacentric.lab.lab import Lab, Untrainable, check_trainable
from datacentric.lab.worklog import (
    LABEL_ACTIONS,
    Action,
    BudgetSpent,
    LabelState,
    LogMoved,
    OffTheRoom,
    Seen,
    StoreBusy,
    is_repeat,
)

WRITE_TRIES = 3  # checks and writes, when other appends keep arriving in between
Writer = Callable[..., object]  # write(actions, *, after=the log's length they were chosen on)
Reader = Callable[[], list[Action]]

BUSY = "Nothing done: the store was busy; your click was not saved, try again."


class Result(enum.Enum):
    WRITTEN = "written"  # in the log: ``Outcome.now`` is the state after it
    REFUSED = "refused"  # not written, and writing it again would be refused too (``Outcome.reason`` says why)
    STALE = "stale"  # not written: what it acts on moved on after the page showed it


class Refusal(enum.Enum):
    CANNOT_APPLY = "cannot apply"  # an action the log cannot take (a reserve row not collected)
    UNTRAINABLE = "untrainable"  # it would leave too little in training to learn from (``lab.check_trainable``)
    OVER_BUDGET = "over budget"  # a classroom challenge's budget of label actions is spent (``BudgetSpent``)
    OFF_THE_ROOM = "off the room"  # a challenge room's learner on another scenario than the room's (``OffTheRoom``)
    STORE_BUSY = "store busy"  # the store stayed locked through its retries (``StoreBusy``): try again later


@dataclass(frozen=True)
class Outcome:
    """What a command did.

    ``now``: the label state the page shows next (after the write; as the log is, when nothing was written).
    ``before``: the state the actions were checked on, for saying what they changed. ``said``: why nothing was
    done, in a sentence (empty when written: the page words the change, with the scores it has). ``moved``: the
    items no longer as the page showed them (stale). ``repeat``: stale because the log already ends with these
    actions, a double click whose first click said what it did.
    """

    result: Result
    actions: tuple[Action, ...]
    before: LabelState
    now: LabelState
    reason: Refusal | None = None
    said: str = ""
    moved: tuple[int, ...] = ()
    repeat: bool = False

    @property
    def written(self) -> bool:
        return self.result is Result.WRITTEN


def label(lab: Lab, log: list[Action], actions: list[Action], seen: Seen, *, write: Writer, read: Reader) -> Outcome:
    """One action on the review card or the log: a relabel, confirm, remove, restore or duplicate of one item, an
    undo or a re-rank."""
    if len(actions) != 1 or actions[0].kind == "collect":
        raise ValueError("a label command is one action, and not a collection")
    return _command(lab, log, actions, seen, write, read)


def bulk(lab: Lab, log: list[Action], actions: list[Action], seen: Seen, *, write: Writer, read: Reader) -> Outcome:
    """Label actions on many items (a filter's rows removed, the top of the queue accepted), written as one group
    so that one undo takes it all back."""
    if not actions or any(a.kind not in LABEL_ACTIONS or a.kind == "collect" for a in actions):
        raise ValueError("a bulk command is at least one label action on an item, and no collection")
    return _command(lab, log, actions, seen, write, read)


def collect(lab: Lab, log: list[Action], actions: list[Action], seen: Seen, *, write: Writer, read: Reader) -> Outcome:
    """Rows drawn from the reserve into training (``findings.collect.draw``), as one group."""
    if not actions or any(a.kind != "collect" for a in actions):
        raise ValueError("a collection is at least one collect action, and nothing else")
    return _command(lab, log, actions, seen, write, read)


def _command(lab: Lab, log: list[Action], actions: list[Action], seen: Seen, write: Writer, read: Reader) -> Outcome:
    for _ in range(WRITE_TRIES):
        before = lab.state(log)
        if seen.is_stale(before):
            return _stale(actions, seen, before, repeat=is_repeat(log, actions))
        try:
            after = lab.state(
                log + _as_appended(log, actions)
            )  # a ValueError when one cannot apply (a reserve row not collected)
            check_trainable(before, after, actions, classes=lab.dataset.classes)
        except ValueError as problem:  # Untrainable is one
            reason = Refusal.UNTRAINABLE if isinstance(problem, Untrainable) else Refusal.CANNOT_APPLY
            return _refused(actions, before, reason, f"Nothing done: {problem}.")
        try:
            write(actions, after=before.version)  # the checks above and the write, as one step
        except LogMoved:  # another tab or server appended in between: check again against the log as it now is
            log = read()
            continue
        except OffTheRoom as off:
            return _refused(actions, before, Refusal.OFF_THE_ROOM, f"Nothing done. {off}")
        except BudgetSpent as spent:  # the store refused it, under its lock
            return _refused(actions, before, Refusal.OVER_BUDGET, f"Nothing done. {spent}")
        except StoreBusy:  # nothing written; the page keeps what it showed
            return _refused(actions, before, Refusal.STORE_BUSY, BUSY)
        return Outcome(Result.WRITTEN, tuple(actions), before, after)
    return _stale(actions, seen, lab.state(log))


def _refused(actions: list[Action], state: LabelState, reason: Refusal, said: str) -> Outcome:
    return Outcome(Result.REFUSED, tuple(actions), state, state, reason, said)


def _as_appended(log: list[Action], actions: list[Action]) -> list[Action]:
    """The actions as ``Store.append`` files them after ``log``: one group, numbered after the log's last, so the
    state after them is the one the store's log will add up to (one undo takes the whole group back)."""
    group = max((a.group for a in log), default=0) + 1
    return [replace(a, group=group) for a in actions]


def _stale(actions: list[Action], seen: Seen, now: LabelState, *, repeat: bool = False) -> Outcome:
    moved = seen.changed(now)
    what = (
        f"item {moved[0]} was changed"
        if len(moved) == 1
        else f"{len(moved)} of these items were changed"
        if moved
        else "this workspace was changed"
    )
    said = (
        f"Nothing done: {what} after this page showed it, in another tab or window on this workspace "
        "(or by a click that arrived twice). What you see now is its current state; refresh any other tab "
        "before you act there, and look again here before acting."
    )
    return Outcome(Result.STALE, tuple(actions), now, now, said=said, moved=tuple(moved), repeat=repeat)


Command = Callable[..., Outcome]  # label, bulk or collect: (lab, log, actions, seen, *, write, read) -> Outcome
