"""Filters over the training rows, for acting on many at once: text that contains a phrase or matches a
regular expression, a numeric column's range, a category's values, a given or a suggested class.

A learner's pattern runs on the server, so it runs with the ``regex`` module's time limit: a pattern
that backtracks without end is stopped and explained, never left to hold a worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import regex

from datacentric.findings.problems import Problems
from datacentric.lab.lab import Lab
from datacentric.lab.worklog import Action, LabelState

__all__ = [
    "KINDS",
    "READS",
    "PATTERN_SECONDS",
    "MAX_PATTERN",
    "FilterError",
    "RowFilter",
    "columns",
    "matches",
    "column_matches",
    "column_values",
    "sample",
    "bulk",
    "SWEEP_SHARE",
    "sweeping",
]

KINDS = {
    "contains": "text contains",
    "regex": "text matches a regular expression",
    "range": "a number between",
    "values": "a category is one of",
    "given": "the current label is",
    "suggested": "the model suggests",
    "problem": "a data problem is found (Datalab)",
}
# the column kind a filter reads
READS = {"contains": "text", "regex": "text", "range": "numeric", "values": "categorical"}
PATTERN_SECONDS = 2.0  # the most a learner's regular expression may take over all rows
MAX_PATTERN = 500  # characters


class FilterError(ValueError):
    """A filter that cannot run, with the learner-facing reason."""


@dataclass(frozen=True)
class RowFilter:
    kind: str
    column: str | None = None  # the table column (or built-in feature) it reads; None for the class filters
    text: str = ""  # for contains and regex
    low: float | None = None  # for range (inclusive)
    high: float | None = None
    values: tuple[Any, ...] = ()  # category values, class indices for given and suggested, or a problems.KINDS key

    def __post_init__(self):
        if self.kind not in KINDS:
            raise FilterError(f"unknown filter {self.kind!r}")

    @property
    def unset(self) -> str | None:
        """What the learner still has to choose before the filter picks anything, as an instruction; None once it
        is set. An unset filter matches no row: a default that picked every row let one click empty training."""
        if self.kind in ("contains", "regex") and not self.text:
            return "Type the text to look for." if self.kind == "contains" else "Type a regular expression."
        if self.kind == "range" and self.low is None and self.high is None:
            return "Set the lowest value, the highest, or both."
        if not self.values and self.kind not in ("contains", "regex", "range"):
            return {"values": "Choose one or more values.", "problem": "Choose a problem."}.get(
                self.kind, "Choose one or more classes."
            )
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "column": self.column,
            "text": self.text,
            "low": self.low,
            "high": self.high,
            "values": list(self.values),
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> RowFilter:
        return cls(
            record["kind"],
            record.get("column"),
            record.get("text", ""),
            record.get("low"),
            record.get("high"),
            tuple(record.get("values", ())),
        )

    def describe(self) -> str:
        """The filter in words, for the action's message."""
        if self.unset:
            return "nothing is chosen yet"
        return {
            "contains": lambda: f"{self.column} contains {self.text!r}",
            "regex": lambda: f"{self.column} matches /{self.text}/",
            "range": lambda: (
                f"{self.column} >= {self.low:g}"
                if self.high is None
                else f"{self.column} <= {self.high:g}"
                if self.low is None
                else f"{self.low:g} <= {self.column} <= {self.high:g}"
            ),
            "values": lambda: f"{self.column} is one of {', '.join(map(str, self.values))}",
            "given": lambda: f"the current label is one of {len(self.values)} classes",
            "suggested": lambda: f"the model suggests one of {len(self.values)} classes",
            "problem": lambda: f"Datalab finds {', '.join(map(str, self.values))}",
        }[self.kind]()


def columns(lab: Lab) -> dict[str, str]:
    """The columns a filter can read, each with its kind ("text", "numeric" or "categorical")."""
    if not lab.dataset.is_users:
        return {name: "numeric" for name in lab.dataset.feature_names}
    return {r.column: r.role for r in lab.dataset.roles_used}


def matches(
    lab: Lab,
    state: LabelState,
    row_filter: RowFilter,
    suggested: np.ndarray | None = None,
    found: Problems | None = None,
) -> np.ndarray:
    """Which training items (a boolean array over them) the filter picks, by their current labels in ``state``;
    never one still in the reserve.

    ``suggested``: the model's suggested class per training item (for the "suggested" filter); ``found``: the
    data problems Datalab found (for the "problem" filter).
    """
    return _matches(lab, state, row_filter, suggested, found) & state.reachable


def _matches(
    lab: Lab, state: LabelState, f: RowFilter, suggested: np.ndarray | None, found: Problems | None
) -> np.ndarray:
    if f.kind == "problem":
        if found is None:
            raise FilterError("Look for data problems first: the button above runs cleanlab's Datalab.")
        picked = np.zeros(lab.n_train, dtype=bool)
        for kind in f.values:
            picked |= found.flags[kind]
        return picked
    if f.kind == "given":
        return np.isin(state.labels, f.values)
    if f.kind == "suggested":
        if suggested is None:
            raise FilterError("The model's suggestions are not ready yet.")
        return np.isin(suggested, f.values)
    return column_matches(lab, f)


def column_matches(lab: Lab, f: RowFilter, *, test: bool = False) -> np.ndarray:
    """Which training items (or test items, with ``test``) a filter on a column picks: none while it is unset."""
    if f.kind not in READS:
        raise FilterError(f"'{KINDS[f.kind]}' reads labels, not a column: only a filter on a column makes a slice.")
    values = column_values(lab, f.column, test=test)
    if f.unset:
        return np.zeros(len(values), dtype=bool)
    if f.kind == "range":
        numbers = pd.to_numeric(values, errors="coerce")
        low = -np.inf if f.low is None else f.low
        high = np.inf if f.high is None else f.high
        return ((numbers >= low) & (numbers <= high)).fillna(False).to_numpy(dtype=bool)
    if f.kind == "values":
        return values.astype(str).isin([str(v) for v in f.values]).to_numpy()
    text = values.fillna("").astype(str)
    if f.kind == "contains":
        return text.str.contains(f.text, case=False, regex=False).to_numpy()
    return _pattern_matches(text, f.text)


def column_values(lab: Lab, column: str | None, *, test: bool = False) -> pd.Series:
    """A column's values over the training items (or the test items, with ``test``), in their order."""
    if column is None or column not in columns(lab):
        raise FilterError(f"There is no column {column!r} to filter on.")
    if not lab.dataset.is_users:
        features = lab.test_features if test else lab.train_features
        return pd.Series(features[:, lab.dataset.feature_names.index(column)])
    return lab.dataset.raw[column].iloc[lab.test_index if test else lab.train_index].reset_index(drop=True)


def _pattern_matches(text: pd.Series, pattern: str) -> np.ndarray:
    if len(pattern) > MAX_PATTERN:
        raise FilterError(f"That pattern is {len(pattern):,} characters long; keep it under {MAX_PATTERN}.")
    try:
        compiled = regex.compile(pattern, regex.IGNORECASE)
    except regex.error as error:
        raise FilterError(f"That is not a regular expression the app can read: {error}.") from error
    found = np.zeros(len(text), dtype=bool)
    start = time.perf_counter()
    for i, value in enumerate(text):
        left = PATTERN_SECONDS - (time.perf_counter() - start)
        try:
            found[i] = compiled.search(value, timeout=max(left, 0.001)) is not None
        except TimeoutError as error:
            raise FilterError(
                f"That pattern took over {PATTERN_SECONDS:g} s on these rows (it backtracks too much); "
                "simplify it, or use 'text contains'."
            ) from error
    return found


def sample(picked: np.ndarray, n: int = 5) -> list[int]:
    """Up to ``n`` of the picked training items, the first ones: what the learner checks before acting."""
    return [int(i) for i in np.flatnonzero(picked)[:n]]


def bulk(kind: str, picked: np.ndarray, state: LabelState) -> list[Action]:
    """One action per picked item it would change: "remove" the ones in use, "restore" the removed ones,
    "confirm" (keep, as reviewed) the ones in use not yet acted on, "duplicate" the ones in use (one more copy
    each in training). Appended together, they are one group in the log, so one undo takes them all back."""
    if kind not in ("remove", "restore", "confirm", "duplicate"):
        raise ValueError(f"a bulk action removes, restores, keeps or duplicates, not {kind!r}")
    if kind == "confirm":
        done = np.zeros(len(picked), dtype=bool)
        done[state.reviewed] = True
        affected = picked & state.kept & ~done
    else:
        affected = picked & (state.kept if kind in ("remove", "duplicate") else ~state.kept & state.reachable)
    return [Action(kind, int(i)) for i in np.flatnonzero(affected)]


SWEEP_SHARE = 0.5  # a bulk action on more than this share of the rows in use asks to be confirmed with its count


def sweeping(touched: int, in_use: int) -> bool:
    """Whether a bulk action that removes or duplicates ``touched`` of the ``in_use`` training rows sweeps so much of
    the data (more than ``SWEEP_SHARE``) that it should be confirmed first: a filter that matched every row (a range
    of 0 to 0 on a pixel that is always 0, say) would otherwise remove the whole training set in one click."""
    return in_use > 0 and touched > SWEEP_SHARE * in_use
