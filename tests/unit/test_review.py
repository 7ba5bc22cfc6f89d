import numpy as np
import pandas as pd

from datacentric import review
from datacentric.evaluate import Score
from datacentric.workspace import Action, replay

QUEUE = pd.DataFrame({"item": [3, 0, 2, 1], "quality": [0.1, 0.2, 0.3, 0.9], "given": [0, 1, 1, 0],
                      "suggested": [1, 1, 0, 0], "confidence": [0.9, 0.8, 0.7, 0.9]})


def test_pending_drops_reviewed_and_removed_items_and_shows_current_labels():
    state = replay(np.array([1, 0, 1, 0]), [Action("confirm", 0), Action("remove", 2), Action("relabel", 3, 1)])
    state.reviewed.remove(3)  # pretend 3 was relabelled elsewhere and still needs review
    left = review.pending(QUEUE, state)
    assert left["item"].tolist() == [3, 1] and left["given"].tolist() == [1, 0]


def test_accept_top_relabels_disagreements_and_confirms_agreements():
    assert review.accept_top(QUEUE, 2) == [Action("relabel", 3, 1), Action("confirm", 0)]
    assert review.accept_top(QUEUE, 0) == []


def test_random_order_reorders_the_same_items():
    reordered = review.in_random_order(QUEUE, np.array([2, 1, 0, 3]))
    assert reordered["item"].tolist() == [2, 1, 0, 3]


def test_describe_change_is_plain_english():
    before, after = Score(0.853, 0, None, 0), Score(0.86, 0, None, 0)
    assert review.describe_change(before, after, 41) == "accuracy 85.3 % -> 86.0 %, 41 noisy labels left"
    assert review.describe_change(before, after, 1).endswith("1 noisy label left")


def test_describe_actions_names_what_was_done():
    classes = ("cat", "dog")
    assert review.describe_actions([Action("relabel", 4, 1)], classes) == "Relabelled item 4 as dog"
    assert review.describe_actions([Action("undo")], classes) == "Undid the last action"
    batch = [Action("relabel", 1, 0), Action("confirm", 2), Action("relabel", 3, 1)]
    assert review.describe_actions(batch, classes) == "Accepted the top 3 suggestions (2 relabelled, 1 confirmed)"
