"""Persistence through SQLAlchemy: workspaces, their action logs per scenario, training runs and own data.

SQLite (a file, the default) for one server process; PostgreSQL for more than one. The schema is migrated with
Alembic (``migrate``) when the store first connects; two servers starting together take turns (an advisory
lock on PostgreSQL, a file lock beside a SQLite file). An append locks its workspace first (its row on
PostgreSQL, the database on SQLite), so two appends at once never share an undo group.

A workspace is one learner's work (no accounts: its unguessable id is the key). It holds one
append-only action log per scenario, so switching scenario and back finds the work again, and
the files the learner brought: their bytes are stored once by content hash, and a workspace
sees only the files and datasets filed under its own id. Every read of a log, a file or a dataset takes the
workspace and asks the database for that workspace's rows only, so another workspace's id finds nothing; a
classroom's instructor reads many workspaces through the room's membership (``room_logs``, ``room_events``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import random
import threading
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from filelock import FileLock
from sqlalchemy import create_engine, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from datacentric.common import settings
from datacentric.lab.worklog import (
    LABEL_ACTIONS,
    WORKSPACE_ID,
    Action,
    BudgetSpent,
    LogMoved,
    OffTheRoom,
    StoreBusy,
    new_workspace_id,
)
from datacentric.persistence import resume, viewing
from datacentric.persistence.schema import (  # noqa: F401 - metadata: the migrations' environment reads it from here too
    actions,
    blobs,
    datasets,
    events,
    files,
    members,
    metadata,
    rooms,
    runs,
    workspaces,
)

__all__ = [
    "DEFAULT_PATH",
    "URL_ENV",
    "BUSY_MS",
    "WRITE_TRIES",
    "RETRY_PAUSE",
    "retried",
    "default_url",
    "SECRETS_FILES",
    "configured_url",
    "Store",
    "new_engine",
    "MIGRATIONS",
    "FIRST",
    "LOCK_ID",
    "migrate",
    "migrating",
    "SQLITE_SYNCHRONOUS",
    "metadata",
]

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "var" / "playground.db"
URL_ENV = "DCP_DATABASE_URL"


# SQLite lets one writer in at a time. A burst (100 processes appending at once) can keep one waiting past
# its busy timeout; the write is then tried again from the start, a bounded number of times, before the page
# is told that nothing was written (StoreBusy). Measured: 100 processes x 20 appends lost 25 of 2,000 to
# "database is locked" with one try; with these tries none (tests/unit/test_store.py).
BUSY_MS = 5000  # how long one try waits for the write lock
WRITE_TRIES = 4  # tries of one write in all
RETRY_PAUSE = 0.05  # seconds before the second try, doubled before each next one (with jitter, so a burst spreads)


def retried(write):
    """Decorate a method that writes: a write SQLite refused as locked (or busy) is tried again from the start
    (its transaction was rolled back, so nothing was half-written); past ``WRITE_TRIES``, ``StoreBusy``."""

    @functools.wraps(write)
    def trying(*args, **kwargs):
        for attempt in range(WRITE_TRIES):
            try:
                return write(*args, **kwargs)
            except OperationalError as error:
                if not _locked(error):
                    raise
                if attempt == WRITE_TRIES - 1:
                    raise StoreBusy("The store is busy with other writers: nothing was saved. Try again.") from error
                time.sleep(RETRY_PAUSE * 2**attempt * (1 + random.random()))

    return trying


def _locked(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


def default_url() -> str:
    """The store's URL: ``$DCP_DATABASE_URL`` if set, else a SQLite file under ``var/``."""

    return settings.text(URL_ENV) or f"sqlite:///{DEFAULT_PATH}"


# Where Streamlit reads secrets by default, the later winning (its `secrets.files` option); the project's is relative
# to the folder the command runs in, as for Streamlit.
SECRETS_FILES = (Path.home() / ".streamlit" / "secrets.toml", Path(".streamlit") / "secrets.toml")


def configured_url(secrets_files=SECRETS_FILES) -> str:
    """The store's URL as the app finds it, read without Streamlit (``alembic upgrade head`` from the command line):
    ``$DCP_DATABASE_URL``, else ``url`` under ``[database]`` in .streamlit/secrets.toml, else ``default_url()``."""

    secrets = {}
    for path in map(Path, secrets_files):
        if path.is_file():
            # top-level tables replaced, as Streamlit does
            secrets.update(tomllib.loads(path.read_text(encoding="utf-8")))
    if settings.text(URL_ENV) is None and secrets.get("database", {}).get("url"):
        return secrets["database"]["url"]
    return default_url()


class Store:
    """Workspaces and what is done in them. Every write is committed before it returns."""

    def __init__(self, url: str):
        self.url = url
        self._engine = None
        self._connecting = threading.Lock()

    @property
    def engine(self):
        # Sessions arrive together on a fresh server: one of them migrates the schema, the others wait
        # (two migrations at once would both create the tables).
        with self._connecting:
            if self._engine is None:
                self._engine = _connect(self.url)
        return self._engine

    @retried
    def create_workspace(self, scenario_params: dict[str, str], *, workspace_id: str | None = None) -> str:
        """A new workspace; under ``workspace_id`` when given (the id a browser's cookie was given before its first
        action: another tab of that browser may have made it a moment ago, and then it is that one)."""

        if workspace_id is not None and not WORKSPACE_ID.match(workspace_id):
            raise ValueError("a workspace id is 16 to 64 letters, digits, '-' or '_'")
        workspace_id = workspace_id or new_workspace_id()
        try:
            with self.engine.begin() as db:
                db.execute(
                    insert(workspaces).values(id=workspace_id, scenario=json.dumps(scenario_params), created=_now())
                )
        except IntegrityError:
            if not self.exists(workspace_id):
                raise
        return workspace_id

    def resume_code(self, workspace_id: str) -> str:
        """The workspace's resume code, made on first request (a clash with another's, about 1 in 2^59, retries)."""

        return self._made_once(workspace_id, workspaces.c.code, resume.new_code)

    def by_code(self, code: str) -> str | None:
        """The workspace a resume code opens, or None."""
        with self.engine.connect() as db:
            return db.execute(select(workspaces.c.id).where(workspaces.c.code == code)).scalar()

    def view_token(self, workspace_id: str) -> str:
        """The token of the workspace's read-only view link, made on first request."""

        return self._made_once(workspace_id, workspaces.c.view, viewing.new_token)

    def by_view(self, token: str) -> str | None:
        """The workspace a read-only view token shows, or None."""
        if not token:
            return None
        with self.engine.connect() as db:
            return db.execute(select(workspaces.c.id).where(workspaces.c.view == token)).scalar()

    @retried
    def _made_once(self, workspace_id: str, column, make) -> str:
        """The workspace's value in a unique ``column``, set to ``make()`` if it has none yet; two sessions asking at
        once get the same value, and a clash with another workspace's value tries again."""

        with self.engine.connect() as db:
            value = db.execute(select(column).where(workspaces.c.id == workspace_id)).scalar()
        while value is None:
            try:
                with self.engine.begin() as db:
                    db.execute(
                        update(workspaces)
                        .where((workspaces.c.id == workspace_id) & column.is_(None))
                        .values({column.name: make()})
                    )
                    value = db.execute(select(column).where(workspaces.c.id == workspace_id)).scalar()
            except IntegrityError:
                continue
        return value

    def exists(self, workspace_id: str | None) -> bool:
        return self.last_scenario(workspace_id) is not None

    def last_scenario(self, workspace_id: str | None) -> dict[str, str] | None:
        """The scenario a workspace last worked on, or None if there is no such workspace."""
        if not WORKSPACE_ID.match(workspace_id or ""):
            return None
        with self.engine.connect() as db:
            row = db.execute(select(workspaces.c.scenario).where(workspaces.c.id == workspace_id)).first()
        return None if row is None else json.loads(row.scenario)

    @retried
    def append(
        self,
        workspace_id: str,
        scenario: str,
        new_actions: list[Action],
        scenario_params: dict[str, str] | None = None,
        *,
        after: int | None = None,
    ) -> int:
        """Append actions to one scenario's log as one new group; returns that log's length afterwards.

        The group lets one undo take back a whole batch. ``scenario_params`` become the
        workspace's last scenario. ``after``: the log's length the actions were chosen on; if another
        append came first (another tab, another server), nothing is written and ``LogMoved`` says so.
        A workspace in a classroom room with a challenge on this scenario has a budget of label actions, an
        append being one action however many rows it touches: past it, nothing is written and ``BudgetSpent``
        says so (checked here, under the same lock, so no page and no two tabs at once can go past it).
        """
        if not new_actions:
            raise ValueError("nothing to append")
        now = _now()
        where = (actions.c.workspace == workspace_id) & (actions.c.scenario == scenario)
        with self.locked(workspace_id) as db:
            if after is not None and db.execute(select(func.count()).where(where)).scalar_one() != after:
                raise LogMoved(f"the log has moved on since it was {after} entries long")
            self._within_budget(db, workspace_id, scenario, new_actions)
            top = db.execute(select(func.max(actions.c.grp)).where(where)).scalar()
            rows = [
                {
                    "workspace": workspace_id,
                    "scenario": scenario,
                    "kind": a.kind,
                    "item": a.item,
                    "label": a.label,
                    "grp": (top or 0) + 1,
                    "created": now,
                }
                for a in new_actions
            ]
            db.execute(insert(actions), rows)
            if scenario_params is not None:
                db.execute(
                    update(workspaces)
                    .where(workspaces.c.id == workspace_id)
                    .values(scenario=json.dumps(scenario_params))
                )
            return db.execute(select(func.count()).where(where)).scalar_one()

    @contextlib.contextmanager
    def locked(self, workspace_id: str):
        """A transaction that holds the workspace until it commits: the next group number is read and used
        with no other append in between."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect().execution_options(immediate=True) as db, db.begin():  # BEGIN IMMEDIATE
                yield db
            return
        with self.engine.begin() as db:
            db.execute(select(workspaces.c.id).where(workspaces.c.id == workspace_id).with_for_update())
            yield db

    def _within_budget(self, db, workspace_id: str, scenario: str, new_actions: list[Action]) -> None:
        room = db.execute(
            select(rooms.c.budget, rooms.c.slug)
            .join(members, members.c.room == rooms.c.code)
            .where(
                (members.c.workspace == workspace_id) & (members.c.round == rooms.c.round) & rooms.c.budget.is_not(None)
            )
        ).first()
        if room is None:
            return
        if room.slug != scenario:  # the budget is the room's scenario's: a URL must not open another to act on
            raise OffTheRoom()
        budget = room.budget
        if not any(a.kind in LABEL_ACTIONS for a in new_actions):
            return
        spent = db.execute(  # one append is one group, one action however many rows (worklog.label_actions)
            select(func.count(actions.c.grp.distinct())).where(
                (actions.c.workspace == workspace_id)
                & (actions.c.scenario == scenario)
                & actions.c.kind.in_(LABEL_ACTIONS)
            )
        ).scalar_one()
        if spent >= budget:
            raise BudgetSpent(budget, spent)

    def log(self, workspace_id: str | None, scenario: str) -> list[Action]:
        """The workspace's action log on ``scenario``, oldest first; ``[]`` for a workspace with none (or no such
        workspace)."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(actions.c.kind, actions.c.item, actions.c.label, actions.c.grp)
                .where((actions.c.workspace == workspace_id) & (actions.c.scenario == scenario))
                .order_by(actions.c.seq)
            ).all()
        return [Action(r.kind, r.item, r.label, r.grp) for r in rows]

    @retried
    def add_run(
        self, workspace_id: str, scenario: str, record: dict, scenario_params: dict[str, str] | None = None
    ) -> None:
        with self.engine.begin() as db:
            db.execute(
                insert(runs).values(
                    workspace=workspace_id,
                    scenario=scenario,
                    record=json.dumps(record),
                    accuracy=float(record["accuracy"]),
                    created=_now(),
                )
            )
            if scenario_params is not None:
                db.execute(
                    update(workspaces)
                    .where(workspaces.c.id == workspace_id)
                    .values(scenario=json.dumps(scenario_params))
                )

    def runs(self, workspace_id: str | None, scenario: str) -> list[dict]:
        """The workspace's training runs on ``scenario``, oldest first; ``[]`` for another workspace."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(runs.c.record)
                .where((runs.c.workspace == workspace_id) & (runs.c.scenario == scenario))
                .order_by(runs.c.seq)
            ).all()
        return [json.loads(r.record) for r in rows]

    @retried
    def add_event(self, workspace_id: str, topic: str, record: dict) -> None:
        with self.engine.begin() as db:
            db.execute(
                insert(events).values(workspace=workspace_id, topic=topic, record=json.dumps(record), created=_now())
            )

    def events(self, workspace_id: str | None, topic_prefix: str = "") -> list[tuple[str, dict]]:
        """The workspace's (topic, record) pairs under ``topic_prefix``, oldest first; ``[]`` for another
        workspace."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(events.c.topic, events.c.record)
                .where((events.c.workspace == workspace_id) & events.c.topic.startswith(topic_prefix))
                .order_by(events.c.seq)
            ).all()
        return [(r.topic, json.loads(r.record)) for r in rows]

    def room_logs(self, room: str, round: int, scenario: str) -> dict[str, list[Action]]:
        """Each member's action log on ``scenario`` in round ``round`` of room ``room`` (by its code), keyed by
        workspace in joining order: the instructor's reads of a class, through the room's own membership, so no
        workspace outside the room is ever read. An unknown room or round has no members: ``{}``."""
        with self.engine.connect() as db:
            found: dict[str, list[Action]] = {ws: [] for ws in self._members(db, room, round)}
            rows = db.execute(
                select(actions.c.workspace, actions.c.kind, actions.c.item, actions.c.label, actions.c.grp)
                .join(members, members.c.workspace == actions.c.workspace)
                .where(self._in_round(room, round) & (actions.c.scenario == scenario))
                .order_by(actions.c.seq)
            ).all()
        for r in rows:
            found[r.workspace].append(Action(r.kind, r.item, r.label, r.grp))
        return found

    def room_events(self, room: str, round: int, topic_prefix: str = "") -> dict[str, list[tuple[str, dict]]]:
        """Each member's ``events`` under ``topic_prefix`` in round ``round`` of room ``room``, keyed by workspace
        in joining order, oldest first within each: one query, through the room's membership (``{}`` for an
        unknown room or round)."""
        with self.engine.connect() as db:
            found: dict[str, list[tuple[str, dict]]] = {ws: [] for ws in self._members(db, room, round)}
            rows = db.execute(
                select(events.c.workspace, events.c.topic, events.c.record)
                .join(members, members.c.workspace == events.c.workspace)
                .where(self._in_round(room, round) & events.c.topic.startswith(topic_prefix))
                .order_by(events.c.seq)
            ).all()
        for r in rows:
            found[r.workspace].append((r.topic, json.loads(r.record)))
        return found

    @staticmethod
    def _in_round(room: str, round: int):
        return (members.c.room == room) & (members.c.round == round)

    def _members(self, db, room: str, round: int) -> list[str]:
        return list(
            db.execute(select(members.c.workspace).where(self._in_round(room, round)).order_by(members.c.seq)).scalars()
        )

    def add_file(self, workspace_id: str, name: str, raw: bytes, source: dict) -> str:
        """File ``raw`` under the workspace (once, whatever its name); returns its SHA-256."""
        sha = hashlib.sha256(raw).hexdigest()
        self._insert_once(blobs, blobs.c.sha == sha, sha=sha, data=raw, size=len(raw), created=_now())
        self._insert_once(
            files,
            (files.c.workspace == workspace_id) & (files.c.sha == sha),
            workspace=workspace_id,
            sha=sha,
            name=name[:255],
            source=json.dumps(source),
            created=_now(),
        )
        return sha

    @retried
    def _insert_once(self, table, where, **values) -> None:
        """Insert a row unless one matching ``where`` exists; two learners storing the same file at once is fine."""

        with self.engine.connect() as db:
            if db.execute(select(func.count()).select_from(table).where(where)).scalar_one():
                return
        try:
            with self.engine.begin() as db:
                db.execute(insert(table).values(**values))
        except IntegrityError:
            pass  # another session stored the same row between our check and our insert

    def files(self, workspace_id: str | None) -> list[dict]:
        """The workspace's files, newest first: sha, name, source, size."""
        if not workspace_id:
            return []
        with self.engine.connect() as db:
            rows = db.execute(
                select(files.c.sha, files.c.name, files.c.source, blobs.c.size)
                .join(blobs, blobs.c.sha == files.c.sha)
                .where(files.c.workspace == workspace_id)
                .order_by(files.c.seq.desc())
            ).all()
        return [{"sha": r.sha, "name": r.name, "source": json.loads(r.source), "size": r.size} for r in rows]

    def file_bytes(self, workspace_id: str | None, sha: str) -> bytes | None:
        """A file's contents, or None unless this workspace filed it."""
        with self.engine.connect() as db:
            row = db.execute(
                select(blobs.c.data)
                .join(files, files.c.sha == blobs.c.sha)
                .where((files.c.workspace == workspace_id) & (files.c.sha == sha))
            ).first()
        return None if row is None else bytes(row.data)

    def add_dataset(self, workspace_id: str, key: str, sha: str, title: str, spec: str) -> None:
        self._insert_once(
            datasets,
            (datasets.c.workspace == workspace_id) & (datasets.c.key == key),
            workspace=workspace_id,
            key=key,
            sha=sha,
            title=title[:255],
            spec=spec,
            created=_now(),
        )

    @retried
    def remove_file(self, workspace_id: str, sha: str) -> None:
        """Delete a file from a workspace with the datasets read from it (or scored on it, as their test file);
        its bytes go when no workspace has it."""
        # A spec names its test file as written by UserSpec.to_json (json.dumps: '"test_file": "<sha>"').
        uses = (datasets.c.sha == sha) | datasets.c.spec.contains(f'"test_file": "{sha}"', autoescape=True)
        with self.engine.begin() as db:
            db.execute(delete(datasets).where((datasets.c.workspace == workspace_id) & uses))
            db.execute(delete(files).where((files.c.workspace == workspace_id) & (files.c.sha == sha)))
            if db.execute(select(func.count()).select_from(files).where(files.c.sha == sha)).scalar_one() == 0:
                db.execute(delete(datasets).where(uses))
                db.execute(delete(blobs).where(blobs.c.sha == sha))

    @retried
    def remove_dataset(self, workspace_id: str, key: str) -> None:
        """Forget a dataset of this workspace (its file stays); for one that could not be prepared."""
        with self.engine.begin() as db:
            db.execute(delete(datasets).where((datasets.c.workspace == workspace_id) & (datasets.c.key == key)))

    def datasets(self, workspace_id: str | None) -> list[dict]:
        """The workspace's datasets, newest first: key, sha, title, spec (JSON text)."""
        if not workspace_id:
            return []
        with self.engine.connect() as db:
            rows = db.execute(
                select(datasets.c.key, datasets.c.sha, datasets.c.title, datasets.c.spec)
                .where(datasets.c.workspace == workspace_id)
                .order_by(datasets.c.seq.desc())
            ).all()
        return [r._asdict() for r in rows]

    def dataset(self, workspace_id: str | None, key: str) -> tuple[dict, bytes] | None:
        """The workspace's dataset ``key``: its record (``dataset_record``) and its file's contents; None unless
        this workspace filed it (another workspace's key, an unknown one, or its file gone)."""
        record = self.dataset_record(workspace_id, key)
        raw = None if record is None else self.file_bytes(workspace_id, record["sha"])
        return None if raw is None else (record, raw)

    def dataset_record(self, workspace_id: str | None, key: str) -> dict | None:
        """The workspace's dataset ``key``: its key, sha, title and spec (the file's bytes stay in the database);
        None unless this workspace filed it."""
        with self.engine.connect() as db:
            row = db.execute(
                select(datasets.c.key, datasets.c.sha, datasets.c.title, datasets.c.spec).where(
                    (datasets.c.workspace == workspace_id) & (datasets.c.key == key)
                )
            ).first()
        return None if row is None else row._asdict()

    def has_file(self, workspace_id: str | None, sha: str) -> bool:
        """Whether this workspace filed the file with SHA-256 ``sha`` (False for another workspace's file)."""
        with self.engine.connect() as db:
            return (
                db.execute(
                    select(files.c.sha).where((files.c.workspace == workspace_id) & (files.c.sha == sha)).limit(1)
                ).first()
                is not None
            )


def _connect(url: str):
    engine = new_engine(url)
    migrate(engine)
    return engine


def new_engine(url: str):
    """An engine on ``url`` set up as the store uses it (a SQLite file's folder made, its pragmas and BEGIN); the
    schema is not touched."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"  # the schema create_all made before migrations: a database without Alembic's table starts here
LOCK_ID = 0x64637000  # the PostgreSQL advisory lock two servers starting together take turns on


def migrate(engine) -> None:
    """Bring the schema to the latest revision: from an empty database, or from one made before migrations."""

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        tables = set(inspect(connection).get_table_names())
        if "workspaces" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST)
        command.upgrade(config, "head")


@contextlib.contextmanager
def migrating(engine):
    """A connection, in a transaction, that no other migration of this database runs beside: the app's ``migrate``
    and Alembic's command line (datacentric/persistence/migrations/env.py) both migrate through it."""
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
        yield connection


@contextlib.contextmanager
def _migration_lock(engine):
    """Across processes on one SQLite file: a lock file beside it (PostgreSQL locks in the transaction). filelock
    rather than fcntl, which Windows does not have."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return

    with FileLock(f"{path}.migrate.lock"):
        yield


SQLITE_SYNCHRONOUS = "FULL"  # see _sqlite_pragmas; bench/store_write.py measures it against NORMAL


def _sqlite_pragmas(connection, _record):
    connection.isolation_level = None  # the driver leaves BEGIN to _sqlite_begin, so an append can ask for IMMEDIATE
    cursor = connection.cursor()
    # WAL lets a classroom read while one learner writes; busy_timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    # FULL syncs the log at every commit, so a power cut cannot take back an action the page called saved
    # (NORMAL in WAL mode can). It costs about a millisecond per label action here (bench/store_write.py).
    cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for an append: it takes the write lock before it reads the next group number,
    so two appends at once wait for each other instead of reading the same one."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("immediate") else "BEGIN")


def _now() -> datetime:
    return datetime.now(UTC)
