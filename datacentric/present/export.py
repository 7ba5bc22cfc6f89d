"""What a learner takes away: the cleaned dataset and the action log, as tables ready for CSV."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from datacentric.lab.lab import Lab
from datacentric.lab.worklog import Action, LabelState

__all__ = ["FORMULA_STARTS", "PLAIN_NUMBER", "cleaned", "action_log", "to_csv", "neutralised"]

# OWASP's CSV-injection rule: a spreadsheet runs a cell that starts with one of these as a formula
# (=HYPERLINK(...), =cmd|'/C calc'!A0), so such a cell, header or log entry is written with a leading
# apostrophe, which spreadsheets read as "this is text". Full-width forms are formulas in some locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")  # "-1" is a number, not a formula


def cleaned(lab: Lab, state: LabelState) -> pd.DataFrame:
    """Every row of the dataset with ``split``, ``original_label`` and ``action``, and its current label.

    A learner's rows keep all their columns as uploaded, with ``file_row`` (its number in the file), and
    the current label in the label column's own name, so the file reads back as it was set up. Built-in
    rows carry their features, ``true_label`` and ``current_label``. Removed rows stay, marked, so nothing
    is lost; rows still in the reserve have the split "reserve", collected ones the action "collected".
    In a classroom challenge (a scenario with a holdout) the table holds the training rows only, without
    ``true_label``: the true labels and the test items' labels are the answers its leaderboard scores.
    """
    dataset = lab.dataset
    n = len(dataset.labels)
    classes = np.array(dataset.classes, dtype=object)
    original = dataset.labels.copy() if dataset.given is None else dataset.given.copy()
    original[lab.train_index] = lab.noisy_labels
    current = original.copy()
    current[lab.train_index] = state.labels
    action = np.full(n, "", dtype=object)
    train_action = np.full(lab.n_train, "", dtype=object)
    train_action[list(state.confirmed & set(state.reviewed))] = "confirmed"
    train_action[state.labels != lab.noisy_labels] = "relabelled"
    train_action[~state.kept & state.reachable] = "removed"
    train_action[lab.reserve & state.reachable & (train_action == "")] = "collected"
    if state.copies is not None:
        train_action[(state.copies > 0) & (train_action == "")] = "duplicated"
    action[lab.train_index] = train_action
    split = np.full(n, "test", dtype=object)
    split[lab.train_index] = np.where(state.reachable, "train", "reserve")
    if dataset.is_users:
        table = dataset.raw.reset_index(drop=True)
        table.insert(0, _free(table, "file_row"), dataset.raw.index + 1)
        table[dataset.label_column] = classes[current]
        added = {"split": split, "original_label": classes[original], "action": action}
    else:
        table = pd.DataFrame(dataset.features, columns=list(dataset.feature_names))
        table["true_label"] = classes[dataset.labels]
        added = {
            "split": split,
            "original_label": classes[original],
            "current_label": classes[current],
            "action": action,
        }
    if state.copies is not None:  # rebalancing: how many more times each row counted in training
        added["extra_copies"] = np.zeros(n, dtype=int)
        added["extra_copies"][lab.train_index] = state.copies
    for name, values in added.items():
        table[_free(table, name)] = values  # never overwrite a column of the learner's own
    if lab.scenario.holdout:
        return _without_answers(lab, table)
    return table


def _without_answers(lab: Lab, table: pd.DataFrame) -> pd.DataFrame:
    """A challenge's export: its training rows (the reserve's too), in training order, with no known-true column."""
    kept = table.iloc[lab.train_index].drop(columns=["true_label"], errors="ignore")
    return kept.reset_index(drop=True)


def _free(table: pd.DataFrame, name: str) -> str:
    while name in table.columns:
        name = "_" + name
    return name


def action_log(lab: Lab, log: list[Action]) -> pd.DataFrame:
    """The log as a table: one line per action, undos and re-ranks included, items named by file row too."""
    rows = []
    for seq, a in enumerate(log, start=1):
        item = a.item
        row = None
        if item is not None and lab.dataset.is_users:
            row = int(lab.dataset.raw.index[lab.train_index[item]]) + 1
        rows.append(
            {
                "seq": seq,
                "action": a.kind,
                "item": item,
                "row": row,
                "group": a.group,
                "new_label": lab.dataset.classes[a.label] if a.label is not None else None,
            }
        )
    return pd.DataFrame(rows, columns=["seq", "action", "item", "row", "group", "new_label"])


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, every text cell and header that a spreadsheet would run as a formula neutralised."""
    safe = frame.rename(columns=neutralised)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralised)
    # CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone carriage return; with "\n"
    # alone it does not, and a reader would start a new row there, a formula injected after all.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def neutralised(value):
    """``value`` with an apostrophe in front if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
