"""Ownership in the store: every read of a workspace's log, files or datasets asks the database for that workspace's
rows only, so a second workspace's id finds nothing of the first's; a room's reads go through its membership."""

from dataclasses import dataclass, replace

import pytest

from datacentric.classroom.roster import Roster
from datacentric.lab.scenario import Scenario
from datacentric.lab.worklog import Action
from datacentric.persistence import viewing
from datacentric.persistence.store import Store

SLUG = Scenario(dataset="digits", noise="uniform", rate=20, seed=0).slug
KEY = "u-0123456789abcdef"
RAW = b"text,label\nhi,a\n"
TEST_RAW = b"text,label\nho,b\n"


@dataclass
class Work:
    store: Store
    mine: str  # the workspace that did everything below
    theirs: str  # another workspace, with nothing of its own
    sha: str  # the file mine filed
    test_sha: str  # the test file its dataset is scored on


@pytest.fixture
def work(database_url) -> Work:
    store = Store(database_url)
    mine, theirs = store.create_workspace({}), store.create_workspace({})
    store.append(mine, SLUG, [Action("relabel", 3, 1)])
    store.add_run(mine, SLUG, {"accuracy": 0.9, "family": "svm"})
    store.add_event(mine, "lesson/01", {"complete": True})
    sha = store.add_file(mine, "reviews.csv", RAW, {"kind": "upload"})
    test_sha = store.add_file(mine, "test.csv", TEST_RAW, {"kind": "upload"})
    store.add_dataset(mine, KEY, sha, "reviews", f'{{"test_file": "{test_sha}"}}')
    return Work(store, mine, theirs, sha, test_sha)


# Every store read of one workspace's work: how to ask it for workspace ``ws`` with the first workspace's scenario,
# keys and hashes, and what "nothing" is for its callers. A new read method goes in this table.
READS = {
    "log": (lambda w, ws: w.store.log(ws, SLUG), []),
    "runs": (lambda w, ws: w.store.runs(ws, SLUG), []),
    "events": (lambda w, ws: w.store.events(ws), []),
    "files": (lambda w, ws: w.store.files(ws), []),
    "file_bytes": (lambda w, ws: w.store.file_bytes(ws, w.sha), None),
    "has_file": (lambda w, ws: w.store.has_file(ws, w.test_sha), False),
    "datasets": (lambda w, ws: w.store.datasets(ws), []),
    "dataset": (lambda w, ws: w.store.dataset(ws, KEY), None),
    "dataset_record": (lambda w, ws: w.store.dataset_record(ws, KEY), None),
}
# Reads of a room's members' work, asked by room code and round: (how to ask, the first member's share of the answer).
ROOM_READS = {
    "room_logs": (lambda store, room: store.room_logs(room.code, room.round, SLUG), [Action("relabel", 3, 1, 1)]),
    "room_events": (
        lambda store, room: store.room_events(room.code, room.round, "lesson/"),
        [("lesson/01", {"complete": True})],
    ),
}
# The store's other public methods: they write, or find a workspace (by its id, resume code or view token) rather than
# read its work.
WRITES = {
    "create_workspace",
    "append",
    "locked",
    "add_run",
    "add_event",
    "add_file",
    "add_dataset",
    "remove_file",
    "remove_dataset",
    "resume_code",
    "view_token",
}
FINDS = {"exists", "last_scenario", "by_code", "by_view"}


@pytest.mark.parametrize("other", ["theirs", None])
@pytest.mark.parametrize("method", sorted(READS))
def test_a_second_workspace_gets_nothing_of_the_firsts(work, method, other):
    ask, nothing = READS[method]
    assert ask(work, work.mine) != nothing  # the first workspace finds its own: the check below can fail
    assert ask(work, work.theirs if other == "theirs" else other) == nothing


@pytest.mark.parametrize("method", ["dataset", "dataset_record", "datasets"])
def test_holding_the_same_file_does_not_open_anothers_dataset(work, method):
    # The dataset's key is derived from the file and how it is read: a second learner with the same bytes, who knows
    # the key, still finds no dataset of theirs.
    work.store.add_file(work.theirs, "same.csv", RAW, {"kind": "upload"})
    work.store.add_file(work.theirs, "same-test.csv", TEST_RAW, {"kind": "upload"})
    ask, nothing = READS[method]
    assert ask(work, work.theirs) == nothing and ask(work, work.mine) != nothing


def test_every_public_method_of_the_store_is_in_one_table():
    public = {name for name in dir(Store) if not name.startswith("_") and callable(getattr(Store, name))}
    listed = [set(READS), set(ROOM_READS), WRITES, FINDS]
    assert set().union(*listed) == public, "a new store method: add it to the table of what it is"
    assert sum(map(len, listed)) == len(public)  # each in one table only
    assert viewing.READS <= set(READS) | FINDS  # a read-only view reads one workspace's work, or finds it


@pytest.fixture
def class_of_two(database_url):
    """Two rooms of one learner each, on the same scenario, and a workspace in no room: all three did the same work."""
    store = Store(database_url)
    roster = Roster(store)
    scenario = Scenario(dataset="digits", noise="uniform", rate=20, seed=0)
    first, second = roster.open("Tuesday", scenario, None), roster.open("Wednesday", scenario, None)
    ann, bob = roster.join(first.code, "Ann").workspace, roster.join(second.code, "Bob").workspace
    outsider = store.create_workspace({})
    for ws in (ann, bob, outsider):
        store.append(ws, SLUG, [Action("relabel", 3, 1)])
        store.add_event(ws, "lesson/01", {"complete": True})
    return store, roster, first, second, ann, bob


@pytest.mark.parametrize("method", sorted(ROOM_READS))
def test_a_room_reads_its_own_members_only(class_of_two, method):
    store, roster, first, second, ann, bob = class_of_two
    ask, share = ROOM_READS[method]
    assert ask(store, first) == {ann: share}
    assert ask(store, second) == {bob: share}
    fresh = roster.reset(first.code)  # a new round: its members are new, the round before is not among them
    assert ask(store, fresh) == {}
    assert ask(store, replace(fresh, code="NO-SUCH-ROOM")) == {}
