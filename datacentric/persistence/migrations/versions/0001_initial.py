"""The schema as the store made it before migrations (``metadata.create_all``): the starting point.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("created", WHEN, nullable=False),
    )
    op.create_table(
        "actions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("scenario", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("item", sa.Integer),
        sa.Column("label", sa.Integer),
        sa.Column("grp", sa.Integer, nullable=False),
        sa.Column("created", WHEN, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("scenario", sa.String(128), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("accuracy", sa.Float, nullable=False),
        sa.Column("created", WHEN, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("topic", sa.String(128), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("created", WHEN, nullable=False),
    )
    op.create_table(
        "blobs",
        sa.Column("sha", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("created", WHEN, nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("sha", sa.String(64), sa.ForeignKey("blobs.sha"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created", WHEN, nullable=False),
        sa.UniqueConstraint("workspace", "sha"),
    )
    op.create_table(
        "datasets",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("sha", sa.String(64), sa.ForeignKey("blobs.sha"), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created", WHEN, nullable=False),
        sa.UniqueConstraint("workspace", "key"),
    )
    op.create_index("actions_by_log", "actions", ["workspace", "scenario", "seq"])
    op.create_index("runs_by_log", "runs", ["workspace", "scenario", "seq"])
    op.create_index("events_by_topic", "events", ["workspace", "topic", "seq"])


def downgrade() -> None:
    for table in ("datasets", "files", "blobs", "events", "runs", "actions", "workspaces"):
        op.drop_table(table)
