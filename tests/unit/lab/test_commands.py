"""The learner's commands, without a page: what they write, what they refuse and why, what they call stale, and how
often a click reads and applies the log."""

from functools import partial

import numpy as np
import pytest

from datacentric.classroom.rooms import Challenge
from datacentric.classroom.roster import Roster
from datacentric.findings import collect, filters
from datacentric.lab import commands
from datacentric.lab import lab as lab_module
from datacentric.lab.commands import Refusal, Result
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action, StoreBusy, seen
from datacentric.persistence.store import Store

SCENARIO = Scenario("wine", "uniform", 20, 0)
ROOM_SCENARIO = Scenario("wine", "uniform", 30, 0, holdout=50)  # a classroom challenge holds test items out


@pytest.fixture(scope="module")
def lab():
    return prepare(SCENARIO)


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'store.db'}")


class Tab:
    """One browser tab on a workspace: it reads the log, shows the state, and runs commands with the store's writer
    (counting the reads a command makes of its own)."""

    def __init__(self, store: Store, lab, workspace: str, slug: str | None = None):
        self.store, self.lab, self.workspace = store, lab, workspace
        self.slug = slug or lab.scenario.slug
        self.reads = 0

    def log(self) -> list[Action]:
        return self.store.log(self.workspace, self.slug)

    def read(self) -> list[Action]:
        self.reads += 1
        return self.log()

    def shown(self):
        return self.lab.state(self.log())

    def run(self, command, actions, shown=None, *, write=None):
        shown = shown if shown is not None else self.shown()
        page_saw = seen(shown, [a.item for a in actions if a.item is not None])
        return command(
            self.lab,
            self.log(),
            actions,
            page_saw,
            read=self.read,
            write=write or partial(self.store.append, self.workspace, self.slug),
        )


@pytest.fixture
def tab(store, lab):
    return Tab(store, lab, store.create_workspace(SCENARIO.to_params()))


def a_wrong_label(lab) -> Action:
    i = int(np.flatnonzero(lab.is_noisy)[0])
    return Action("relabel", i, int(lab.true_labels[i]))


def test_a_label_action_is_written_and_its_outcome_is_the_state_the_store_now_holds(tab, lab):
    fix = a_wrong_label(lab)
    done = tab.run(commands.label, [fix])
    assert done.written and done.result is Result.WRITTEN and done.reason is None
    assert [(a.kind, a.item, a.label) for a in tab.log()] == [(fix.kind, fix.item, fix.label)]
    stored = lab.state(tab.log())
    assert done.now.version == stored.version == 1
    assert np.array_equal(done.now.labels, stored.labels) and done.now.labels[fix.item] == fix.label
    assert done.before.version == 0 and done.before.labels[fix.item] == lab.noisy_labels[fix.item]


def test_a_bulk_action_is_one_group_that_one_undo_takes_back(tab, lab):
    start = lab.state([])
    removal = filters.bulk("remove", lab.in_use & (lab.noisy_labels == 2), start)
    done = tab.run(commands.bulk, removal)
    stored = lab.state(tab.log())
    assert done.written and done.now.n_actions == stored.n_actions == 1  # grouped as the store groups it
    assert np.array_equal(done.now.kept, stored.kept) and not done.now.kept[[a.item for a in removal]].any()
    undone = tab.run(commands.label, [Action("undo")])
    assert undone.written and np.array_equal(undone.now.kept, start.kept) and undone.now.version == len(removal) + 1


def test_a_collection_brings_reserve_rows_into_training(store):
    held = prepare(Scenario("wine", "uniform", 20, 0, reserve=10))
    tab = Tab(store, held, store.create_workspace(held.scenario.to_params()))
    start = held.state([])
    drawn = collect.draw(held, start, np.ones(held.n_train, dtype=bool), 3)
    done = tab.run(commands.collect, drawn)
    assert (
        done.written
        and done.now.kept[[a.item for a in drawn]].all()
        and not done.now.held[[a.item for a in drawn]].any()
    )
    again = tab.run(commands.collect, drawn, shown=start)  # the page that drew them, clicked twice
    assert again.result is Result.STALE and again.repeat and len(tab.log()) == len(drawn)


def test_an_action_on_an_item_another_tab_changed_is_stale_and_not_written(tab, lab):
    shown = tab.shown()  # this tab shows the first wrong label...
    fix = a_wrong_label(lab)
    tab.store.append(tab.workspace, SCENARIO.slug, [Action("confirm", fix.item)])  # ...another tab confirms it
    done = tab.run(commands.label, [fix], shown)
    assert done.result is Result.STALE and not done.written and not done.repeat
    assert done.moved == (fix.item,) and f"item {fix.item} was changed" in done.said
    assert done.now.version == 1 and [a.kind for a in tab.log()] == ["confirm"]


def test_an_undo_after_another_tabs_action_is_stale_and_an_action_elsewhere_is_not(tab, lab):
    shown = tab.shown()
    tab.store.append(tab.workspace, SCENARIO.slug, [Action("remove", 0)])
    undo = tab.run(commands.label, [Action("undo")], shown)
    assert undo.result is Result.STALE and undo.moved == () and "this workspace was changed" in undo.said
    elsewhere = tab.run(commands.label, [Action("confirm", 1)], shown)  # item 1 is as this tab showed it
    assert elsewhere.written and [a.kind for a in tab.log()] == ["remove", "confirm"]


@pytest.mark.parametrize("others", [1, commands.WRITE_TRIES])
def test_an_append_between_the_check_and_the_write_is_checked_again_on_the_log_read_again(tab, lab, others):
    appended = []

    def another_server_first(actions, *, after):
        if len(appended) < others:
            appended.append(tab.store.append(tab.workspace, SCENARIO.slug, [Action("confirm", 100 + len(appended))]))
        return tab.store.append(tab.workspace, SCENARIO.slug, actions, after=after)

    done = tab.run(commands.label, [Action("confirm", 1)], write=another_server_first)
    assert tab.reads == others  # once for each append that came first, never otherwise
    if others < commands.WRITE_TRIES:
        assert done.written and [a.item for a in tab.log()] == [100, 1] and done.now.version == 2
    else:
        assert done.result is Result.STALE and [a.item for a in tab.log()] == [100, 101, 102]
        assert done.now.version == len(tab.log())


def test_a_removal_that_leaves_too_little_to_learn_from_is_refused_with_why(tab, lab):
    start = lab.state([])
    everything = filters.bulk("remove", lab.in_use, start)
    done = tab.run(commands.bulk, everything)
    assert done.result is Result.REFUSED and done.reason is Refusal.UNTRAINABLE
    assert done.said.startswith("Nothing done: that would leave training with no rows") and "restore" in done.said
    assert done.now is done.before and tab.log() == []


def test_an_action_the_log_cannot_take_is_refused(tab, lab):
    done = tab.run(commands.collect, [Action("collect", 0)])  # this scenario holds nothing in reserve
    assert done.result is Result.REFUSED and done.reason is Refusal.CANNOT_APPLY and "not in the reserve" in done.said
    assert tab.log() == []


def test_past_a_challenges_budget_the_store_refuses_and_the_command_says_so(store):
    roster = Roster(store)
    room = roster.open("Tuesday's class", ROOM_SCENARIO, Challenge(1, 2, 30))
    ann = roster.join(room.code, "Ann").workspace
    tab = Tab(store, prepare(ROOM_SCENARIO), ann)
    assert tab.run(commands.label, [Action("confirm", 0)]).written
    done = tab.run(commands.label, [Action("confirm", 1)])
    assert done.result is Result.REFUSED and done.reason is Refusal.OVER_BUDGET
    assert "allows 1 label actions and 1 are used" in done.said and len(tab.log()) == 1
    off = Tab(store, tab.lab, ann, slug=SCENARIO.slug).run(commands.label, [Action("confirm", 1)])
    assert off.result is Result.REFUSED and off.reason is Refusal.OFF_THE_ROOM and "room's scenario" in off.said
    assert store.log(ann, SCENARIO.slug) == []


def test_a_busy_store_is_a_refusal_that_keeps_what_the_page_showed(tab):
    def busy(actions, *, after):
        raise StoreBusy("locked")

    done = tab.run(commands.label, [Action("confirm", 0)], write=busy)
    assert done.result is Result.REFUSED and done.reason is Refusal.STORE_BUSY and done.said == commands.BUSY
    assert done.now.version == 0 and tab.log() == []


@pytest.mark.parametrize("stale, applies", [(False, 2), (True, 1)])
def test_a_click_reads_the_log_once_and_applies_it_at_most_twice(tab, lab, monkeypatch, stale, applies):
    shown = tab.shown()
    if stale:
        tab.store.append(tab.workspace, SCENARIO.slug, [Action("confirm", 0)])
    log = tab.log()  # the click's one read: the page's
    folds = []
    apply = lab_module.apply
    monkeypatch.setattr(lab_module, "apply", lambda *args, **kwargs: folds.append(1) or apply(*args, **kwargs))
    done = commands.label(
        lab,
        log,
        [Action("confirm", 0)],
        seen(shown, [0]),
        read=tab.read,
        write=partial(tab.store.append, tab.workspace, SCENARIO.slug),
    )
    assert done.written is not stale and tab.reads == 0 and len(folds) == applies


@pytest.mark.parametrize(
    "command, actions",
    [
        (commands.label, [Action("confirm", 0), Action("confirm", 1)]),  # many: a bulk action
        (commands.label, [Action("collect", 0)]),
        (commands.bulk, []),
        (commands.bulk, [Action("remove", 0), Action("undo")]),
        (commands.collect, [Action("collect", 0), Action("remove", 1)]),
    ],
)
def test_each_command_takes_only_its_own_actions(tab, command, actions):
    with pytest.raises(ValueError):
        tab.run(command, actions)
    assert tab.log() == []
