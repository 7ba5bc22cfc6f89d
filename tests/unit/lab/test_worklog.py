import numpy as np
import pytest

from datacentric.lab.worklog import Action, apply, history, is_repeat, label_actions, ranked_state, rows_touched, seen

NOISY = np.array([0, 1, 2, 0, 1])


def test_empty_log_is_the_noisy_labels():
    state = apply(NOISY, [])
    assert np.array_equal(state.labels, NOISY) and state.kept.all()
    assert state.version == 0 and state.n_actions == 0 and state.reviewed == []


def test_each_action_kind_applies():
    log = [
        Action("relabel", 0, 2, group=1),
        Action("remove", 1, group=2),
        Action("confirm", 2, group=3),
        Action("remove", 3, group=4),
        Action("restore", 3, group=5),
    ]
    state = apply(NOISY, log)
    assert state.labels.tolist() == [2, 1, 2, 0, 1]
    assert state.kept.tolist() == [True, False, True, True, True]
    assert state.confirmed == {2}
    assert state.reviewed == [0, 1, 2, 3]
    assert state.version == 5 and state.n_actions == 5


def test_undo_takes_back_the_last_action_then_the_one_before():
    log = [Action("relabel", 0, 2, group=1), Action("relabel", 1, 0, group=2), Action("undo", group=3)]
    assert apply(NOISY, log).labels.tolist() == [2, 1, 2, 0, 1]
    log += [Action("undo", group=4)]
    assert np.array_equal(apply(NOISY, log).labels, NOISY)
    log += [Action("undo", group=5)]  # nothing left to undo: harmless
    state = apply(NOISY, log)
    assert np.array_equal(state.labels, NOISY) and state.reviewed == [] and state.version == 5


def test_undo_takes_back_a_whole_batch():
    batch = [Action("relabel", i, 2, group=7) for i in range(3)]
    state = apply(NOISY, [Action("remove", 4, group=6)] + batch + [Action("undo", group=8)])
    assert np.array_equal(state.labels, NOISY) and not state.kept[4]
    assert state.n_actions == 1


def test_rerank_ranks_the_labels_in_effect_then():
    log = [Action("relabel", 0, 2, group=1), Action("remove", 1, group=2), Action("rerank", group=3)]
    state = apply(NOISY, log)
    assert state.rank_groups == 2
    ranked = ranked_state(NOISY, state)
    assert ranked.labels[0] == 2 and not ranked.kept[1]


def test_an_undo_behind_the_last_rerank_takes_the_ranking_back_too():
    log = [
        Action("relabel", 0, 2, group=1),
        Action("remove", 1, group=2),
        Action("rerank", group=3),
        Action("undo", group=4),
    ]
    state = apply(NOISY, log)
    ranked = ranked_state(NOISY, state)
    # The removed item is back in training, unreviewed, and ranked as it now is.
    assert state.kept[1] and 1 not in state.reviewed and ranked.kept[1]
    assert ranked.labels[0] == 2 and state.rank_groups == 1


def test_history_has_one_state_per_group_in_effect():
    log = [
        Action("relabel", 0, 2, group=1),
        Action("relabel", 1, 2, group=2),
        Action("relabel", 2, 0, group=2),
        Action("relabel", 3, 2, group=3),
        Action("undo", group=4),
    ]
    steps = history(NOISY, log)
    assert [n for n, *_ in steps] == [0, 1, 2]  # actions taken: one per group (a click), the undone one gone
    assert steps[0][1].tolist() == NOISY.tolist() and steps[-1][1].tolist() == [2, 2, 0, 0, 1]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Action("explode", 1), "unknown action"),
        (lambda: Action("relabel", 1), "needs a label"),
        (lambda: Action("remove"), "needs an item"),
    ],
)
def test_malformed_actions_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_an_item_outside_the_training_set_is_refused():
    with pytest.raises(ValueError, match="not a training item"):
        apply(NOISY, [Action("remove", 99)])


def test_an_action_is_stale_once_its_item_moved_on():
    shown = apply(NOISY, [Action("relabel", 0, 2, group=1)])
    card = seen(shown, [1])
    assert not card.is_stale(shown)
    # Another item changed elsewhere: this one is still as shown.
    other = apply(NOISY, [Action("relabel", 0, 2, group=1), Action("remove", 3, group=2)])
    assert not card.is_stale(other) and card.changed(other) == []
    # This item confirmed elsewhere (its label unchanged, but it has been acted on): stale.
    confirmed = apply(NOISY, [Action("relabel", 0, 2, group=1), Action("confirm", 1, group=2)])
    assert card.is_stale(confirmed) and card.changed(confirmed) == [1]
    # Relabelled, then undone: as shown again.
    undone = apply(NOISY, [Action("relabel", 0, 2, group=1), Action("relabel", 1, 0, group=2), Action("undo")])
    assert not card.is_stale(undone)


def test_an_action_on_no_item_is_stale_after_any_new_entry():
    shown = apply(NOISY, [Action("relabel", 0, 2, group=1)])
    undo = seen(shown)
    assert not undo.is_stale(shown)
    assert undo.is_stale(apply(NOISY, [Action("relabel", 0, 2, group=1), Action("rerank")]))


def test_a_click_arriving_twice_is_recognised():
    log = [Action("relabel", 0, 2, group=1), Action("confirm", 1, group=2), Action("confirm", 2, group=2)]
    assert is_repeat(log, [Action("confirm", 1), Action("confirm", 2)])
    assert is_repeat(log, [Action("confirm", 2)])
    assert not is_repeat(log, [Action("confirm", 3)])
    assert not is_repeat(log[:1], [Action("relabel", 0, 2), Action("confirm", 1)])
    assert not is_repeat([], [Action("undo")])


def test_duplicates_count_in_training_are_not_reviews_and_undo_in_one_step():
    log = [Action("duplicate", 1, group=1), Action("duplicate", 2, group=1), Action("duplicate", 1, group=2)]
    state = apply(NOISY, log)
    assert state.copies.tolist() == [0, 2, 1, 0, 0] and state.reviewed == []  # still in the review queue
    assert apply(NOISY, log + [Action("undo", group=3)]).copies.tolist() == [0, 1, 1, 0, 0]
    assert apply(NOISY, []).copies is None
    steps = history(NOISY, log)
    assert steps[0][3] is None and steps[-1][3].tolist() == [0, 2, 1, 0, 0]


def test_one_bulk_action_is_one_action_taken():
    """Actions taken counts what the learner did: a bulk remove of many rows is one action, as is its undo's step;
    a challenge's budget counts the same way, undone actions included."""
    log = [Action("relabel", 0, 1, group=1), *[Action("remove", i, group=2) for i in range(1, 6)]]
    state = apply(np.zeros(8, dtype=int), log)
    assert (state.n_actions, state.n_rows_touched) == (2, 6)
    assert [n for n, *_ in history(np.zeros(8, dtype=int), log)] == [0, 1, 2]
    undone = [*log, Action("undo", group=3)]
    after_undo = apply(np.zeros(8, dtype=int), undone)
    assert (after_undo.n_actions, after_undo.n_rows_touched) == (1, 1)
    assert (label_actions(undone), rows_touched(undone)) == (2, 6)  # spent stays spent
    assert label_actions([Action("confirm", 0), Action("confirm", 1)]) == 2  # group 0: each entry on its own


def test_undo_back_to_the_start_reports_no_right_label_made_wrong():
    from datacentric.findings import review
    from datacentric.lab.prepare import prepare
    from datacentric.lab.scenario import Scenario

    lab = prepare(Scenario(dataset="wine", noise="uniform", rate=30, seed=0))
    wrong = int(np.flatnonzero(lab.is_noisy)[0])
    right = int(np.flatnonzero(~lab.is_noisy)[0])
    fixed = [Action("relabel", wrong, int(lab.true_labels[wrong]), group=1)]
    broken = [*fixed, Action("relabel", right, (int(lab.true_labels[right]) + 1) % 3, group=2)]
    assert review.made_wrong(lab, lab.state(fixed), lab.state(broken)) == 1  # a right label made wrong
    undone = [*broken, Action("undo", group=3), Action("undo", group=4)]
    assert review.made_wrong(lab, lab.state(broken[:1]), lab.state(undone)) == 0  # back at the start: nothing
    assert review.made_wrong(lab, lab.state(broken), lab.state(undone)) == 0
