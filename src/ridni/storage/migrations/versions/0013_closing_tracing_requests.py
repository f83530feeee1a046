"""Tracing requests can be closed and reopened: why, and since when.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27

Matching already compared new records only with open requests, but nothing could close one:
a family that withdrew consent, or a child back home, kept raising questions. Existing
requests stay open.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tracing_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tracing_requests", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("closed_reason")
