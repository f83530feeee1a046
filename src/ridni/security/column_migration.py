"""Encrypting existing plaintext columns in place, and back, for migrations.

A column listed here is rewritten row by row with the key ring attached to the database
(``ridni.security.keyfile``); values already encrypted are left alone, so an interrupted
migration can run again. VARCHAR columns become TEXT because ciphertext is longer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from alembic import op

from ridni.security.encryption import PREFIX, decrypt, encrypt, ring_of

# (table, column, length of the plaintext VARCHAR it was or None for TEXT, nullable)
Column = tuple[str, str, int | None, bool]
SEALED = f"{PREFIX}:"  # how every encrypted value starts


def _rewrite(table: str, column: str, change: Callable[[str], str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))  # noqa: S608
    for row_id, value in rows.fetchall():
        new = change(value)
        if new != value:
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),  # noqa: S608
                {"value": new, "id": row_id},
            )


def _retype(
    table: str,
    column: str,
    old: sa.types.TypeEngine[str],
    new: sa.types.TypeEngine[str],
    nullable: bool,
) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(column, existing_type=old, type_=new, existing_nullable=nullable)


def encrypt_columns(columns: Iterable[Column]) -> None:
    ring = ring_of(op.get_bind().dialect)
    for table, column, length, nullable in columns:
        context = f"{table}.{column}"

        def seal(value: str, context: str = context) -> str:
            return value if value.startswith(SEALED) else encrypt(ring, context, value)

        _rewrite(table, column, seal)
        if length is not None:
            _retype(table, column, sa.String(length=length), sa.Text(), nullable)


def decrypt_columns(columns: Iterable[Column]) -> None:
    ring = ring_of(op.get_bind().dialect)
    for table, column, length, nullable in columns:
        context = f"{table}.{column}"

        def unseal(value: str, context: str = context) -> str:
            return decrypt(ring, context, value) if value.startswith(SEALED) else value

        _rewrite(table, column, unseal)
        if length is not None:
            _retype(table, column, sa.Text(), sa.String(length=length), nullable)
