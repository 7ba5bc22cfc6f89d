import threading

import pytest

from datacentric.lab.worklog import Action, apply
from datacentric.persistence.store import Store

DIGITS = {"dataset": "digits", "noise": "uniform", "rate": "20", "seed": "0"}


def test_round_trip(database_url):
    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    assert store.append(ws, "s1", [Action("relabel", 3, 1)]) == 1
    assert store.append(ws, "s1", [Action("remove", 4), Action("confirm", 5)]) == 3
    assert store.append(ws, "s1", [Action("undo")]) == 4
    log = store.log(ws, "s1")
    assert [(a.kind, a.item, a.label) for a in log] == [
        ("relabel", 3, 1),
        ("remove", 4, None),
        ("confirm", 5, None),
        ("undo", None, None),
    ]
    # One append is one group, so undo takes back the pair, not just its last half.
    assert log[1].group == log[2].group != log[0].group
    assert apply([0] * 6, log).n_actions == 1


def test_each_scenario_has_its_own_log_and_the_last_one_is_remembered(database_url):
    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    store.append(ws, "a", [Action("remove", 1)], {"dataset": "wine"})
    store.append(ws, "b", [Action("remove", 2)], {"dataset": "breast_cancer"})
    assert store.log(ws, "a") == [Action("remove", 1, None, 1)]
    assert store.log(ws, "b") == [Action("remove", 2, None, 1)]
    assert store.last_scenario(ws) == {"dataset": "breast_cancer"}


def test_survives_a_new_store_object_on_the_same_file(database_url):
    ws = Store(database_url).create_workspace({"dataset": "wine"})
    Store(database_url).append(ws, "s", [Action("remove", 0)])
    again = Store(database_url)
    assert again.last_scenario(ws) == {"dataset": "wine"} and again.exists(ws)
    assert again.log(ws, "s") == [Action("remove", 0, None, 1)]


def test_workspaces_are_separate_and_ids_unguessable(database_url):
    store = Store(database_url)
    a, b = store.create_workspace({}), store.create_workspace({})
    store.append(a, "s", [Action("remove", 1)])
    store.add_run(a, "s", {"accuracy": 0.9, "family": "svm"})
    store.add_event(a, "lesson/01", {"question": 0, "choice": 1})
    assert store.log(b, "s") == [] and store.runs(b, "s") == [] and store.events(b) == []
    assert a != b and len(a) >= 22


def test_runs_and_events_round_trip_in_order(database_url):
    store = Store(database_url)
    ws = store.create_workspace({})
    store.add_run(ws, "s", {"accuracy": 0.5, "family": "knn", "params": {"n_neighbors": 3}})
    store.add_run(ws, "s", {"accuracy": 0.7, "family": "svm", "params": {"C": 1.0}})
    assert [r["family"] for r in store.runs(ws, "s")] == ["knn", "svm"]
    assert store.runs(ws, "other") == []
    store.add_event(ws, "lesson/01", {"complete": True})
    store.add_event(ws, "lesson/02", {"question": 1})
    assert store.events(ws, "lesson/01") == [("lesson/01", {"complete": True})]
    assert len(store.events(ws, "lesson/")) == 2


@pytest.mark.parametrize(
    "bad", ["", None, "short", "x" * 200, "'; drop table actions; --", "missing-but-wellformed-id"]
)
def test_unknown_or_malformed_ids_find_nothing(database_url, bad):
    assert Store(database_url).last_scenario(bad) is None and not Store(database_url).exists(bad)


def test_appending_nothing_is_an_error(database_url):
    store = Store(database_url)
    with pytest.raises(ValueError):
        store.append(store.create_workspace({}), "s", [])


def test_files_and_datasets_are_visible_only_to_their_workspace(database_url):
    store = Store(database_url)
    mine, theirs = store.create_workspace({}), store.create_workspace({})
    sha = store.add_file(mine, "reviews.csv", b"text,label\nhi,a\n", {"kind": "upload"})
    assert store.add_file(mine, "again.csv", b"text,label\nhi,a\n", {"kind": "upload"}) == sha  # stored once
    assert [f["name"] for f in store.files(mine)] == ["reviews.csv"]
    assert store.files(theirs) == [] and store.file_bytes(theirs, sha) is None
    assert store.file_bytes(mine, sha) == b"text,label\nhi,a\n"
    store.add_dataset(mine, "u-0123456789abcdef", sha, "reviews", '{"label": "label"}')
    assert [d["key"] for d in store.datasets(mine)] == ["u-0123456789abcdef"] and store.datasets(theirs) == []
    record, raw = store.dataset(mine, "u-0123456789abcdef")
    assert record["title"] == "reviews" and raw == b"text,label\nhi,a\n"
    # The same file uploaded by another learner is theirs too, still without seeing the first learner's datasets.
    store.add_file(theirs, "mine-too.csv", b"text,label\nhi,a\n", {"kind": "upload"})
    assert store.file_bytes(theirs, sha) is not None and store.datasets(theirs) == []


def test_the_same_file_stored_by_many_sessions_at_once_is_stored_once(database_url):
    store = Store(database_url)
    ws = store.create_workspace({})
    errors = all_at_once(lambda: store.add_file(ws, "same.csv", b"text,label\n" * 1000, {"kind": "upload"}))
    assert errors == [] and len(store.files(ws)) == 1


def test_a_deleted_file_takes_its_datasets_and_its_bytes_once_no_one_has_it(database_url):
    store = Store(database_url)
    mine, theirs = store.create_workspace({}), store.create_workspace({})
    sha = store.add_file(mine, "a.csv", b"text,label\nhi,a\n", {"kind": "upload"})
    store.add_file(theirs, "b.csv", b"text,label\nhi,a\n", {"kind": "upload"})
    store.add_dataset(mine, "u-0123456789abcdef", sha, "a", "{}")
    store.remove_file(mine, sha)
    assert store.files(mine) == [] and store.datasets(mine) == []
    assert store.file_bytes(theirs, sha) is not None  # still theirs
    store.remove_file(theirs, sha)
    assert store.dataset(mine, "u-0123456789abcdef") is None and store.file_bytes(theirs, sha) is None


def test_sqlite_commits_are_durable_before_the_page_says_saved(store_url):
    store = Store(store_url)
    with store.engine.connect() as db:
        assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert db.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: the log is synced at every commit


def test_sessions_arriving_together_on_a_fresh_store_all_get_in(database_url):
    store = Store(database_url)
    assert all_at_once(lambda: store.create_workspace(DIGITS)) == []


def all_at_once(task, n: int = 8) -> list[Exception]:
    """Run ``task`` in ``n`` threads released together; the errors they raised."""
    errors, start = [], threading.Barrier(n)

    def run():
        start.wait()
        try:
            task()
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


APPENDER = """
import sys, threading
from datacentric.persistence.store import Store
from datacentric.lab.worklog import Action
store, ws = Store(sys.argv[1]), sys.argv[2]
def run(t):
    for i in range(10):
        store.append(ws, "s", [Action("remove", t * 100 + i), Action("restore", t * 100 + i)])
threads = [threading.Thread(target=run, args=(t,)) for t in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
"""


def test_appends_from_8_threads_in_2_processes_get_distinct_undo_groups_and_lose_nothing(database_url):
    import subprocess
    import sys
    from collections import Counter

    from tests.conftest import ROOT

    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, database_url, ws], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    log = store.log(ws, "s")
    assert len(log) == 2 * 8 * 10 * 2  # nothing lost
    groups = Counter(a.group for a in log)
    assert len(groups) == 2 * 8 * 10 and set(groups.values()) == {2}  # one group per append, never shared
    assert all(a.group == b.group for a, b in zip(log[::2], log[1::2]))  # each append's actions side by side


def test_a_database_made_before_migrations_is_brought_up_to_date_and_keeps_its_work(database_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect

    from datacentric.persistence import store as stores

    old = create_engine(database_url)
    with old.begin() as db:  # the tables as create_all made them before Alembic: revision 0001, and no version table
        config = Config()
        config.set_main_option("script_location", str(stores.MIGRATIONS))
        config.attributes["connection"] = db
        command.upgrade(config, stores.FIRST)
        db.exec_driver_sql("DROP TABLE alembic_version")
    with old.begin() as db:
        db.execute(stores.workspaces.insert().values(id="w" * 22, scenario="{}", created=stores._now()))
    old.dispose()
    store = Store(database_url)
    assert store.exists("w" * 22)
    with store.engine.connect() as db:
        assert db.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    assert {"workspaces", "actions", "alembic_version"} <= set(inspect(store.engine).get_table_names())


def test_an_empty_database_is_migrated_to_the_latest_revision(database_url):
    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    assert store.append(ws, "s", [Action("remove", 1)]) == 1
    with store.engine.connect() as db:
        assert db.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()


def test_the_migrations_make_the_schema_the_store_declares(database_url):
    """The revisions and the tables in store.py say the same: Alembic finds nothing to change."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from datacentric.persistence.store import metadata

    store = Store(database_url)
    with store.engine.connect() as db:
        assert compare_metadata(MigrationContext.configure(db), metadata) == []


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from datacentric.persistence.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_a_resume_code_opens_its_workspace_and_no_other(database_url):
    from datacentric.persistence import resume

    store = Store(database_url)
    mine, theirs = store.create_workspace(DIGITS), store.create_workspace(DIGITS)
    code = store.resume_code(mine)
    assert store.resume_code(mine) == code != store.resume_code(theirs)  # made once, kept
    assert resume.normalised(code) == code and store.by_code(code) == mine
    assert store.by_code(resume.new_code()) is None


def test_a_view_token_shows_its_workspace_and_no_other(database_url):
    from datacentric.persistence import viewing

    store = Store(database_url)
    mine, theirs = store.create_workspace(DIGITS), store.create_workspace(DIGITS)
    token = store.view_token(mine)
    assert store.view_token(mine) == token != store.view_token(theirs)  # made once, kept
    assert store.by_view(token) == mine and store.by_view(viewing.new_token()) is None and store.by_view("") is None
    assert token not in (mine, store.resume_code(mine))  # the view link never carries what opens the work for writing
    assert len({viewing.new_token() for _ in range(10_000)}) == 10_000 and len(token) == 22


def test_a_read_only_store_reads_and_refuses_every_write(database_url):
    """Every public method of the store is either a listed read or refused: a write added later is refused too."""
    import inspect as inspect_module

    from datacentric.persistence import viewing

    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    store.append(ws, "s", [Action("relabel", 1, 2)])
    view = viewing.ReadOnlyStore(store)
    assert view.log(ws, "s") == store.log(ws, "s") and view.last_scenario(ws) == DIGITS
    public = {name for name, _ in inspect_module.getmembers(Store, callable) if not name.startswith("_")}
    assert viewing.READS < public  # every listed read exists
    writes = public - viewing.READS
    assert {
        "append",
        "add_run",
        "add_event",
        "add_file",
        "add_dataset",
        "remove_file",
        "remove_dataset",
        "create_workspace",
        "resume_code",
        "view_token",
        "by_code",
    } <= writes
    for name in writes | {"engine", "url"}:  # nor a way round: the engine, or a new store on the same URL
        with pytest.raises(viewing.ReadOnly):
            getattr(view, name)
    assert store.log(ws, "s") == [Action("relabel", 1, 2, group=1)]


def test_an_append_chosen_on_an_older_log_is_refused_whole(database_url):
    """The page's check of what it showed and the write are one step: of 8 clicks chosen on the same log at once
    (two tabs, two servers), one is written and the others are refused, written nowhere."""
    from datacentric.lab.worklog import LogMoved

    store = Store(database_url)
    ws = store.create_workspace(DIGITS)
    assert store.append(ws, "s", [Action("relabel", 1, 2)], after=0) == 1
    with pytest.raises(LogMoved):
        store.append(ws, "s", [Action("relabel", 2, 3)], after=0)
    outcomes, start = [], threading.Barrier(8)

    def click(item: int) -> None:
        start.wait()
        try:
            store.append(ws, "s", [Action("remove", item), Action("confirm", item + 100)], after=1)
            outcomes.append("written")
        except LogMoved:
            outcomes.append("refused")

    threads = [threading.Thread(target=click, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["written"]
    log = store.log(ws, "s")
    assert len(log) == 3 and [a.group for a in log] == [1, 2, 2]  # the one written, whole


def _append_many(url: str, ws: str, worker: int, n: int, reports) -> None:
    """One writer process: ``n`` appends to its own scenario's log of a shared workspace. It always reports, once,
    with what raised: the parent reads every report before it joins (a child blocks at exit until its queue is
    read, and a child that reported nothing would leave the parent waiting)."""
    raised = []
    try:
        store = Store(url)
        for i in range(n):
            try:
                store.append(ws, f"w{worker}", [Action("remove", i)])
            except Exception as error:  # noqa: BLE001 - any failure is what the test counts
                raised.append(f"{type(error).__name__}: {error}")
    except BaseException as error:  # noqa: BLE001 - reported, never lost with the process
        raised.append(f"worker {worker}: {type(error).__name__}: {error}")
    finally:
        reports.put(raised)


def test_a_hundred_processes_appending_to_one_sqlite_file_lose_nothing(tmp_path):
    """Write bursts: a locked SQLite database is waited out and retried, so every append lands and none raises."""
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'store.db'}"
    ws = Store(url).create_workspace({})  # migrated once, before the burst
    context = multiprocessing.get_context("fork")
    reports = context.Queue()
    workers, each = 100, 20
    processes = [context.Process(target=_append_many, args=(url, ws, w, each, reports)) for w in range(workers)]
    for process in processes:
        process.start()
    # A report a writer, read before any join; a writer gone without one fails the test (queue.Empty), never hangs it.
    raised = [error for _ in processes for error in reports.get(timeout=300)]
    for process in processes:
        process.join()
    assert raised == []
    store = Store(url)
    assert [len(store.log(ws, f"w{w}")) for w in range(workers)] == [each] * workers


def test_a_write_that_stays_locked_says_so_and_writes_nothing(tmp_path, monkeypatch):
    """Past its bounded retries, an append raises StoreBusy (the page says so and keeps the card), not a traceback."""
    import sqlite3

    from datacentric.lab.worklog import StoreBusy
    from datacentric.persistence import store as store_module

    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    ws = store.create_workspace({})
    monkeypatch.setattr(store_module, "RETRY_PAUSE", 0.001)
    holder = sqlite3.connect(tmp_path / "store.db", timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for longer than the retries last
    monkeypatch.setattr(store_module, "BUSY_MS", 10)
    store = Store(url)
    with pytest.raises(StoreBusy):
        store.append(ws, "s", [Action("remove", 1)])
    holder.rollback()
    holder.close()
    assert store.log(ws, "s") == []
    assert store.append(ws, "s", [Action("remove", 1)]) == 1  # once the lock is free, it writes
