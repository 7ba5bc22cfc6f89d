import numpy as np
import pandas as pd

from datacentric.findings import review
from datacentric.lab.evaluate import Score
from datacentric.lab.worklog import Action, apply

QUEUE = pd.DataFrame(
    {
        "item": [3, 0, 2, 1],
        "quality": [0.1, 0.2, 0.3, 0.9],
        "given": [0, 1, 1, 0],
        "suggested": [1, 1, 0, 0],
        "confidence": [0.9, 0.8, 0.7, 0.9],
    }
)


def test_pending_drops_reviewed_and_removed_items_and_shows_current_labels():
    state = apply(np.array([1, 0, 1, 0]), [Action("confirm", 0), Action("remove", 2), Action("relabel", 3, 1)])
    state.reviewed.remove(3)  # pretend 3 was relabelled elsewhere and still needs review
    left = review.pending(QUEUE, state)
    assert left["item"].tolist() == [3, 1] and left["given"].tolist() == [1, 0]


def test_accept_top_relabels_disagreements_and_confirms_agreements():
    assert review.accept_top(QUEUE, 2) == [Action("relabel", 3, 1), Action("confirm", 0)]
    assert review.accept_top(QUEUE, 0) == []


def test_random_order_reorders_the_same_items():
    reordered = review.in_random_order(QUEUE, np.array([2, 1, 0, 3]))
    assert reordered["item"].tolist() == [2, 1, 0, 3]


def score(accuracy: float) -> Score:
    """A score with this accuracy over 10,000 test items (all of one class)."""
    right = round(accuracy * 10_000)
    return Score(accuracy, 0, np.array([[right, 10_000 - right], [0, 0]]), 0)


def test_balanced_accuracy_gives_a_range_for_one_test_item():
    change = review.judge_change(score(0.85), score(0.86), worth=(0.3, 1.25), metric="balanced_accuracy")
    assert change.sentence == (
        "balanced accuracy 85.0 % -> 86.0 % (+1.0 pts) (one test item is 0.30 to 1.25 pts, by its class)"
    )


def test_a_change_rises_falls_or_stays_by_whole_test_items():
    worth = (0.5, 0.5)  # 200 test items: one is 0.5 points
    before = score(0.850)
    rose = review.judge_change(before, score(0.855), worth=worth, noisy=41)
    assert rose.direction == "rose"
    assert rose.sentence == "accuracy 85.0 % -> 85.5 % (+0.5 pts) (one test item is 0.50 pts), 41 noisy labels left"
    fell = review.judge_change(before, score(0.845), worth=worth, noisy=1, made_wrong=1)
    assert fell.direction == "fell" and "(-0.5 pts)" in fell.sentence and "1 noisy label left" in fell.sentence
    assert fell.sentence.endswith("; a label that was right is now wrong")
    same = review.judge_change(before, score(0.8501), worth=worth)  # under half an item
    assert same.direction == "same" and same.sentence.startswith("accuracy unchanged at 85.0 %")
    assert "-0.0" not in review.judge_change(before, score(0.8499), worth=worth).sentence
    assert review.judge_change(before, before, worth=worth, made_wrong=3).sentence.endswith(
        "; 3 labels that were right are now wrong"
    )


def test_made_wrong_counts_right_labels_an_action_made_wrong():
    noisy = np.array([0, 1, 0, 0])  # item 2 is wrong

    class Lab:
        true_labels = np.array([0, 1, 1, 0])
        noisy_labels = noisy
        in_use = np.ones(4, dtype=bool)

    before = apply(noisy, [])
    after = apply(
        noisy, [Action("relabel", 0, 1), Action("relabel", 2, 1), Action("relabel", 3, 1), Action("remove", 3)]
    )
    assert review.made_wrong(Lab, before, after) == 1  # item 0; item 2 was fixed, item 3 is out of training


def test_a_batch_says_what_it_will_change_and_then_how_many_were_right():
    assert review.batch_preview(QUEUE, 3) == (
        "Will relabel 2 of these 3 items to the model's suggestion; 1 already carries it and is confirmed."
    )

    class Lab:
        true_labels = np.array([0, 1, 1, 0])

    actions = review.accept_top(QUEUE, 3)  # relabel 3 -> 1 (wrong), confirm 0, relabel 2 -> 0 (wrong)
    assert review.batch_outcome(Lab, actions) == "0 of 2 relabels set the true label"
    assert review.batch_outcome(Lab, [Action("relabel", 2, 1)]) == "1 of 1 relabel set the true label"


def test_describe_actions_names_what_was_done():
    classes = ("cat", "dog")
    assert review.describe_actions([Action("relabel", 4, 1)], classes) == "Relabelled item 4 as dog"
    assert review.describe_actions([Action("undo")], classes) == "Undid the last action"
    batch = [Action("relabel", 1, 0), Action("confirm", 2), Action("relabel", 3, 1)]
    assert review.describe_actions(batch, classes) == "Accepted the top 3 suggestions (2 relabelled, 1 confirmed)"


def test_a_bulk_removal_is_named_and_graded():
    class Lab:
        is_noisy = np.array([True, False, True, False])

    removal = [Action("remove", 0), Action("remove", 1), Action("remove", 2)]
    assert review.describe_actions(removal, ("cat", "dog")) == "Removed 3 items from training in one action"
    assert review.describe_actions([Action("restore", 0), Action("restore", 1)], ("cat", "dog")) == (
        "Restored 2 items to training in one action"
    )
    assert review.batch_outcome(Lab, removal) == "2 of the 3 removed had a wrong label"


def test_the_batch_says_per_class_what_it_would_change_and_warns_before_it_does():
    queue = pd.DataFrame({"item": [0, 1, 2, 3, 4], "given": [2, 2, 2, 0, 1], "suggested": [0, 0, 2, 1, 1]})
    classes = ("a", "b", "rare")
    state = apply(np.array([2, 2, 2, 0, 1, 0, 0, 1]), [])  # the queue's given labels, then a: 3, b: 2, rare: 3
    flow = review.class_flow(review.accept_top(queue, 4), state, classes)
    assert flow[["out", "in"]].to_dict("list") == {"out": [1, 0, 2], "in": [2, 1, 0]}
    warnings = review.batch_warnings(queue, 4, state, estimate=3, classes=classes)
    assert len(warnings) == 3
    assert warnings[0].startswith("This would relabel 1 of the 3 items labelled a in use, more than a quarter")
    assert warnings[1].startswith("This would relabel 2 of the 3 items labelled rare in use, more than a quarter")
    assert warnings[2].startswith("4 is more than the 3 labels cleanlab estimates are wrong")
    larger = apply(np.array([2, 2, 2, 0, 1] + [0] * 4 + [1, 2, 2]), [])
    assert review.batch_warnings(queue, 1, larger, estimate=3, classes=classes) == []  # 1 of 5 rare: a fifth
    many = apply(np.array([2, 2, 2, 0, 1] + [0] * 4 + [1]), [])  # 1 of 5 in class a: a fifth, no warning
    assert review.batch_warnings(queue, 4, many, estimate=9, classes=classes) == [
        "This would relabel 2 of the 3 items labelled rare in use, more than a quarter of the class: check that the "
        "model is not simply ignoring a class it finds hard (a rare class often is)."
    ]
