"""Persistence through SQLAlchemy: workspaces and their action logs (SQLite file by default)."""
from __future__ import annotations

import json
import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, create_engine, event, func, insert, select,
)

from datacentric.workspace import Action

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "var" / "playground.db"
URL_ENV = "DCP_DATABASE_URL"
WORKSPACE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

metadata = MetaData()
workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("scenario", Text, nullable=False),  # JSON of the scenario's URL parameters
    Column("created", DateTime(timezone=True), nullable=False),
)
actions = Table(
    "actions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("item", Integer),
    Column("label", Integer),
    Column("grp", Integer, nullable=False, default=0),
    Column("created", DateTime(timezone=True), nullable=False),
)


def default_url() -> str:
    """The store's URL: ``$DCP_DATABASE_URL`` if set, else a SQLite file under ``var/``."""
    return os.environ.get(URL_ENV) or f"sqlite:///{DEFAULT_PATH}"


class Store:
    """Workspaces and their append-only logs. Every write is committed before it returns."""

    def __init__(self, url: str):
        self.url = url
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            self._engine = _connect(self.url)
        return self._engine

    def create_workspace(self, scenario_params: dict[str, str]) -> str:
        workspace_id = secrets.token_urlsafe(16)  # 128 bits: unguessable
        with self.engine.begin() as db:
            db.execute(insert(workspaces).values(id=workspace_id, scenario=json.dumps(scenario_params), created=_now()))
        return workspace_id

    def scenario_of(self, workspace_id: str) -> dict[str, str] | None:
        """The scenario parameters a workspace was made for, or None if there is no such workspace."""
        if not WORKSPACE_ID.match(workspace_id or ""):
            return None
        with self.engine.connect() as db:
            row = db.execute(select(workspaces.c.scenario).where(workspaces.c.id == workspace_id)).first()
        return None if row is None else json.loads(row.scenario)

    def append(self, workspace_id: str, new_actions: list[Action]) -> int:
        """Append actions to a workspace's log as one new group; returns the log length afterwards.

        The group lets one undo take back a whole batch.
        """
        if not new_actions:
            raise ValueError("nothing to append")
        now = _now()
        with self.engine.begin() as db:
            top = db.execute(select(func.max(actions.c.grp)).where(actions.c.workspace == workspace_id)).scalar()
            rows = [
                {"workspace": workspace_id, "kind": a.kind, "item": a.item, "label": a.label, "grp": (top or 0) + 1,
                 "created": now}
                for a in new_actions
            ]
            db.execute(insert(actions), rows)
            return db.execute(select(func.count()).where(actions.c.workspace == workspace_id)).scalar_one()

    def log(self, workspace_id: str) -> list[Action]:
        with self.engine.connect() as db:
            rows = db.execute(
                select(actions.c.kind, actions.c.item, actions.c.label, actions.c.grp)
                .where(actions.c.workspace == workspace_id)
                .order_by(actions.c.seq)
            ).all()
        return [Action(r.kind, r.item, r.label, r.grp) for r in rows]


def _connect(url: str):
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    # WAL lets a classroom read while one learner writes; busy_timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)
