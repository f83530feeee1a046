"""Encrypted backups, taken consistently while the app runs, and their restore.

A backup is one file: ``RIDNI-BACKUP-1`` and a JSON header line, then an encrypted stream
(see :mod:`ridni.security.files`) of JSON lines — every row of every table as stored (encrypted
columns stay encrypted) — followed by the sealed evidence originals. Rows are read in one
transaction (a snapshot: SQLite's WAL reader, PostgreSQL's REPEATABLE READ).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, Text, func, inspect, select, text, type_coerce

import ridni.models  # noqa: F401  (every table)
from ridni.errors import InputError
from ridni.output_file import check_output, writing_whole
from ridni.security.encryption import Encrypted, Sealed
from ridni.security.files import decrypt_stream, encrypt_stream
from ridni.security.keys import KeyRing
from ridni.storage.base import Base
from ridni.storage.engine import Database
from ridni.storage.migrate import current_revision, downgrade, known_revision, upgrade

MAGIC = b"RIDNI-BACKUP-1\n"
MAX_HEADER = 1 << 20  # the JSON line after the magic: a few hundred bytes
Progress = Callable[[str, int], None]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def _columns(table: Table) -> list[Any]:
    """The table's columns, encrypted ones read as stored (ciphertext), not decrypted."""
    return [
        type_coerce(column, Text()).label(column.name)
        if isinstance(column.type, Encrypted)
        else column
        for column in table.columns
    ]


def _lines(connection: Connection, data_dir: Path, progress: Progress | None) -> Iterator[bytes]:
    yield json.dumps({"revision": _revision(connection)}).encode() + b"\n"
    for table in Base.metadata.sorted_tables:
        count = 0
        for row in connection.execute(select(*_columns(table))).mappings():
            record = {"t": table.name, "r": {k: _encode(v) for k, v in row.items()}}
            yield json.dumps(record, ensure_ascii=False, default=str).encode() + b"\n"
            count += 1
        if progress:
            progress(table.name, count)
    originals = data_dir / "evidence" / "originals"
    for path in sorted(originals.rglob("*")) if originals.is_dir() else []:
        if path.is_file():
            relative = path.relative_to(data_dir).as_posix()
            content = base64.b64encode(path.read_bytes()).decode("ascii")
            yield json.dumps({"f": relative, "b": content}).encode() + b"\n"


def _revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _Joined(io.RawIOBase):
    """An iterator of byte strings, readable as a stream."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        self.parts, self.buffer = parts, b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.buffer += part
        if size < 0:
            size = len(self.buffer)
        chunk, self.buffer = self.buffer[:size], self.buffer[size:]
        return chunk


def create_backup(
    db: Database,
    ring: KeyRing,
    data_dir: Path,
    target: Path,
    progress: Progress | None = None,
    *,
    inputs: Iterable[Path] = (),
) -> None:
    """Write an encrypted backup of the database and the evidence originals to ``target``.

    ``target`` is checked first (:func:`ridni.output_file.check_output`): not the SQLite
    database nor one of ``inputs`` (the key file), which it would replace. It is written to
    ``TARGET.part``, readable by its owner only from its first byte, and renamed when complete;
    a failure or Ctrl-C removes the ``.part``, so what exists under ``target`` is always a whole
    backup."""
    database = [db.sqlite_file] if db.sqlite_file else []
    check_output(target, [*inputs, *database])
    with (
        writing_whole(target, mode=0o600) as out,
        db.engine.connect() as connection,
    ):
        if not db.is_sqlite:
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        header = {
            "format": 1,
            "key": ring.primary,
            "database": db.engine.dialect.name,
            "created": datetime.now().astimezone().isoformat(),
        }
        out.write(MAGIC + json.dumps(header).encode() + b"\n")
        encrypt_stream(ring, _Joined(_lines(connection, data_dir, progress)), out)
        connection.rollback()


def check_readable(source: Path) -> None:
    """Refuse, in one line, a backup file that cannot be opened or is not a Ridni backup."""
    try:
        with source.open("rb") as handle:
            # At most the magic's length: /dev/zero or a large file with no line break
            # given by mistake was read whole, hanging until memory ran out.
            first = handle.readline(len(MAGIC))
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    if first != MAGIC:
        raise InputError(f"{source} is not a Ridni backup")


def _read(ring: KeyRing, source: Path) -> Iterator[dict[str, Any]]:
    with source.open("rb") as handle:
        if handle.readline(len(MAGIC)) != MAGIC:
            raise InputError(f"{source} is not a Ridni backup")
        # The header, for people: the stream says the rest.
        if not handle.readline(MAX_HEADER).endswith(b"\n"):
            raise InputError(f"{source} is not a Ridni backup")
        buffer = b""
        for chunk in decrypt_stream(ring, handle, str(source)):
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for line in complete:
                if line:
                    yield json.loads(line)


def restore_backup(
    db: Database, ring: KeyRing, source: Path, data_dir: Path, progress: Progress | None = None
) -> int:
    """Restore into an empty database (and data directory); return the rows restored.

    The whole backup is decrypted and read once before anything is written, so a damaged,
    cut-short or foreign file is refused with the database and the data directory as they
    were. Should writing still fail (the disk fills, the server goes away), the rows are
    rolled back, the evidence files written are removed and a database that was new is
    taken back to empty, so the restore can simply be run again."""
    check_readable(source)
    was_new = current_revision(db) is None
    if not was_new and _has_rows(db):
        raise InputError(
            "the target database is not empty",
            "restore into a new database (or a new RIDNI_DATA_DIR)",
        )
    revision = _check_whole(ring, source, data_dir)
    written: list[Path] = []
    try:
        upgrade(db, revision or "base")
        restored = _restore_rows(db, ring, source, data_dir, written, progress)
        upgrade(db)  # a backup from an older version is brought up to date
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if was_new:
            downgrade(db, "base")
        raise
    return restored


def _check_whole(ring: KeyRing, source: Path, data_dir: Path) -> str | None:
    """Read the whole backup without writing anything; return its schema revision."""
    tables = {table.name for table in Base.metadata.sorted_tables}
    foreign = InputError(f"{source} holds a line this version cannot restore")
    items = _read(ring, source)
    try:
        first = next(items, None)
        if not isinstance(first, dict) or "revision" not in first:
            raise InputError(f"{source} holds no database")
        revision = first["revision"]
        if revision is not None and not known_revision(revision):
            raise InputError(
                f"{source} was written by a newer version of Ridni (revision {revision})",
                "restore it with that version or a later one",
            )
        for item in items:
            if "f" in item:
                _inside(data_dir, item["f"])
                if not isinstance(item.get("b"), str):
                    raise foreign
            elif item.get("t") not in tables or not isinstance(item.get("r"), dict):
                raise foreign
    except (ValueError, KeyError, TypeError):  # JSON that decrypted but is not ours
        raise foreign from None
    return revision  # type: ignore[no-any-return]


def _restore_rows(
    db: Database,
    ring: KeyRing,
    source: Path,
    data_dir: Path,
    written: list[Path],
    progress: Progress | None,
) -> int:
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    items = _read(ring, source)
    next(items)  # the revision, read by _check_whole
    restored = 0
    with db.engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        current: str | None = None
        for item in items:
            if "f" in item:
                written.append(_write_file(data_dir, item["f"], base64.b64decode(item["b"])))
                continue
            if item["t"] != current and batch and current:
                restored += _insert(connection, tables[current], batch, progress)
                batch = []
            current = item["t"]
            batch.append({k: _decode(v) for k, v in item["r"].items()})
        if batch and current:
            restored += _insert(connection, tables[current], batch, progress)
        if not db.is_sqlite:
            _reset_sequences(connection, tables.values())
    return restored


def _insert(
    connection: Connection, table: Table, rows: list[dict[str, Any]], progress: Progress | None
) -> int:
    encrypted = {c.name for c in table.columns if isinstance(c.type, Encrypted)}
    for row in rows:
        for name in encrypted & row.keys():
            if row[name] is not None:
                row[name] = Sealed(row[name])  # already ciphertext: store as it is
    connection.execute(table.insert(), rows)
    if progress:
        progress(table.name, len(rows))
    return len(rows)


def _reset_sequences(connection: Connection, tables: Any) -> None:
    for table in tables:
        key = table.c.get("id")
        if key is not None and key.autoincrement and len(table.primary_key.columns) == 1:
            top = connection.execute(select(func.max(key))).scalar()
            if top:
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {int(top)})")
                )


def _inside(data_dir: Path, relative: str) -> Path:
    target = (data_dir / relative).resolve()
    if data_dir.resolve() not in target.parents:
        raise InputError(f"the backup names a file outside the data directory: {relative}")
    return target


def _write_file(data_dir: Path, relative: str, content: bytes) -> Path:
    target = _inside(data_dir, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    with writing_whole(target, mode=0o440) as out:
        out.write(content)
    return target


def _has_rows(db: Database) -> bool:
    with db.engine.connect() as connection:
        for table in ("children", "records", "users", "audit_events"):
            if connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():  # noqa: S608
                return True
    return False
