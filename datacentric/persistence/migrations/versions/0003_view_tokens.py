"""Read-only view links: each workspace can be shown, never changed, through a token
(``datacentric.persistence.viewing``).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.add_column(sa.Column("view", sa.String(32), nullable=True))
        table.create_unique_constraint("workspaces_view", ["view"])


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.drop_constraint("workspaces_view", type_="unique")
        table.drop_column("view")
