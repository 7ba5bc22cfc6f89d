"""The store's tables (SQLAlchemy Core): what ``store.Store`` reads and writes, and what the migrations build."""
from __future__ import annotations

from sqlalchemy import (
    Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()
workspaces = Table(
    "workspaces",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("scenario", Text, nullable=False),  # JSON of the URL parameters of the scenario last worked on
    Column("created", DateTime(timezone=True), nullable=False),
    Column("code", String(16)),  # the resume code (datacentric.resume), made when first asked for
    Column("view", String(32)),  # the read-only view token (datacentric.viewing), made when first asked for
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
