"""The store's tables (SQLAlchemy Core): what ``store.Store`` reads and writes, and what the migrations build."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "metadata",
    "workspaces",
    "actions",
    "runs",
    "events",
    "blobs",
    "files",
    "datasets",
    "rooms",
    "members",
    "submissions",
]

metadata = MetaData()
workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("scenario", Text, nullable=False),  # JSON of the URL parameters of the scenario last worked on
    Column("created", DateTime(timezone=True), nullable=False),
    Column("code", String(16)),  # the resume code (datacentric.persistence.resume), made when first asked for
    Column("view", String(32)),  # the read-only view token (datacentric.persistence.viewing), made when first asked for
    UniqueConstraint("code", name="workspaces_code"),
    UniqueConstraint("view", name="workspaces_view"),
)
actions = Table(
    "actions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("scenario", String(128), nullable=False),  # Scenario.slug
    Column("kind", String(16), nullable=False),
    Column("item", Integer),
    Column("label", Integer),
    Column("grp", Integer, nullable=False, default=0),
    Column("created", DateTime(timezone=True), nullable=False),
)
runs = Table(
    "runs",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("scenario", String(128), nullable=False),
    Column("record", Text, nullable=False),  # JSON: model family, hyperparameters, data, metrics, seconds
    Column("accuracy", Float, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
events = Table(  # lesson progress and quiz answers: anything else a learner does, as JSON
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("topic", String(128), nullable=False),
    Column("record", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
blobs = Table(  # file contents by SHA-256: two learners uploading the same file store it once
    "blobs",
    metadata,
    Column("sha", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
files = Table(  # a workspace's uploaded (or Hub-fetched) files
    "files",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("sha", String(64), ForeignKey("blobs.sha"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("source", Text, nullable=False),  # JSON: {"kind": "upload"} or {"kind": "hub", "name": ..., ...}
    Column("created", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace", "sha"),
)
datasets = Table(  # a file read a certain way (label column, roles): what a scenario's dataset key names
    "datasets",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("key", String(32), nullable=False),
    Column("sha", String(64), ForeignKey("blobs.sha"), nullable=False),
    Column("title", String(255), nullable=False),
    Column("spec", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace", "key"),
)
Index("actions_by_log", actions.c.workspace, actions.c.scenario, actions.c.seq)
Index("runs_by_log", runs.c.workspace, runs.c.scenario, runs.c.seq)
Index("events_by_topic", events.c.workspace, events.c.topic, events.c.seq)

# The classroom (datacentric.classroom): rooms an instructor opens, the learners in them, their scored submissions.
rooms = Table(
    "rooms",
    metadata,
    Column("code", String(16), primary_key=True),  # the join code (classroom.rooms.new_code)
    Column("name", String(80), nullable=False),
    Column("scenario", Text, nullable=False),  # JSON of the scenario's URL parameters
    Column("slug", String(128), nullable=False),  # Scenario.slug: the log a challenge counts and scores
    Column("settings", Text, nullable=False),  # JSON: task, assigned lessons, names hidden
    Column("budget", Integer),  # label actions a learner may take on the room's scenario (None: no limit)
    Column("cap", Integer),  # scored submissions per learner (None: no challenge)
    Column("minutes", Integer),  # the challenge's length once started
    Column("metric", String(32), nullable=False),
    Column("round", Integer, nullable=False),  # a reset starts a new round: fresh workspaces, no submissions
    Column("started", DateTime(timezone=True)),
    Column("ends", DateTime(timezone=True)),
    Column("revealed", Integer, nullable=False),  # 1 once the instructor revealed the private ranking
    Column("closed", Integer, nullable=False),  # 1: no one joins or submits any more (work goes on)
    Column("created", DateTime(timezone=True), nullable=False),
)
members = Table(
    "members",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("room", String(16), ForeignKey("rooms.code"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(40), nullable=False),  # the display name the learner typed: shown as text only
    Column("page", String(64)),  # where the learner was last seen
    Column("seen", DateTime(timezone=True)),
    Column("joined", DateTime(timezone=True), nullable=False),
    UniqueConstraint("workspace", name="members_workspace"),
    UniqueConstraint("room", "round", "name", name="members_name"),
)
submissions = Table(
    "submissions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("room", String(16), ForeignKey("rooms.code"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("workspace", String(64), ForeignKey("workspaces.id"), nullable=False),
    Column("version", Integer, nullable=False),  # the log's length the labels were read at
    Column("actions", Integer, nullable=False),  # label actions used by then
    Column("public", Float, nullable=False),
    Column("private", Float, nullable=False),  # never read for a learner before the reveal
    Column("created", DateTime(timezone=True), nullable=False),
)
Index("members_by_room", members.c.room, members.c.round)
Index("submissions_by_room", submissions.c.room, submissions.c.round, submissions.c.workspace)
