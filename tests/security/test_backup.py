"""Backups: encrypted, complete, and restored identical — including the audit chain."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ridni.audit.chain import record, verify
from ridni.cli.main import app
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.errors import InputError
from ridni.evidence.models import FileRole
from ridni.evidence.service import Upload
from ridni.evidence.store import EvidenceStore
from ridni.security.backup import MAGIC, _columns, create_backup, restore_backup
from ridni.security.files import FileIntegrityError, encrypt_stream
from ridni.storage.base import Base
from ridni.storage.engine import Database
from ridni.storage.migrate import current_revision, upgrade
from ridni.tracing.intake import receive
from ridni.tracing.models import Channel
from ridni.tracing.report_form import validate
from tests.conftest import PostgresServer, fresh_database
from tests.helpers import TEST_KEYS
from tests.tracing.conftest import REPORT

PHONE = "+380 99 765 4321"
PNG = b"\x89PNG\r\n\x1a\n" + b"synthetic photo" * 20


def _fill(db: Database, data_dir: Path) -> None:
    load_dataset(db, generate(60, seed=4))
    report = validate({**REPORT, "inquirer_contact": PHONE}).report
    assert report is not None
    store = EvidenceStore(data_dir, max_bytes=10_000, extensions=frozenset({"png"}), ring=TEST_KEYS)
    with db.session() as session:
        receive(
            session,
            report,
            channel=Channel.public_form,
            store=store,
            photos=[Upload(FileRole.original, "boy.png", io.BytesIO(PNG))],
        )
        record(session, "read /children/{child_id}", actor="olena", reason="tracing")


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as connection:
        return {
            table.name: sorted(
                (
                    tuple(str(v) for v in row)
                    for row in connection.execute(select(*_columns(table)))
                ),
            )
            for table in Base.metadata.sorted_tables
        }


def test_a_backup_restores_identical(
    db: Database, backend: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    _fill(db, source_dir)
    backup = tmp_path / "ridni.ridni-backup"
    create_backup(db, TEST_KEYS, source_dir, backup)
    raw = backup.read_bytes()
    for secret in (PHONE, "Шевченко", "Миколайович", "synthetic photo"):
        assert secret.encode() not in raw, "the backup is encrypted"
    (tmp_path / "restored").mkdir()
    target = fresh_database(backend, postgres_server, tmp_path / "restored")
    try:
        rows = restore_backup(target, TEST_KEYS, backup, target_dir)
        assert rows > 200
        assert _snapshot(target) == _snapshot(db)
        with target.session() as session:
            assert verify(session)[1] == [], "the audit chain survives the restore"
        photos = list((target_dir / "evidence" / "originals").rglob("*"))
        assert any(p.is_file() for p in photos)
        with pytest.raises(InputError, match="not empty"):
            restore_backup(target, TEST_KEYS, backup, target_dir)
    finally:
        target.dispose()


def test_backup_and_restore_commands(
    empty_sqlite: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = empty_sqlite
    upgrade(db)
    _fill(db, tmp_path / "data")
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    runner = CliRunner()
    made = runner.invoke(app, ["backup", str(tmp_path / "b.ridni-backup")])
    assert made.exit_code == 0, made.output
    target = tmp_path / "restored.sqlite3"
    monkeypatch.setenv("RIDNI_DATABASE_URL", f"sqlite:///{target}")
    monkeypatch.setenv("RIDNI_DATA_DIR", str(tmp_path / "restored-data"))
    restored = runner.invoke(app, ["restore", str(tmp_path / "b.ridni-backup")])
    assert restored.exit_code == 0, restored.output
    listed = runner.invoke(app, ["cases", "list", "Aleksandr Shevchenko"])
    assert "1 children" in listed.output
    bogus = tmp_path / "bogus.ridni-backup"
    bogus.write_bytes(b"not a backup")
    monkeypatch.setenv("RIDNI_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    refused = runner.invoke(app, ["restore", str(bogus)])
    assert refused.exit_code == 4 and "is not a Ridni backup" in refused.output


def _cut_short(backup: Path, tmp_path: Path) -> Path:
    """``backup`` with its last bytes lost, as a copy interrupted near its end leaves it."""
    damaged = tmp_path / "damaged.ridni-backup"
    damaged.write_bytes(backup.read_bytes()[:-10])
    return damaged


def test_a_damaged_backup_is_refused_leaving_the_new_database_and_folder_as_they_were(
    db: Database, backend: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    _fill(db, source_dir)
    # Evidence comes last in a backup: a small file, then one spanning several 1 MiB chunks,
    # so the damage at the end is read after the rows and the first file.
    originals = source_dir / "evidence" / "originals"
    (originals / "a-small.bin").write_bytes(b"synthetic")
    (originals / "b-large.bin").write_bytes(os.urandom(3 << 20))
    backup = tmp_path / "ridni.ridni-backup"
    create_backup(db, TEST_KEYS, source_dir, backup)
    (tmp_path / "restored").mkdir()
    target = fresh_database(backend, postgres_server, tmp_path / "restored")
    try:
        with pytest.raises(FileIntegrityError, match=r"altered|cut short"):
            restore_backup(target, TEST_KEYS, _cut_short(backup, tmp_path), target_dir)
        assert current_revision(target) is None, "the new database is left empty"
        assert not [p for p in target_dir.rglob("*") if p.is_file()], "no evidence file left"
        # Nothing half-restored stands in the way of the intact copy.
        assert restore_backup(target, TEST_KEYS, backup, target_dir) > 200
        assert _snapshot(target) == _snapshot(db)
    finally:
        target.dispose()


def _sealed_backup(path: Path, lines: list[dict[str, Any]]) -> Path:
    """A backup file holding ``lines``, encrypted with the test keys as a real one is."""
    body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    with path.open("wb") as out:
        out.write(MAGIC + b"{}\n")
        encrypt_stream(TEST_KEYS, io.BytesIO(body), out)
    return path


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([{"revision": "9999_from_the_future"}], "newer version of Ridni"),
        ([{"revision": None}, {"t": "no_such_table", "r": {}}], "cannot restore"),
        ([{"revision": None}, {"t": "children", "r": "not a row"}], "cannot restore"),
        ([{"revision": None}, {"f": "../../outside", "b": ""}], "outside the data directory"),
        ([{"revision": None}, {"f": "evidence/originals/x"}], "cannot restore"),
        ([["not", "a", "revision"]], "holds no database"),
    ],
)
def test_a_backup_this_version_cannot_restore_is_refused_before_writing(
    empty_sqlite: Database, tmp_path: Path, lines: list[Any], message: str
) -> None:
    backup = _sealed_backup(tmp_path / "odd.ridni-backup", lines)
    with pytest.raises(InputError, match=message):
        restore_backup(empty_sqlite, TEST_KEYS, backup, tmp_path / "data")
    assert current_revision(empty_sqlite) is None
    assert not (tmp_path / "data").exists()
