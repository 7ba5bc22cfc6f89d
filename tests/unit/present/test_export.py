"""Export: no cell, header or log entry of the CSV files a learner downloads runs as a spreadsheet formula."""

import csv
import io

import numpy as np
import pytest

from datacentric.lab.worklog import Action, apply
from datacentric.present import export
from tests.unit.data.test_userdata import lab_for, reviews

FORMULAS = [
    '=HYPERLINK("https://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
]
RUNS_AS_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@pytest.mark.parametrize(
    "value, expected",
    [
        *[(f, "'" + f) for f in FORMULAS],
        ("-1", "-1"),
        ("+2.5", "+2.5"),
        ("-3e5", "-3e5"),  # numbers are numbers
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (7, 7),
        (None, None),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(value, expected):
    assert export.neutralised(value) == expected


HYPERLINK_CLASS = '=HYPERLINK("https://evil.example","pos")'


def hostile_frame(n: int = 300):
    """Reviews whose classes, a header and some cells are formulas."""
    frame = reviews(n)
    relabel = {"pos": HYPERLINK_CLASS, "neg": "@neg"}
    frame[["label", "true_label"]] = frame[["label", "true_label"]].replace(relabel)
    frame = frame.rename(columns={"genre": "=cmd|' /C calc'!A0"})
    frame["note"] = [FORMULAS[i % len(FORMULAS)] for i in range(n)]
    frame["score"] = np.linspace(-1, 1, n)  # negative numbers stay numbers
    return frame


def cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_the_cleaned_csv_and_the_log_carry_no_formula():
    frame = hostile_frame()
    lab = lab_for(frame)
    wrong = np.flatnonzero(lab.is_noisy)
    log = [Action("relabel", int(wrong[0]), int(lab.true_labels[wrong[0]]), 1), Action("confirm", 0, None, 2)]
    table = export.cleaned(lab, apply(lab.noisy_labels, log))
    for raw in (export.to_csv(table), export.to_csv(export.action_log(lab, log))):
        rows = cells(raw)
        formulas = [
            c for row in rows for c in row if c.startswith(RUNS_AS_FORMULA) and not export.PLAIN_NUMBER.fullmatch(c)
        ]
        assert formulas == []
    rows = cells(export.to_csv(table))
    header = rows[0]
    assert "'=cmd|' /C calc'!A0" in header
    note = header.index("note")
    assert {row[note] for row in rows[1:]} == {"'" + f for f in FORMULAS}
    assert any(row[header.index("score")].startswith("-0.") for row in rows[1:])  # numbers untouched
    assert "'@neg" in {row[header.index(lab.dataset.label_column)] for row in rows[1:]}  # the current labels
    log_rows = cells(export.to_csv(export.action_log(lab, log)))
    assert log_rows[1][log_rows[0].index("new_label")] in {"'@neg", "'" + HYPERLINK_CLASS}


def test_a_challenge_exports_no_known_true_labels_and_no_test_items():
    """In a classroom challenge the export is the learner's training rows and labels: nothing that says which labels
    are wrong (no true_label) and no test item (their labels are the answers the leaderboard scores)."""
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario(dataset="wine", noise="uniform", rate=30, seed=0, holdout=50))
    table = export.cleaned(lab, lab.state([Action("relabel", 0, 1)]))
    assert "true_label" not in table.columns
    assert set(table["split"]) == {"train"} and len(table) == lab.n_train
    classes = np.array(lab.dataset.classes, dtype=object)
    assert list(table["current_label"]) == list(classes[lab.state([Action("relabel", 0, 1)]).labels])
    assert list(table["original_label"]) == list(classes[lab.noisy_labels])


def test_outside_a_challenge_the_export_keeps_true_labels_and_test_items():
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario(dataset="wine", noise="uniform", rate=30, seed=0))
    table = export.cleaned(lab, lab.state([]))
    assert "true_label" in table.columns and set(table["split"]) == {"train", "test"}
