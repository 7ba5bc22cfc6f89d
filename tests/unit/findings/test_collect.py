"""The reserve and collecting: held back from training, drawn by slice, logged, undoable, never a test row; the
under-represented scenario, where discovery, the priority table and a replay of the budget find its slice."""

import numpy as np
import pandas as pd
import pytest

from datacentric.findings import collect, filters, slices
from datacentric.lab import cuts
from datacentric.lab import lab as lab_module
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario, parse_scenario
from datacentric.lab.worklog import Action
from datacentric.present import export


@pytest.fixture(scope="module")
def lab():
    return prepare(Scenario("digits", "uniform", 20, 0, reserve=10))


def test_the_reserve_is_training_rows_held_back_with_their_labels_as_given(lab):
    assert lab.reserve.sum() == round(0.10 * lab.n_train)
    assert not set(lab.train_index[lab.reserve]) & set(lab.test_index)  # training rows: never a test row
    assert not (lab.is_noisy & lab.reserve).any()  # the noise goes into the labels in training only
    assert lab.n_wrong == round(0.20 * lab.n_in_use)
    start = lab.state([])
    assert np.array_equal(start.kept, lab.in_use) and np.array_equal(start.held, lab.reserve)
    assert train_and_score(lab, lab.noisy_labels).n_trained_on == lab.n_in_use


def test_no_reserve_changes_nothing():
    plain = prepare(Scenario("digits", "uniform", 20, 0))
    assert not plain.reserve.any() and plain.state([]).kept.all()
    assert Scenario("digits", "uniform", 20, 0).slug == "digits-uniform-20-0"


def test_a_draw_takes_rows_of_the_slice_from_the_reserve_in_a_fixed_order(lab):
    seven = lab.true_labels == 7
    start = lab.state([])
    drawn = collect.draw(lab, start, seven, 5)
    assert [a.kind for a in drawn] == ["collect"] * 5
    items = [a.item for a in drawn]
    assert all(seven[i] and lab.reserve[i] for i in items)
    assert collect.draw(lab, start, seven, 5) == drawn  # the same state draws the same rows
    everything = collect.draw(lab, start, seven, 10_000)
    assert len(everything) == collect.available(start, seven).sum() < 10_000  # never more than the reserve holds


def test_collecting_is_logged_undoable_and_trains_on_the_rows(lab):
    seven = lab.true_labels == 7
    drawn = collect.draw(lab, lab.state([]), seven, 5)
    log = [dataclass_group(a, 1) for a in drawn]
    after = lab.state(log)
    items = [a.item for a in drawn]
    assert after.kept[items].all() and not after.held[items].any() and after.n_actions == 1  # one collect, 5 rows
    assert not set(items) & set(after.reviewed)  # collected, not yet reviewed: they enter the queue
    assert train_and_score(lab, after.labels, after.kept).n_trained_on == lab.n_in_use + 5
    assert collect.draw(lab, after, seven, 5)[0].item not in items  # the next draw moves on
    undone = lab.state(log + [Action("undo")])  # one undo takes back the whole draw
    assert np.array_equal(undone.held, lab.reserve) and np.array_equal(undone.kept, lab.in_use)


def dataclass_group(action: Action, group: int) -> Action:
    return Action(action.kind, action.item, action.label, group)


def test_the_reserve_is_out_of_reach_until_collected(lab):
    held = int(np.flatnonzero(lab.reserve)[0])
    for kind in ("relabel", "remove", "restore", "confirm", "duplicate"):
        with pytest.raises(ValueError, match="reserve"):
            lab.state([Action(kind, held, 0)])
    with pytest.raises(ValueError, match="not in the reserve"):
        lab.state([Action("collect", int(np.flatnonzero(lab.in_use)[0]))])
    start = lab.state([])
    everything = np.ones(lab.n_train, dtype=bool)
    assert not filters.matches(lab, start, filters.RowFilter("given", values=tuple(range(10))))[lab.reserve].any()
    assert filters.bulk("restore", everything, start) == []  # restoring is not a free way to collect
    collected = lab.state([Action("collect", held)])
    assert lab.state([Action("collect", held), Action("relabel", held, 1, group=2)]).labels[held] == 1
    assert collected.reachable[held]


def test_the_export_marks_the_reserve_and_what_was_collected(lab):
    held = np.flatnonzero(lab.reserve)
    frame = export.cleaned(lab, lab.state([Action("collect", int(held[0]))]))
    rows = frame.iloc[lab.train_index]
    assert (rows["split"].to_numpy()[held[1:]] == "reserve").all()
    assert rows["action"].to_numpy()[held[0]] == "collected" and rows["split"].to_numpy()[held[0]] == "train"
    assert (frame.iloc[lab.test_index]["split"] == "test").all()


def test_the_reserve_round_trips_through_the_url_and_is_bounded():
    scenario = Scenario("digits", "uniform", 20, 3, reserve=15)
    assert parse_scenario(scenario.to_params()) == (scenario, [])
    assert scenario.slug == "digits-uniform-20-3-r15" and "15 % held back" in scenario.describe()
    clamped, problems = parse_scenario({"reserve": "90"})
    assert clamped.reserve == 50 and "outside" in problems[0]
    scarce, problems = parse_scenario({"noise": "scarce", "rate": "0"})
    assert (scarce.reserve, problems) == (10, [])  # the under-represented kind holds back a reserve by default
    assert "one slice under-represented" in scarce.describe()


@pytest.mark.parametrize("seed", range(5))
def test_on_the_under_represented_scenario_the_planted_slice_is_found_ranked_first_and_worth_collecting(seed):
    lab = prepare(Scenario("digits", "scarce", 0, seed, reserve=10))
    planted = set(lab.planted)
    assert len(planted) == 2 and lab.state([]).kept[cuts.find(cuts.candidates(lab), lab.planted).train].sum() == 1
    assert lab.planted_cost >= 5  # its scarcity costs the model errors worth finding
    single = cuts.candidates(lab)
    found = slices.discover(lab, train_and_score(lab, lab.noisy_labels).predicted, single=single)
    assert planted in [set(s.key) for s in found["of"][:3]], list(found["slice"][:3])
    order = collect.ranked_at_start(lab, single)
    assert set(order[0].key) == planted, [s.name for s in order[:3]]
    budget = collect.BUDGET
    curves = collect.three_ways(lab, single, budget)
    end = curves.groupby("arm")["value"].last()
    assert curves.groupby("arm")["collected"].max().eq(budget).all()  # each arm spends exactly the budget
    assert end["top"] > end["random"] and end["top"] > end["lowest"], end.to_dict()
    pd.testing.assert_frame_equal(curves, collect.three_ways(lab, single, budget))  # deterministic


def test_a_spend_applies_the_log_once_for_each_point_of_its_curve(lab, monkeypatch):
    folds, apply = [], lab_module.apply
    monkeypatch.setattr(lab_module, "apply", lambda *args, **kwargs: folds.append(1) or apply(*args, **kwargs))
    curves = collect.spend(lab, {"top": ("the reserve", lab.reserve)}, 2 * collect.STEP)
    assert curves["collected"].tolist() == [0, collect.STEP, 2 * collect.STEP]
    assert len(folds) == len(curves)  # the start, then the state after each step, which the next draw reads too


def test_random_rows_keep_the_slice_at_its_share_of_the_data():
    lab = prepare(Scenario("digits", "scarce", 0, 0, reserve=10))
    where = cuts.find(cuts.candidates(lab), lab.planted).train
    rows = collect.random_rows(lab, where)
    assert not (rows & ~lab.reserve).any()
    assert (rows & where).sum() / rows.sum() == pytest.approx(where.mean(), abs=0.01)
    assert (lab.reserve & where).sum() / lab.reserve.sum() > 0.4  # the reserve itself is rich in the slice


def test_a_saved_slice_is_a_column_filter_on_the_test_and_training_items():
    lab = prepare(Scenario("breast_cancer", "none", 0, 0))
    row_filter = filters.RowFilter("range", "mean radius", low=15.0, high=30.0)
    mine = slices.saved(lab, "  big   tumours ", row_filter)
    assert mine.name == "big tumours" + slices.YOURS and mine.key == (mine.name,)
    column = lab.dataset.feature_names.index("mean radius")
    assert np.array_equal(mine.test, (lab.test_features[:, column] >= 15) & (lab.test_features[:, column] <= 30))
    assert np.array_equal(mine.train, (lab.train_features[:, column] >= 15) & (lab.train_features[:, column] <= 30))
    assert filters.RowFilter.from_dict(row_filter.to_dict()) == row_filter
    with pytest.raises(filters.FilterError, match="reads labels"):
        slices.saved(lab, "wrong", filters.RowFilter("given", values=(0,)))
    with pytest.raises(filters.FilterError, match="name"):
        slices.saved(lab, "   ", row_filter)


def test_a_slice_is_listed_after_a_narrower_one_that_holds_most_of_its_gain():
    lab = prepare(Scenario("digits", "none", 0, 0))
    n = len(lab.test_labels)
    wide = np.zeros(n, dtype=bool)
    wide[:100] = True
    narrow = np.zeros(n, dtype=bool)
    narrow[:20] = True
    other = np.zeros(n, dtype=bool)
    other[200:300] = True
    chosen = [
        cuts.Slice("wide", wide, np.zeros(lab.n_train, dtype=bool)),
        cuts.Slice("narrow", narrow, np.zeros(lab.n_train, dtype=bool)),
        cuts.Slice("other", other, np.zeros(lab.n_train, dtype=bool)),
    ]
    # narrow holds 0.9 of wide's gain: wide goes after it; other (not nested) keeps its own place.
    key = slices.rank_key(chosen, np.array([1.0, 0.9, 0.95]))
    assert list(key) == [0.9, 0.9, 0.95]
    assert list(slices.rank_key(chosen, np.array([1.0, 0.5, 0.95]))) == [1.0, 0.5, 0.95]  # under NESTED: no change


def test_a_scarce_scenario_without_a_reserve_of_other_rows_reads_back_from_its_url():
    scenario = Scenario("digits", "scarce", 20, 0, reserve=0)
    assert parse_scenario(scenario.to_params()) == (scenario, [])


def test_a_wrong_label_still_in_the_reserve_is_neither_fixed_nor_left(lab):
    import dataclasses

    from datacentric.findings import review

    held = int(np.flatnonzero(lab.reserve)[0])
    noisy = lab.noisy_labels.copy()
    noisy[held] = (noisy[held] + 1) % 10  # a learner's file can hold wrong labels in the rows held back
    odd = dataclasses.replace(lab, noisy_labels=noisy, is_noisy=noisy != lab.true_labels)
    assert review.fixed_and_broken(odd, odd.state([])) == (0, 0)
    assert odd.n_wrong == lab.n_wrong


def test_nested_slices_follow_their_chain_narrowest_first():
    n = 100
    masks = [np.arange(n) < k for k in (80, 40, 20)]  # s > t > u
    chosen = [cuts.Slice(name, m, np.zeros(5, dtype=bool)) for name, m in zip("stu", masks)]
    key = slices.rank_key(chosen, np.array([1.0, 0.95, 0.85]))
    # t holds 95 % of s's gain, u 89 % of t's: s follows t, which follows u.
    assert list(key) == [0.85, 0.85, 0.85]
