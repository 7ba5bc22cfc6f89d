"""Sweeping actions cannot strand a learner: an action that would leave too little in training to learn from is
refused before it is written (``Lab.state_after``); and what is already stored that leaves too little (logs written
before the rule) still scores, ranks and slices without an error."""

import numpy as np
import pytest

from datacentric.findings import filters, issues, slices
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.lab import Untrainable
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action


@pytest.fixture(scope="module")
def lab():
    return prepare(Scenario("wine", "uniform", 20, 0))


def every(lab, where) -> list[Action]:
    return [Action("remove", int(i)) for i in np.flatnonzero(where)]


def grouped(actions: list[Action], group: int) -> list[Action]:
    """As the store files one append: one group, so one undo takes it back."""
    return [Action(a.kind, a.item, a.label, group=group) for a in actions]


def test_removing_every_row_is_refused_with_what_to_do(lab):
    start = lab.state([])
    everything = filters.matches(lab, start, filters.RowFilter("given", values=tuple(range(lab.dataset.n_classes))))
    removal = filters.bulk("remove", everything, start)
    assert len(removal) == lab.n_in_use
    with pytest.raises(Untrainable, match="no rows") as refused:
        lab.state_after([], removal)
    assert isinstance(refused.value, ValueError)  # what the review loop turns into "Nothing done: ..."
    assert "restore" in str(refused.value) and "fewer" in str(refused.value)


def test_leaving_one_class_is_refused_and_names_it(lab):
    others = every(lab, lab.in_use & (lab.noisy_labels != 0))
    with pytest.raises(Untrainable, match=f"all labelled {lab.dataset.classes[0]}"):
        lab.state_after([], others)


def test_relabelling_the_last_rows_of_the_other_classes_is_refused_too(lab):
    into_one = [Action("relabel", int(i), 0) for i in np.flatnonzero(lab.in_use & (lab.noisy_labels != 0))]
    with pytest.raises(Untrainable):
        lab.state_after([], into_one)


def test_a_bulk_removal_that_keeps_enough_is_allowed(lab):
    one_class = every(lab, lab.in_use & (lab.noisy_labels == 2))
    after = lab.state_after([], one_class)
    assert not after.kept[lab.noisy_labels == 2].any() and after.kept[lab.noisy_labels != 2].all()


def test_the_smallest_training_allowed_still_ranks_every_row_with_two_classes_seen(lab):
    """The floor's reason: the fewest rows allowed leave every out-of-fold model two classes to learn from, so every
    row's suggestion comes from a model that learned something, not from the one class its fold held."""
    keep = np.zeros(lab.n_train, dtype=bool)
    for c in (0, 1):
        rows = np.flatnonzero(lab.in_use & (lab.noisy_labels == c))
        keep[rows[:2]] = True
    smallest = every(lab, lab.in_use & ~keep)
    after = lab.state_after([], smallest)
    assert after.kept.sum() == 4
    probs = issues.out_of_fold_pred_probs(lab, after.labels, after.kept)
    assert ((probs[after.kept] > 0) & (probs[after.kept] < 1)).any(axis=1).all()  # each from a two-class model
    one_fewer = np.flatnonzero(keep)[0]
    with pytest.raises(Untrainable):
        lab.state_after([], smallest + [Action("remove", int(one_fewer))])


def test_undoing_a_bulk_removal_is_allowed(lab):
    log = grouped(every(lab, lab.in_use & (lab.noisy_labels == 2)), group=1)
    undone = lab.state_after(log, [Action("undo")])
    assert np.array_equal(undone.kept, lab.in_use)


def test_an_undo_that_would_empty_training_again_is_refused(lab):
    """A log stored before the rule removed everything; the learner restored it all. Undoing that restore would
    strand them again."""
    log = grouped(every(lab, lab.in_use), group=1) + grouped(
        [Action("restore", int(i)) for i in np.flatnonzero(lab.in_use)], group=2
    )
    with pytest.raises(Untrainable, match="undoing the last action would leave training with no rows"):
        lab.state_after(log, [Action("undo")])


def test_a_log_already_stranded_can_still_be_undone_and_mended(lab):
    """Logs stored before the rule: any way back must stay open, even one that leaves too little for now."""
    removed = np.flatnonzero(lab.in_use)
    log = grouped(every(lab, lab.in_use), group=1) + grouped([Action("restore", int(i)) for i in removed[:3]], group=2)
    assert lab.state(log).kept.sum() == 3
    assert lab.state_after(log, [Action("undo")]).kept.sum() == 0  # still stranded, one step nearer the start
    assert lab.state_after(log, [Action("restore", int(removed[3]))]).kept.sum() == 4
    back = lab.state_after(log + [Action("undo", group=3)], [Action("undo")])
    assert np.array_equal(back.kept, lab.in_use)


def test_re_ranking_labels_too_few_to_learn_from_is_refused(lab):
    log = grouped(every(lab, lab.in_use), group=1)
    with pytest.raises(Untrainable, match="no rows"):
        lab.state_after(log, [Action("rerank")])


def test_a_collect_is_checked_too_and_collecting_is_a_way_back():
    lab = prepare(Scenario("wine", "uniform", 20, 0, reserve=40))
    assert lab.shortfall(lab.state([])) is None
    one_reserve_row = [Action("collect", int(np.flatnonzero(lab.reserve)[0]))]
    with pytest.raises(Untrainable, match="1 row,"):  # every row in use removed, one collected with it
        lab.state_after([], every(lab, lab.in_use) + one_reserve_row)
    stranded = grouped(every(lab, lab.in_use & (lab.noisy_labels != 1)), group=1)  # stored before the rule
    assert lab.shortfall(lab.state(stranded)) is not None
    another_class = [Action("collect", int(np.flatnonzero(lab.reserve & (lab.noisy_labels == 0))[0]))]
    assert lab.state_after(stranded, another_class).kept.sum() == lab.state(stranded).kept.sum() + 1


def test_the_page_sentence_says_what_training_holds(lab):
    assert lab.shortfall(lab.state([])) is None
    empty = lab.state(grouped(every(lab, lab.in_use), group=1))
    said = lab.shortfall(empty)
    assert said.startswith("Training holds no rows") and "cannot learn" in said
    one = lab.state(grouped(every(lab, lab.in_use & (lab.noisy_labels != 0)), group=1))
    n = int((lab.in_use & (lab.noisy_labels == 0)).sum())
    assert f"Training holds {n} rows, all labelled {lab.dataset.classes[0]}" in lab.shortfall(one)


@pytest.mark.parametrize("keep", ["none", "one row", "one class", "one of each class", "two and one"])
def test_too_little_training_still_scores_ranks_and_slices(lab, keep):
    """What a stored log may hold: the fixed model's score, the out-of-fold ranking and the slices run on it."""
    kept = np.zeros(lab.n_train, dtype=bool)
    firsts = [int(np.flatnonzero(lab.in_use & (lab.noisy_labels == c))[0]) for c in range(lab.dataset.n_classes)]
    if keep == "one row":
        kept[firsts[0]] = True
    elif keep == "one class":
        kept[lab.in_use & (lab.noisy_labels == 0)] = True
    elif keep == "one of each class":
        kept[firsts] = True
    elif keep == "two and one":
        kept[firsts] = True
        kept[np.flatnonzero(lab.in_use & (lab.noisy_labels == 0))[1]] = True
    score = train_and_score(lab, lab.noisy_labels, kept)
    assert score.n_trained_on == kept.sum() and score.confusion.sum() == len(lab.test_index)
    assert len(score.predicted) == len(lab.test_index)
    probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    assert np.isnan(probs[~kept]).all() and np.allclose(probs[kept].sum(axis=1), 1)
    queue = issues.rank_label_issues(lab.noisy_labels, probs, kept)
    assert sorted(queue["item"]) == list(np.flatnonzero(kept))
    assert 0 <= issues.estimate_issue_count(lab.noisy_labels, probs, kept) <= kept.sum()
    found = slices.discover(lab, score.predicted)
    assert len(found) > 0


def test_with_no_row_the_model_predicts_as_the_floor_does_with_every_class_tied(lab):
    """No row: no commonest class. The floor's rule (the commonest training label, ties to the first class, as
    scikit-learn's DummyClassifier breaks them) says the first class for every item."""
    from sklearn.dummy import DummyClassifier

    nothing = train_and_score(lab, lab.noisy_labels, np.zeros(lab.n_train, dtype=bool))
    tied = DummyClassifier(strategy="most_frequent").fit(
        np.zeros((lab.dataset.n_classes, 1)), np.arange(lab.dataset.n_classes)
    )
    assert np.array_equal(nothing.predicted, tied.predict(np.zeros((len(lab.test_index), 1))))
