"""The classroom: rooms, their members and the challenge's submissions (``datacentric.classroom``).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("slug", sa.String(128), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("budget", sa.Integer),
        sa.Column("cap", sa.Integer),
        sa.Column("minutes", sa.Integer),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("started", sa.DateTime(timezone=True)),
        sa.Column("ends", sa.DateTime(timezone=True)),
        sa.Column("revealed", sa.Integer, nullable=False),
        sa.Column("closed", sa.Integer, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room", sa.String(16), sa.ForeignKey("rooms.code"), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("page", sa.String(64)),
        sa.Column("seen", sa.DateTime(timezone=True)),
        sa.Column("joined", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace", name="members_workspace"),
        sa.UniqueConstraint("room", "round", "name", name="members_name"),
    )
    op.create_table(
        "submissions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room", sa.String(16), sa.ForeignKey("rooms.code"), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("workspace", sa.String(64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("actions", sa.Integer, nullable=False),
        sa.Column("public", sa.Float, nullable=False),
        sa.Column("private", sa.Float, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("members_by_room", "members", ["room", "round"])
    op.create_index("submissions_by_room", "submissions", ["room", "round", "workspace"])


def downgrade() -> None:
    op.drop_index("submissions_by_room", "submissions")
    op.drop_index("members_by_room", "members")
    op.drop_table("submissions")
    op.drop_table("members")
    op.drop_table("rooms")
