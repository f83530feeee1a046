"""Name search index on (token, record_id) instead of (token).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

A search for two words intersects the records of each word's token. With (token, record_id)
both lists come sorted from index-only scans and merge; with (token) alone PostgreSQL probed
the other word for every record of the rarer one. At ~1M records, case search p95 went from
~250-500 ms to ~20-40 ms (benchmarks/README.md).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_tokens_token_record_id"), ["token", "record_id"], unique=True
        )
        batch_op.drop_index(batch_op.f("ix_record_tokens_token"))


def downgrade() -> None:
    with op.batch_alter_table("record_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_tokens_token"), ["token"], unique=False)
        batch_op.drop_index(batch_op.f("ix_record_tokens_token_record_id"))
