"""Accept the top k: a calibrated estimate of the wrong labels bounds k; the preview says what each class would lose
and gain; the learner's own one-by-one reviews warn when the suggestions are often wrong."""

import numpy as np
import pandas as pd
import pytest

from datacentric.findings import issues, review
from datacentric.lab.worklog import Action, apply
from datacentric.modelling.oof import out_of_fold_probs

SEEDS = range(4)


def hard(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(true labels, noisy labels, out-of-fold probabilities) of 400 rows of three overlapping classes, 20 % of the
    labels flipped at random: a linear model misclassifies many right labels, and they look wrong."""
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    features, labels = make_classification(
        n_samples=400,
        n_features=8,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=1.0,
        random_state=seed,
    )
    rng = np.random.default_rng(seed)
    noisy = labels.copy()
    flip = rng.random(len(labels)) < 0.2
    noisy[flip] = (labels[flip] + rng.integers(1, 3, flip.sum())) % 3
    kept = np.ones(len(labels), dtype=bool)
    probs = out_of_fold_probs(lambda: LogisticRegression(max_iter=1000), features, noisy, kept, n_classes=3, seed=seed)
    return labels, noisy, probs


def broken_by_top(queue: pd.DataFrame, k: int, noisy: np.ndarray, truth: np.ndarray) -> int:
    """Right labels that accepting the top ``k`` suggestions would make wrong: a relabel of a right label."""
    relabelled = [a.item for a in review.accept_top(queue, k) if a.kind == "relabel"]
    return int((noisy[relabelled] == truth[relabelled]).sum())


@pytest.fixture(scope="module")
def runs():
    out = []
    for seed in SEEDS:
        truth, noisy, probs = hard(seed)
        kept = np.ones(len(noisy), dtype=bool)
        out.append(
            {
                "truth": truth,
                "noisy": noisy,
                "queue": issues.rank_label_issues(noisy, probs, kept),
                "true": int((noisy != truth).sum()),
                "whole": issues.cleanlab_issue_count(noisy, probs, kept),
                "calibrated": issues.estimate_issue_count(noisy, probs, kept),
            }
        )
    return out


def test_on_hard_data_cleanlabs_whole_count_overshoots_and_the_calibrated_one_far_less(runs):
    # Measured: whole counts 95, 99, 123, 98 against 81, 83, 80, 73 wrong; calibrated 66, 69, 86, 68.
    for run in runs:
        assert run["whole"] > run["true"], "this data no longer makes cleanlab overshoot: make it harder"
        assert run["calibrated"] == int(issues.ISSUE_SHRINK * run["whole"])
        assert max(0, run["calibrated"] - run["true"]) < run["whole"] - run["true"]
    over = [r for r in runs if r["calibrated"] > r["true"]]
    assert len(over) < len(runs) / 2
    excess = sum(r["calibrated"] - r["true"] for r in over)
    assert excess * 4 < sum(r["whole"] - r["true"] for r in runs)


def test_the_top_k_at_the_calibrated_count_breaks_fewer_right_labels(runs):
    # Measured: right labels made wrong 24, 29, 62, 38 at the whole count; 9, 13, 30, 19 at the calibrated one.
    for run in runs:
        at_whole = broken_by_top(run["queue"], run["whole"], run["noisy"], run["truth"])
        at_calibrated = broken_by_top(run["queue"], run["calibrated"], run["noisy"], run["truth"])
        assert at_calibrated < at_whole


def test_the_default_k_is_never_above_the_estimate_left(runs):
    run = runs[0]
    queue, estimate = run["queue"], run["calibrated"]
    start = apply(run["noisy"], [])
    top = review.top_k(queue, review.pending(queue, start), estimate)
    assert top.left == estimate and top.default == min(review.BATCH_DEFAULT, estimate)
    # Each suspect reviewed one by one leaves one fewer; an item below the estimate's reach leaves as many.
    log = [Action("confirm", int(i)) for i in queue["item"][:5]] + [Action("confirm", int(queue["item"].iloc[-1]))]
    now = apply(run["noisy"], log)
    top = review.top_k(queue, review.pending(queue, now), estimate)
    assert top.left == estimate - 5 and top.default <= top.left
    # Nothing estimated wrong is left: the least k a widget takes (1) already passes it, and the page is told so.
    done = apply(run["noisy"], [Action("confirm", int(i)) for i in queue["item"][:estimate]])
    left = review.pending(queue, done)
    top = review.top_k(queue, left, estimate)
    assert (top.left, top.default) == (0, 1)
    said = review.batch_warnings(left, top.default, done, top.left, ("a", "b", "c"))
    assert any(w.startswith("1 is more than the 0 labels cleanlab estimates are wrong") for w in said)


@pytest.mark.parametrize("k", [1, 5, 40])
def test_the_estimate_warning_fires_only_past_what_is_left(runs, k):
    run = runs[0]
    queue = review.pending(run["queue"], apply(run["noisy"], []))
    said = review.batch_warnings(queue, k, apply(run["noisy"], []), 5, ("a", "b", "c"))
    assert any("labels cleanlab estimates are wrong" in w for w in said) == (k > 5)


def test_the_preview_counts_each_class_out_and_in_and_removal_as_out():
    state = apply(np.array([0, 0, 0, 0, 1, 1, 2, 2, 2]), [Action("remove", 8)])
    actions = [Action("relabel", 0, 1), Action("relabel", 1, 2), Action("confirm", 4), Action("remove", 6)]
    flow = review.class_flow(actions, state, ("a", "b", "c"))
    assert flow.to_dict("list") == {
        "class": ["a", "b", "c"],
        "rows in use": [4, 2, 2],
        "out": [2, 0, 1],
        "in": [0, 1, 1],
    }
    # A relabel to the label it has, a removal of a row out of training and a restore count as they change the class.
    again = [Action("relabel", 4, 1), Action("remove", 8), Action("restore", 8)]
    assert review.class_flow(again, state, ("a", "b", "c"))[["out", "in"]].to_dict("list") == {
        "out": [0, 0, 0],
        "in": [0, 0, 1],
    }


def test_a_class_losing_more_than_a_quarter_is_warned_of_by_relabel_or_removal():
    state = apply(np.array([0] * 8 + [1] * 3), [])
    relabel = [Action("relabel", 8, 0)]  # 1 of 3: a third
    remove = [Action("remove", 9), Action("remove", 10)]
    assert review.class_losses(relabel, state, ("a", "b")) == [
        "This would relabel 1 of the 3 items labelled b in use, more than a quarter of the class: check that the "
        "model is not simply ignoring a class it finds hard (a rare class often is)."
    ]
    assert review.class_losses(remove, state, ("a", "b"))[0].startswith("This would remove 2 of the 3 items labelled b")
    assert review.class_losses(relabel + remove[:1], state, ("a", "b"))[0].startswith(
        "This would relabel or remove 2 of the 3 items labelled b"
    )
    assert review.class_losses([Action("remove", 0), Action("remove", 1)], state, ("a", "b")) == []  # 2 of 8


N_ITEMS = 60
RANKED = pd.DataFrame({"item": np.arange(N_ITEMS), "suggested": np.ones(N_ITEMS, dtype=int)})  # always class 1
NOISY = np.zeros(N_ITEMS, dtype=int)  # every item labelled 0: every suggestion differs


def reviews(confirms: int, accepted: int, third: int = 0) -> list[Action]:
    """One-by-one reviews of items 0, 1, ...: ``confirms`` keep label 0, ``accepted`` take the suggestion 1,
    ``third`` set class 2."""
    kinds = ["confirm"] * confirms + ["accept"] * accepted + ["third"] * third
    return [
        Action("confirm", i) if kind == "confirm" else Action("relabel", i, 1 if kind == "accept" else 2)
        for i, kind in enumerate(kinds)
    ]


def test_the_learners_own_reviews_are_read_from_single_actions_only():
    log = reviews(7, 8, 2)
    # A batch (one group) of confirms, and a relabel of an item already set to its suggestion, are no verdict.
    log += [Action("confirm", 40, group=9), Action("confirm", 41, group=9), Action("relabel", 8, 1)]
    checked = review.checked_suggestions(NOISY, apply(NOISY, log), RANKED)
    assert (checked.reviewed, checked.kept, checked.other, checked.turned_down) == (17, 7, 2, 9)
    undone = review.checked_suggestions(NOISY, apply(NOISY, [*reviews(7, 8), Action("undo")]), RANKED)
    assert (undone.reviewed, undone.kept) == (14, 7)


def test_the_confirmations_warning_fires_with_the_figures():
    state = apply(NOISY, reviews(7, 8))
    checked = review.checked_suggestions(NOISY, state, RANKED)
    queue = review.pending(RANKED.assign(quality=0.0, given=0, confidence=0.9), state)
    said = review.batch_warnings(queue, 40, state, 40, ("0", "1", "2"), checked=checked)
    expected = round(40 * 7 / 15)
    assert said[-1] == (
        f"You kept the given label on 7 of the 15 suggestions you reviewed one by one: accepting 40 unchecked will "
        f"likely change about {expected} right labels (of its 40 relabels). Your own reviews say the suggestions are "
        "often wrong here."
    )
    third = review.checked_suggestions(NOISY, apply(NOISY, reviews(3, 8, 2)), RANKED)
    assert (
        "(and set a third class on 2, "
        in review.batch_warnings(queue, 40, state, 40, ("0", "1", "2"), checked=third)[-1]
    )


@pytest.mark.parametrize(
    "confirms, accepted",
    [
        (5, 4),  # 5 of 9 turned down, but fewer than MIN_CHECKED reviews
        (5, 10),  # 5 of 15: a third, not more
        (0, 30),  # every suggestion taken
    ],
)
def test_the_confirmations_warning_stays_quiet(confirms, accepted):
    state = apply(NOISY, reviews(confirms, accepted))
    checked = review.checked_suggestions(NOISY, state, RANKED)
    assert not checked.doubtful
    queue = review.pending(RANKED.assign(quality=0.0, given=0, confidence=0.9), state)
    said = review.batch_warnings(queue, 10, state, 40, ("0", "1", "2"), checked=checked)
    assert not any(w.startswith("You kept the given label") for w in said)


def test_the_manual_states_the_shrink_and_the_threshold_the_code_uses():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "pages.md").read_text()
    assert f"shrunk to {issues.ISSUE_SHRINK * 100:.0f} % of itself" in text
    assert f"a third of at least {review.MIN_CHECKED} suggestions" in text
