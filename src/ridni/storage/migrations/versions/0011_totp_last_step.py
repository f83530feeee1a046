"""Each TOTP code is good once: the step of the last accepted code, per account.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27

Without it a code seen over someone's shoulder (or captured with the password) could be used
again within its 30-second window. Existing accounts start with no step stored, so their next
current code is accepted as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
