"""Behaviour: the ranking finds the wrong labels, and fixing them helps the fixed model."""

import numpy as np
import pytest

from datacentric.findings import issues, review
from datacentric.lab.evaluate import train_and_score
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import apply


@pytest.fixture(scope="module")
def digits():
    lab = prepare(Scenario("digits", "uniform", 20, 0))
    kept = np.ones(lab.n_train, dtype=bool)
    pred_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    return lab, kept, pred_probs, issues.rank_label_issues(lab.noisy_labels, pred_probs, kept)


def test_out_of_fold_probabilities_are_distributions(digits):
    lab, _, pred_probs, _ = digits
    assert pred_probs.shape == (lab.n_train, 10)
    assert np.allclose(pred_probs.sum(axis=1), 1)


def test_top_n_are_mostly_truly_noisy(digits):
    lab, _, _, queue = digits
    n = int(lab.is_noisy.sum())
    precision = lab.is_noisy[queue["item"][:n]].mean()
    assert precision >= 0.8, f"only {precision:.0%} of the top {n} are truly noisy"


def test_accepting_top_n_suggestions_raises_test_accuracy(digits):
    lab, kept, _, queue = digits
    n = int(lab.is_noisy.sum())
    state = apply(lab.noisy_labels, review.accept_top(queue.assign(given=lab.noisy_labels[queue["item"]]), n))
    before = train_and_score(lab, lab.noisy_labels, kept).accuracy
    after = train_and_score(lab, state.labels, state.kept).accuracy
    assert after > before + 0.01
    assert review.noisy_left(lab, state) < 0.3 * n


def test_ranked_beats_random_and_oracle_bounds_both(digits):
    lab, _, _, queue = digits
    curves = issues.found_curves(queue["item"].to_numpy(), issues.random_order(lab.n_train, seed=0), lab.is_noisy)
    at = lambda order, k: curves.query("order == @order and reviewed == @k")["found"].item()  # noqa: E731
    n = int(lab.is_noisy.sum())
    oracle, ranked, random = issues.Order.ORACLE, issues.Order.RANKED, issues.Order.RANDOM
    assert at(oracle, n) == n
    assert at(random, n) < at(ranked, n) <= n
    assert at(random, lab.n_train) == at(ranked, lab.n_train) == n


def test_removed_items_are_not_ranked_and_have_no_probabilities(digits):
    lab, kept, _, _ = digits
    kept = kept.copy()
    kept[:10] = False
    pred_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    assert np.isnan(pred_probs[:10]).all() and not np.isnan(pred_probs[10:]).any()
    queue = issues.rank_label_issues(lab.noisy_labels, pred_probs, kept)
    assert set(queue["item"]).isdisjoint(range(10)) and len(queue) == lab.n_train - 10


def test_the_same_scenario_ranks_the_same():
    lab = prepare(Scenario("wine", "pairs", 20, 3))
    kept = np.ones(lab.n_train, dtype=bool)
    a = issues.rank_label_issues(lab.noisy_labels, issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept), kept)
    b = issues.rank_label_issues(lab.noisy_labels, issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept), kept)
    assert a.equals(b)


def test_ranking_survives_a_class_reduced_to_one_item():
    lab = prepare(Scenario("breast_cancer", "uniform", 10, 0))
    kept = lab.noisy_labels == 1
    kept[np.flatnonzero(lab.noisy_labels == 0)[0]] = True  # one item of class 0 left
    pred_probs = issues.out_of_fold_pred_probs(lab, lab.noisy_labels, kept)
    queue = issues.rank_label_issues(lab.noisy_labels, pred_probs, kept)
    assert len(queue) == kept.sum()


def test_an_undone_removal_behind_a_rerank_comes_back_to_the_queue():
    from datacentric.lab.worklog import Action, ranked_state

    lab = prepare(Scenario("wine", "uniform", 20, 0))
    log = [Action("remove", 5, group=1), Action("rerank", group=2), Action("undo", group=3)]
    state = apply(lab.noisy_labels, log)
    ranked = ranked_state(lab.noisy_labels, state)
    queue = issues.rank_label_issues(
        ranked.labels, issues.out_of_fold_pred_probs(lab, ranked.labels, ranked.kept), ranked.kept
    )
    assert 5 in set(review.pending(queue, state)["item"])
    assert len(review.pending(queue, state)) == state.kept.sum()
