"""A challenge's held-out test items: no other scenario's pages score most of them (the private score could be
estimated from two pages' scores), whatever holdout a URL asks for."""

import numpy as np
import pytest

from datacentric.lab.lab import TEST_SHARE
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario

ROOM = Scenario(dataset="digits", noise="systematic", rate=30, seed=0, holdout=50)


@pytest.mark.parametrize("holdout", [0, 1, 10, 49, 51, 80])
def test_another_holdout_scores_the_held_out_items_no_more_than_chance_would(holdout):
    room = prepare(ROOM)
    other = prepare(Scenario(dataset="digits", noise="systematic", rate=30, seed=0, holdout=holdout))
    rows = room.train_index  # the same dataset: a row's index names one item in both
    held = set(map(int, room.holdout_index))  # rows of the dataset, as test_index is
    scored = set(map(int, other.test_index))
    covered = len(held & scored) / len(held)
    # A split drawn apart scores about TEST_SHARE of any set of items; the same training split scored 96-98 %.
    assert covered < TEST_SHARE + 0.15, f"holdout={holdout} scores {covered:.0%} of the room's held-out items"
    assert not np.array_equal(np.sort(rows), np.sort(other.train_index))


def test_the_rooms_own_split_is_as_it_was():
    """Rooms opened before keep their split (their learners' logs name training items by position): the holdout
    rooms use, 50 %, splits as it did, by scikit-learn's stratified split seeded from the seed and the salt."""
    from sklearn.model_selection import train_test_split

    from datacentric.lab.prepare import HOLDOUT_SALT

    room = prepare(ROOM)
    labels = room.dataset.labels
    train, _ = train_test_split(
        np.arange(len(labels)),
        test_size=TEST_SHARE,
        stratify=labels,
        random_state=(ROOM.seed * 7919 + HOLDOUT_SALT) % 2**32,
    )
    assert np.array_equal(room.train_index, train)


def test_rooms_open_with_the_holdout_whose_split_is_kept():
    from datacentric.classroom import rooms
    from datacentric.lab.prepare import ROOM_HOLDOUT

    assert rooms.HOLDOUT == ROOM_HOLDOUT
