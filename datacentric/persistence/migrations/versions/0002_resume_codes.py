"""Resume codes: each workspace can be reached from another device by a short code (``datacentric.persistence.resume``).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.add_column(sa.Column("code", sa.String(16), nullable=True))
        table.create_unique_constraint("workspaces_code", ["code"])


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as table:
        table.drop_constraint("workspaces_code", type_="unique")
        table.drop_column("code")
