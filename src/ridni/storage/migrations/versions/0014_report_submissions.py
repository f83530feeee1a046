"""Tracing requests remember the form they came from, so a report sent twice is kept once.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27

A double click, a refresh or "send again" after a slow answer posted the same report twice and
registered the child twice. Each report form now carries a random submission key; the request
keeps its hash, unique. Existing requests have none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tracing_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submission_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_tracing_requests_submission_hash"), ["submission_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tracing_requests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_tracing_requests_submission_hash"), type_="unique")
        batch_op.drop_column("submission_hash")
