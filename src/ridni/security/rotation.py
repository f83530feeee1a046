"""Key rotation: re-encrypt every encrypted value under a new key; rebuild blind indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Table,
    Text,
    delete,
    insert,
    literal,
    select,
    type_coerce,
    update,
)

import ridni.models  # noqa: F401  (every table, so no encrypted column is missed)
from ridni.cases.models import Record, RecordToken
from ridni.security.blind_index import record_tokens
from ridni.security.encryption import Encrypted, decrypt, encrypt, key_id
from ridni.security.keys import KeyRing
from ridni.storage.base import Base

BATCH = 2000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class EncryptedColumn:
    table: Table
    column: Column[str]
    context: str


def encrypted_columns() -> list[EncryptedColumn]:
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Encrypted):
                found.append(EncryptedColumn(table, column, column.type.context))
    return found


def _raw(connection: Connection, item: EncryptedColumn) -> Iterator[tuple[int, str]]:
    """Stored values as they are on disk (the column type would decrypt them)."""
    key = item.table.c.id
    last = 0
    while True:
        # Read the column as plain text: the stored ciphertext, not the decrypted value.
        rows = connection.execute(
            select(key, type_coerce(item.column, Text()))
            .where(key > last, item.column.is_not(None))
            .order_by(key)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row_id, value in rows:
            yield int(row_id), str(value)
        last = int(rows[-1][0])


def reencrypt(
    connection: Connection, old: KeyRing, new: KeyRing, progress: Progress | None = None
) -> int:
    """Re-encrypt every value not yet under ``new``'s primary key; return how many changed."""
    changed = 0
    for item in encrypted_columns():
        for row_id, stored in list(_raw(connection, item)):
            if key_id(stored) == new.primary:
                continue
            sealed = encrypt(new, item.context, decrypt(old, item.context, stored))
            # A plain-text literal: the column's own type would encrypt it a second time.
            connection.execute(
                update(item.table)
                .where(item.table.c.id == row_id)
                .values({item.column.name: literal(sealed, Text())})
            )
            changed += 1
        if progress:
            progress(item.context, changed)
    return changed


def keys_in_use(connection: Connection) -> set[str]:
    used: set[str] = set()
    for item in encrypted_columns():
        used.update(filter(None, (key_id(stored) for _id, stored in _raw(connection, item))))
    return used


def rebuild_tokens(connection: Connection, ring: KeyRing, progress: Progress | None = None) -> int:
    """Recompute every record's blind-index tokens with ``ring``'s blind-index key."""
    connection.execute(delete(RecordToken))
    count = 0
    last = 0
    while True:
        rows = connection.execute(
            select(Record.id, Record.given_name, Record.family_name, Record.patronymic)
            .where(Record.id > last)
            .order_by(Record.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return count
        values = [
            {"record_id": row_id, "token": token}
            for row_id, given, family, patronymic in rows
            for token in sorted(record_tokens(ring, given, family, patronymic))
        ]
        if values:
            connection.execute(insert(RecordToken), values)
        count += len(rows)
        last = int(rows[-1][0])
        if progress:
            progress("record_tokens", count)
