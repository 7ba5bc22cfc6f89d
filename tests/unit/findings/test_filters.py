import numpy as np
import pandas as pd
import pytest

from datacentric.data import featurize, userdata
from datacentric.findings import filters
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action, apply


@pytest.fixture(scope="module")
def lab():
    rng = np.random.default_rng(0)
    n = 200
    text = [
        ("<div class='x'>junk</div> " if i % 4 == 0 else "") + rng.choice(["good film", "bad film"]) for i in range(n)
    ]
    frame = pd.DataFrame(
        {
            "review": text,
            "genre": rng.choice(["drama", "comedy", "noir"], n),
            "length": rng.normal(100, 20, n).round(1),
            "label": rng.choice(["pos", "neg"], n),
        }
    )
    roles = tuple((r.column, r.role) for r in featurize.detect_roles(frame, exclude=("label",)))
    spec = userdata.UserSpec("label", None, roles)
    key = userdata.dataset_key("sha", spec)
    return prepare(Scenario(key, "none", 0, 0), userdata.build(frame, spec, key=key, title="t"))


def rows(lab, picked, column):
    return lab.dataset.raw[column].iloc[lab.train_index[picked]]


def test_each_kind_picks_what_it_says(lab):
    state = apply(lab.noisy_labels, [])
    junk = filters.matches(lab, state, filters.RowFilter("contains", "review", text="<DIV"))
    assert junk.sum() == rows(lab, np.ones(lab.n_train, bool), "review").str.contains("<div").sum() > 0
    assert rows(lab, junk, "review").str.contains("<div").all()  # case ignored
    pattern = filters.matches(lab, state, filters.RowFilter("regex", "review", text=r"^<div\b.*</div>"))
    assert np.array_equal(pattern, junk)
    middle = filters.matches(lab, state, filters.RowFilter("range", "length", low=90, high=110))
    lengths = rows(lab, np.ones(lab.n_train, bool), "length").to_numpy()
    assert np.array_equal(middle, (lengths >= 90) & (lengths <= 110)) and 0 < middle.sum() < lab.n_train
    noir = filters.matches(lab, state, filters.RowFilter("values", "genre", values=("noir",)))
    assert (rows(lab, noir, "genre") == "noir").all() and noir.any()
    given = filters.matches(lab, state, filters.RowFilter("given", values=(0,)))
    assert np.array_equal(given, state.labels == 0)
    suggested = np.arange(lab.n_train) % 2
    assert np.array_equal(
        filters.matches(lab, state, filters.RowFilter("suggested", values=(1,)), suggested), suggested == 1
    )


def test_a_bulk_removal_is_one_group_that_one_undo_takes_back(lab):
    state = apply(lab.noisy_labels, [])
    junk = filters.matches(lab, state, filters.RowFilter("contains", "review", text="<div"))
    removal = filters.bulk("remove", junk, state)
    assert len(removal) == junk.sum() and all(a.kind == "remove" for a in removal)
    log = [Action(a.kind, a.item, a.label, group=1) for a in removal]  # as the store files one append
    after = apply(lab.noisy_labels, log)
    assert not after.kept[junk].any() and after.kept[~junk].all() and after.n_actions == 1  # one click
    assert filters.bulk("remove", junk, after) == []  # nothing left to remove
    assert len(filters.bulk("restore", junk, after)) == junk.sum()
    undone = apply(lab.noisy_labels, log + [Action("undo", group=2)])
    assert undone.kept.all()


@pytest.mark.parametrize(
    "row_filter, message",
    [
        (filters.RowFilter("regex", "review", text="(unclosed"), "not a regular expression"),
        (filters.RowFilter("regex", "review", text="x" * 600), "keep it under 500"),
        (filters.RowFilter("contains", "nope", text="a"), "no column 'nope'"),
    ],
)
def test_a_filter_that_cannot_run_says_why(lab, row_filter, message):
    with pytest.raises(filters.FilterError, match=message):
        filters.matches(lab, apply(lab.noisy_labels, []), row_filter)


@pytest.mark.parametrize(
    "row_filter",
    [
        filters.RowFilter("contains", "review"),
        filters.RowFilter("regex", "review"),
        filters.RowFilter("range", "length"),
        filters.RowFilter("values", "genre"),
        filters.RowFilter("given"),
        filters.RowFilter("suggested"),
    ],
    ids=lambda f: f.kind,
)
def test_a_filter_as_it_starts_picks_no_row_and_says_what_to_choose(lab, row_filter):
    """The filter's inputs start empty; one that picked every row let a single click remove all of training."""
    state = apply(lab.noisy_labels, [])
    picked = filters.matches(lab, state, row_filter, suggested=np.zeros(lab.n_train, dtype=int))
    assert picked.dtype == bool and len(picked) == lab.n_train and not picked.any()
    assert filters.bulk("remove", picked, state) == []
    assert row_filter.unset.endswith(".")


def test_a_range_with_one_end_is_open_at_the_other(lab):
    state = apply(lab.noisy_labels, [])
    lengths = rows(lab, np.ones(lab.n_train, bool), "length").to_numpy()
    above = filters.RowFilter("range", "length", low=110)
    assert np.array_equal(filters.matches(lab, state, above), lengths >= 110) and above.unset is None
    below = filters.RowFilter("range", "length", high=90)
    assert np.array_equal(filters.matches(lab, state, below), lengths <= 90)
    assert above.describe() == "length >= 110" and below.describe() == "length <= 90"


def test_a_pattern_that_backtracks_without_end_is_stopped(lab, monkeypatch):
    monkeypatch.setattr(filters, "PATTERN_SECONDS", 0.2)
    slow = pd.Series(["x" * 3000] * 3)
    with pytest.raises(filters.FilterError, match="took over 0.2 s"):
        filters._pattern_matches(slow, r"(x+x+)+y")


def test_built_in_features_filter_by_range():
    digits = prepare(Scenario("digits", "uniform", 20, 0))
    state = apply(digits.noisy_labels, [])
    assert set(filters.columns(digits).values()) == {"numeric"}
    dark = filters.matches(digits, state, filters.RowFilter("range", "pixel_0_3", low=10, high=16))
    assert np.array_equal(dark, (digits.train_features[:, 3] >= 10) & (digits.train_features[:, 3] <= 16))


def test_keeping_many_rows_marks_the_unreviewed_ones_in_use_reviewed(lab):
    state = apply(lab.noisy_labels, [Action("confirm", 0, group=1), Action("remove", 4, group=2)])
    picked = np.zeros(lab.n_train, dtype=bool)
    picked[[0, 1, 2, 4]] = True
    assert filters.bulk("confirm", picked, state) == [Action("confirm", 1), Action("confirm", 2)]


def test_duplicating_a_rare_class_trains_on_more_copies_of_it():
    from datacentric.lab.evaluate import train_and_score
    from datacentric.lab.worklog import apply as replay_log

    digits = prepare(Scenario("digits", "uniform", 20, 0))
    state = replay_log(digits.noisy_labels, [])
    sevens = filters.matches(digits, state, filters.RowFilter("given", values=(7,)))
    twice = filters.bulk("duplicate", sevens, state)
    assert len(twice) == sevens.sum() and {a.kind for a in twice} == {"duplicate"}
    after = replay_log(digits.noisy_labels, [Action(a.kind, a.item, group=1) for a in twice])
    score = train_and_score(digits, after.labels, after.kept, copies=after.copies)
    assert score.n_trained_on == digits.n_train + sevens.sum()
    plain = train_and_score(digits, after.labels, after.kept)
    assert plain.n_trained_on == digits.n_train


def test_a_bulk_action_sweeps_when_it_touches_more_than_half_the_rows_in_use():
    assert filters.sweeping(6, 10) and filters.sweeping(1257, 1257)
    assert not filters.sweeping(5, 10)  # half exactly: not yet
    assert not filters.sweeping(0, 0) and not filters.sweeping(0, 10)
