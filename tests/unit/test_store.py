import pytest

from datacentric.store import Store
from datacentric.workspace import Action, replay


def test_round_trip(store_url):
    store = Store(store_url)
    ws = store.create_workspace({"dataset": "digits", "noise": "uniform", "rate": "20", "seed": "0"})
    assert store.append(ws, [Action("relabel", 3, 1)]) == 1
    assert store.append(ws, [Action("remove", 4), Action("confirm", 5)]) == 3
    assert store.append(ws, [Action("undo")]) == 4
    log = store.log(ws)
    assert [(a.kind, a.item, a.label) for a in log] == [
        ("relabel", 3, 1), ("remove", 4, None), ("confirm", 5, None), ("undo", None, None)]
    # One append is one group, so undo takes back the pair, not just its last half.
    assert log[1].group == log[2].group != log[0].group
    assert replay([0] * 6, log).n_actions == 1


def test_survives_a_new_store_object_on_the_same_file(store_url):
    ws = Store(store_url).create_workspace({"dataset": "wine"})
    Store(store_url).append(ws, [Action("remove", 0)])
    again = Store(store_url)
    assert again.scenario_of(ws) == {"dataset": "wine"}
    assert again.log(ws) == [Action("remove", 0, None, 1)]


def test_workspaces_are_separate_and_ids_unguessable(store_url):
    store = Store(store_url)
    a, b = store.create_workspace({}), store.create_workspace({})
    store.append(a, [Action("remove", 1)])
    assert store.log(b) == []
    assert a != b and len(a) >= 22


@pytest.mark.parametrize("bad", ["", "short", "x" * 200, "'; drop table actions; --", "missing-but-wellformed-id"])
def test_unknown_or_malformed_ids_find_nothing(store_url, bad):
    assert Store(store_url).scenario_of(bad) is None


def test_appending_nothing_is_an_error(store_url):
    store = Store(store_url)
    with pytest.raises(ValueError):
        store.append(store.create_workspace({}), [])
