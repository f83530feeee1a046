"""Blind-index tokens as 64-bit integers, deleted with their record by a trigger.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27

A record has ~5.5 tokens, and writing them was most of what a bulk import cost PostgreSQL.
Two changes, measured on 100,000 imported records (benchmarks/README.md):

- The token is the first 64 bits of the same HMAC (security.encryption.blind_token) as a
  BIGINT instead of 128-bit hex text, a quarter of the key in both indexes. Existing tokens
  convert in place without the key: their first 16 hex digits, read as a signed number.
- The foreign key to records goes: its check locked the parent record once per token row
  (token COPY 6.5 s with it, 2.4 s without). Its ON DELETE CASCADE becomes a trigger on
  records, which costs nothing when tokens are written. On SQLite a migration that rebuilds
  `records` (batch mode) drops the trigger and must create it again (`create_trigger`).

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

FOREIGN_KEY = "fk_record_tokens_record_id_records"
TRIGGER = "record_tokens_follow_records"
FUNCTION = "ridni_delete_record_tokens"


def _as_integer(token: str | int) -> int:
    return int.from_bytes(bytes.fromhex(str(token)[:16]), "big", signed=True)


def _as_hex(token: str | int) -> str:
    return int(token).to_bytes(8, "big", signed=True).hex()


def create_trigger() -> None:
    """Deleting a record deletes its tokens (what the foreign key's cascade did)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608 (constants)
            "BEGIN DELETE FROM record_tokens WHERE record_id = OLD.id; RETURN OLD; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER DELETE ON records "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER DELETE ON records "  # noqa: S608 (constants)
            "BEGIN DELETE FROM record_tokens WHERE record_id = OLD.id; END"
        )


def _drop_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON records")
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def _rebuild_sqlite(function: Any, target: sa.types.TypeEngine[Any], foreign_key: bool) -> None:
    """SQLite cannot read hex or write it in SQL: the values are rewritten through a Python
    function on the connection, then the table is copied with the new column type."""
    raw = op.get_bind().connection.dbapi_connection
    raw.create_function("ridni_token", 1, function, deterministic=True)  # type: ignore[union-attr]
    op.execute("UPDATE record_tokens SET token = ridni_token(token)")
    with op.batch_alter_table("record_tokens", schema=None, recreate="always") as batch_op:
        batch_op.alter_column("token", type_=target, existing_nullable=False)
        if foreign_key:
            batch_op.create_foreign_key(
                FOREIGN_KEY, "records", ["record_id"], ["id"], ondelete="CASCADE"
            )
        else:
            batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FOREIGN_KEY, "record_tokens", type_="foreignkey")
        op.execute(
            "ALTER TABLE record_tokens ALTER COLUMN token TYPE BIGINT "
            "USING ('x' || substr(token, 1, 16))::bit(64)::bigint"
        )
    else:
        _rebuild_sqlite(lambda token: str(_as_integer(token)), sa.BigInteger(), foreign_key=False)
    create_trigger()


def downgrade() -> None:
    _drop_trigger()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE record_tokens ALTER COLUMN token TYPE VARCHAR(32) "
            "USING lpad(to_hex(token), 16, '0')"
        )
        op.execute(
            "DELETE FROM record_tokens t WHERE NOT EXISTS "
            "(SELECT 1 FROM records r WHERE r.id = t.record_id)"
        )
        op.create_foreign_key(
            FOREIGN_KEY, "record_tokens", "records", ["record_id"], ["id"], ondelete="CASCADE"
        )
    else:
        op.execute("DELETE FROM record_tokens WHERE record_id NOT IN (SELECT id FROM records)")
        _rebuild_sqlite(_as_hex, sa.String(length=32), foreign_key=True)
