"""Blind-index tokens as 64-bit integers instead of 128-bit hex text.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27

A record has ~5.5 tokens, each in the primary key and the (token, record_id) index: as
varchar(32) they were most of what a bulk import cost PostgreSQL (500,000 token rows: 10.4 s
as text, 5.7 s as BIGINT, same load; benchmarks/README.md). The new token is the first 64 bits
of the same HMAC (security.encryption.blind_token), so existing tokens convert in place
without the key: the first 16 hex digits, read as a signed 64-bit number.

Downgrading gives 16-digit hex text that the older code does not produce: run
`ridni keys reindex` with that code afterwards so name search finds everything again.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _as_integer(token: str | int) -> int:
    return int.from_bytes(bytes.fromhex(str(token)[:16]), "big", signed=True)


def _as_hex(token: str | int) -> str:
    return int(token).to_bytes(8, "big", signed=True).hex()


def _convert_sqlite(function: Any, target: sa.types.TypeEngine[Any]) -> None:
    """SQLite cannot read hex or write it in SQL: the values are rewritten through a Python
    function on the connection, then the column's type changes with a table copy."""
    raw = op.get_bind().connection.dbapi_connection
    raw.create_function("ridni_token", 1, function, deterministic=True)  # type: ignore[union-attr]
    op.execute("UPDATE record_tokens SET token = ridni_token(token)")
    with op.batch_alter_table("record_tokens", schema=None, recreate="always") as batch_op:
        batch_op.alter_column("token", type_=target, existing_nullable=False)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE record_tokens ALTER COLUMN token TYPE BIGINT "
            "USING ('x' || substr(token, 1, 16))::bit(64)::bigint"
        )
    else:
        _convert_sqlite(lambda token: str(_as_integer(token)), sa.BigInteger())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE record_tokens ALTER COLUMN token TYPE VARCHAR(32) "
            "USING lpad(to_hex(token), 16, '0')"
        )
    else:
        _convert_sqlite(_as_hex, sa.String(length=32))
