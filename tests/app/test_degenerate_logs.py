"""Every page survives any log the store can hold, even one the app now refuses to write: every row removed,
one class left, a few rows restored, only the reserve collected, duplicates of one class.

Such logs were stored before the rule in ``lab.check_trainable`` (a bulk remove of the default filter left
no row at all); they stay in learners' workspaces, so each page must open on them, say why the model cannot learn,
and offer Undo.
"""

import numpy as np
import pytest

from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence.store import Store
from tests.app.conftest import PAGES, metric

PLAIN = Scenario("wine", "uniform", 20, 0)
RESERVED = Scenario("wine", "uniform", 20, 0, reserve=40)


def _every_row_removed(lab):
    return PLAIN, [[Action("remove", int(i)) for i in np.flatnonzero(lab.in_use)]]


def _one_class_left(lab):
    return PLAIN, [[Action("remove", int(i)) for i in np.flatnonzero(lab.in_use & (lab.noisy_labels != 0))]]


def _all_removed_then_three_restored(lab):
    removed = np.flatnonzero(lab.in_use)
    return PLAIN, [[Action("remove", int(i)) for i in removed], [Action("restore", int(i)) for i in removed[:3]]]


def _one_row_of_each_class(lab):
    keep = {int(np.flatnonzero(lab.in_use & (lab.noisy_labels == c))[0]) for c in np.unique(lab.noisy_labels)}
    return PLAIN, [[Action("remove", int(i)) for i in np.flatnonzero(lab.in_use) if i not in keep]]


def _only_the_reserve_collected(lab):
    return RESERVED, [
        [Action("remove", int(i)) for i in np.flatnonzero(lab.in_use)],
        [Action("collect", int(i)) for i in np.flatnonzero(lab.reserve & (lab.noisy_labels == 0))[:3]],
    ]


def _duplicates_of_one_class(lab):
    ones = np.flatnonzero(lab.in_use & (lab.noisy_labels == 1))
    return PLAIN, [
        [Action("remove", int(i)) for i in np.flatnonzero(lab.in_use) if i not in ones[:2]],
        [Action("duplicate", int(i)) for i in ones[:2]],
    ]


LOGS = [
    _every_row_removed,
    _one_class_left,
    _all_removed_then_three_restored,
    _one_row_of_each_class,
    _only_the_reserve_collected,
    _duplicates_of_one_class,
]


def _stored(store_url, make) -> tuple[str, Scenario, list[list[Action]]]:
    """A workspace holding the log ``make`` builds, written straight to the store (past any check a page makes)."""
    scenario, groups = make(prepare(PLAIN))
    if scenario != PLAIN:
        scenario, groups = make(prepare(scenario))
    store = Store(store_url)
    ws = store.create_workspace(scenario.to_params())
    for group in groups:
        store.append(ws, scenario.slug, group, scenario.to_params())
    return ws, scenario, groups


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("make", LOGS, ids=lambda f: f.__name__.strip("_"))
def test_every_page_opens_on_a_log_that_leaves_nothing_to_learn_from(open_page, store_url, make, page):
    ws, _, _ = _stored(store_url, make)
    at = open_page(page, ws=ws)  # open_page asserts no exception
    assert not at.exception


@pytest.mark.parametrize("make", LOGS, ids=lambda f: f.__name__.strip("_"))
def test_fix_the_labels_says_why_and_undo_takes_the_last_group_back(open_page, store_url, make):
    ws, scenario, groups = _stored(store_url, make)
    at = open_page("pages/fix_labels.py", ws=ws)
    said = " ".join(box.value.replace("\\", "") for box in (*at.warning, *at.info, *at.error))
    assert "cannot learn" in said and "Undo" in said
    undo = [b for b in at.button if b.label == "Undo last action"]
    assert len(undo) == 1 and not undo[0].disabled
    undo[0].click().run()
    assert not at.exception, at.exception
    log = Store(store_url).log(ws, scenario.slug)
    assert log[-1].kind == "undo" and len(log) == sum(map(len, groups)) + 1
    assert metric(at, "Actions taken") == str(len(groups) - 1)  # one action a group: the last one undone


def test_the_filter_starts_on_no_row_and_a_removal_of_every_row_is_refused_unwritten(open_page, store_url):
    at = open_page("pages/fix_labels.py", dataset="wine", noise="uniform", rate="20", seed="0")
    removal = next(b for b in at.button if b.label.startswith("Remove the "))
    assert removal.label == "Remove the 0 in use" and removal.disabled  # the filter as it starts picks nothing
    at.selectbox(key="bulk_kind").set_value("given").run()
    at.multiselect(key="bulk_given_classes").set_value(list(range(len(prepare(PLAIN).dataset.classes)))).run()
    in_use = prepare(PLAIN).n_in_use
    removal = next(b for b in at.button if b.label.startswith("Remove the "))
    assert removal.label == f"Remove the {in_use} in use" and removal.disabled  # every row: confirmed first
    at.checkbox(key=f"bulk_sweep_v0_{in_use}").check().run()
    removal = next(b for b in at.button if b.label.startswith("Remove the "))
    assert not removal.disabled
    removal.click().run()
    assert not at.exception, at.exception
    said = " ".join(box.value.replace("\\", "") for box in at.warning)
    assert "Nothing done: that would leave training with no rows" in said and "restore" in said
    assert metric(at, "Actions taken") == "0"
    ws = at.session_state["workspace"] if "workspace" in at.session_state else None
    assert ws is None or Store(store_url).log(ws, PLAIN.slug) == []


def test_a_store_busy_through_every_retry_writes_nothing_and_keeps_the_card(open_page, store_url, monkeypatch):
    from datacentric.lab.worklog import StoreBusy
    from datacentric.persistence.store import Store as Stored

    at = open_page("pages/fix_labels.py", dataset="wine", noise="uniform", rate="20", seed="0")
    shown = next(m.value for m in at.markdown if m.value.startswith("**Review item "))

    def busy(self, *args, **kwargs):
        raise StoreBusy("locked")

    monkeypatch.setattr(Stored, "append", busy)
    next(b for b in at.button if b.label == "Label is right").click().run()
    assert not at.exception, at.exception
    said = " ".join(box.value.replace("\\", "") for box in at.warning)
    assert "Nothing done: the store was busy; your click was not saved, try again." in said
    assert next(m.value for m in at.markdown if m.value.startswith("**Review item ")) == shown
    assert metric(at, "Actions taken") == "0"
    monkeypatch.undo()
    ws = at.session_state["workspace"] if "workspace" in at.session_state else None
    assert ws is None or Store(store_url).log(ws, PLAIN.slug) == []
