"""Datalab's problem types found on planted cases: a duplicate, an outlier, a train/test leak, a rare class."""

import numpy as np
import pandas as pd
import pytest

from datacentric.data import userdata
from datacentric.findings import filters, problems
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import apply


def planted(n: int = 300, seed: int = 0):
    """Two numeric blobs; row 0 duplicated as row 1, row 2 far from everything, and the test file holding a
    copy of row 3. Returns (lab, training item of each planted row by its name)."""
    rng = np.random.default_rng(seed)
    label = rng.choice(["a", "b"], n)
    xy = rng.normal(0, 1, (n, 2)) + np.where(label == "a", 0, 3)[:, None]
    train = pd.DataFrame({"x": xy[:, 0].round(3), "y": xy[:, 1].round(3), "label": label})
    train.loc[1, ["x", "y", "label"]] = train.loc[0, ["x", "y", "label"]]
    train.loc[2, ["x", "y"]] = (40.0, -40.0)
    test = pd.DataFrame(
        {"x": rng.normal(0, 1, 80) + 1.5, "y": rng.normal(0, 1, 80) + 1.5, "label": rng.choice(["a", "b"], 80)}
    )
    test.loc[0] = train.loc[3]
    roles = (("x", "numeric"), ("y", "numeric"))
    spec = userdata.UserSpec("label", None, roles, test_file="t" * 64)
    dataset = userdata.build(train, spec, key=userdata.dataset_key("p", spec), title="p", test_frame=test)
    lab = prepare(Scenario(dataset.name, "none", 0, 0), dataset)
    return lab, {"duplicate": (0, 1), "outlier": 2, "leak": 3}  # the test file's rows come after: items = rows


@pytest.fixture(scope="module")
def found():
    lab, rows = planted()
    return lab, rows, problems.find(lab, lab.noisy_labels, np.ones(lab.n_train, dtype=bool))


def test_a_planted_duplicate_is_found(found):
    lab, rows, result = found
    assert result.flags["near_duplicate"][list(rows["duplicate"])].all()


def test_a_planted_outlier_is_found(found):
    lab, rows, result = found
    assert result.flags["outlier"][rows["outlier"]]
    assert result.scores["outlier"][rows["outlier"]] == result.scores["outlier"].min()


def test_a_training_row_copied_into_the_test_set_is_a_leak_and_nothing_else_is(found):
    lab, rows, result = found
    assert np.flatnonzero(result.flags["leak"]).tolist() == [rows["leak"]]


def test_a_rare_class_is_found():
    rng = np.random.default_rng(1)
    label = np.array(["common"] * 380 + ["rare"] * 6 + ["other"] * 200)
    frame = pd.DataFrame({"x": rng.normal(0, 1, len(label)), "label": label})
    spec = userdata.UserSpec("label", None, (("x", "numeric"),))
    lab = prepare(
        Scenario(userdata.dataset_key("r", spec), "none", 0, 0),
        userdata.build(frame, spec, key=userdata.dataset_key("r", spec), title="r"),
    )
    result = problems.find(lab, lab.noisy_labels, np.ones(lab.n_train, dtype=bool))
    rare = lab.dataset.classes.index("rare")
    assert result.flags["class_imbalance"][lab.noisy_labels == rare].all()
    assert not result.flags["class_imbalance"][lab.noisy_labels != rare].any()


def test_removed_items_are_never_flagged_and_a_problem_is_a_filter(found):
    lab, rows, _ = found
    kept = np.ones(lab.n_train, dtype=bool)
    kept[rows["outlier"]] = False
    again = problems.find(lab, lab.noisy_labels, kept)
    assert not again.flags["outlier"][rows["outlier"]]
    state = apply(lab.noisy_labels, [])
    picked = filters.matches(lab, state, filters.RowFilter("problem", values=("leak",)), found=again)
    assert np.flatnonzero(picked).tolist() == [rows["leak"]]
    with pytest.raises(filters.FilterError, match="Look for data problems first"):
        filters.matches(lab, state, filters.RowFilter("problem", values=("leak",)))


def test_text_is_reduced_before_datalab_reads_it():
    from tests.unit.data.test_userdata import lab_for, reviews

    text = lab_for(reviews())
    train, test = problems.reduced(text)
    assert isinstance(train, np.ndarray) and train.shape[0] == text.n_train and test.shape[0] == len(text.test_index)
    assert train.shape[1] <= problems.TEXT_DIMENSIONS
    result = problems.find(text, text.noisy_labels, np.ones(text.n_train, dtype=bool))
    assert set(result.flags) == set(problems.KINDS)
