"""`ridni backup` and `ridni restore` with awkward paths: one clear line, no stray files."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ridni.security.backup as backup_module
from ridni.cli.main import app
from ridni.errors import InputError
from ridni.security import keys
from ridni.security.backup import create_backup
from ridni.storage.engine import Database
from ridni.storage.migrate import upgrade
from tests.helpers import TEST_KEYS


@pytest.fixture
def database(empty_sqlite: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Database:
    upgrade(empty_sqlite)
    monkeypatch.setenv("RIDNI_DATABASE_URL", empty_sqlite.url.render_as_string(hide_password=False))
    monkeypatch.setenv("RIDNI_DATA_DIR", str(tmp_path / "data"))
    return empty_sqlite


def _one_line(output: str, start: str, *phrases: str) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    assert "Traceback" not in output
    assert lines[-1].startswith(start), output
    for phrase in phrases:
        assert phrase in lines[-1], output


def test_a_directory_given_gets_a_dated_backup_inside_it(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "bdir"
    folder.mkdir()
    made = CliRunner().invoke(app, ["backup", str(folder)])
    assert made.exit_code == 0, made.output
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].name.endswith(".ridni-backup"), written
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.part"))


def test_the_partial_file_is_private_from_the_start_and_removed_on_ctrl_c(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "b.ridni-backup"
    modes: list[int] = []

    def interrupted(_ring: Any, _source: Any, out: Any) -> None:
        out.write(b"half a backup")
        out.flush()
        modes.append(stat.S_IMODE(target.with_suffix(".ridni-backup.part").stat().st_mode))
        raise KeyboardInterrupt

    monkeypatch.setattr(backup_module, "encrypt_stream", interrupted)
    made = CliRunner().invoke(app, ["backup", str(target)])
    assert made.exit_code == 130, made.output
    _one_line(made.output, "error: interrupted", "no backup was written")
    assert modes == [0o600]
    assert list(tmp_path.glob("b.*")) == []


def test_a_backup_that_cannot_be_written_is_one_line(database: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    made = CliRunner().invoke(app, ["backup", str(blocker / "b.ridni-backup")])
    assert made.exit_code == 4, made.output
    _one_line(made.output, "error: ", f"cannot write {blocker / 'b.ridni-backup'}")


def test_restoring_a_missing_file_is_one_line(database: Database, tmp_path: Path) -> None:
    for source, problem in (
        (tmp_path / "nope.bak", "No such file or directory"),
        (tmp_path, "Is a directory"),
    ):
        refused = CliRunner().invoke(app, ["restore", str(source)])
        assert refused.exit_code == 4, refused.output
        _one_line(refused.output, "error: ", f"cannot read {source}: {problem}")


def test_a_pipe_the_database_or_the_key_file_is_refused_not_replaced(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file, database_file = tmp_path / "keys.json", tmp_path / "ridni.sqlite3"
    keys.save(TEST_KEYS, key_file)
    monkeypatch.delenv("RIDNI_KEYS")
    monkeypatch.setenv("RIDNI_KEY_FILE", str(key_file))
    kept = {path: path.read_bytes() for path in (key_file, database_file)}
    pipe = tmp_path / "pipe.ridni-backup"
    os.mkfifo(pipe)
    for target, problem in (
        (pipe, "it is not a regular file (a device or a pipe)"),
        (key_file, "it is also an input"),
        (database_file, "it is also an input"),
    ):
        made = CliRunner().invoke(app, ["backup", str(target)])
        assert made.exit_code == 4, made.output
        _one_line(made.output, "error: ", f"cannot write {target}: {problem}")
    assert pipe.is_fifo(), "the pipe is still a pipe"
    assert {path: path.read_bytes() for path in kept} == kept
    assert not list(tmp_path.rglob("*.part"))


def test_a_folder_given_to_create_backup_is_refused(database: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=f"cannot write {tmp_path}: it is a folder"):
        create_backup(database, TEST_KEYS, tmp_path / "data", tmp_path)
    assert not list(tmp_path.rglob("*.part")) and not list(tmp_path.rglob("*.ridni-backup"))


def test_restoring_a_device_or_a_file_without_line_breaks_is_one_line(
    database: Database, tmp_path: Path
) -> None:
    # The magic line was read with an unbounded readline: /dev/zero hung until memory ran
    # out, and a backup's magic followed by megabytes without a line break was read whole.
    odd = tmp_path / "odd.ridni-backup"
    odd.write_bytes(backup_module.MAGIC + b"{" * (backup_module.MAX_HEADER + 10))
    for source in (Path("/dev/zero"), odd):
        refused = CliRunner().invoke(app, ["restore", str(source)])
        assert refused.exit_code == 4, refused.output
        _one_line(refused.output, "error: ", f"{source} is not a Ridni backup")


def test_restoring_without_the_key_file_is_one_line_and_leaves_no_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    backup = tmp_path / "ridni.bak"
    backup.write_text("not read: the keys are checked first\n", encoding="utf-8")
    data = tmp_path / "new-data"
    monkeypatch.delenv("RIDNI_DATABASE_URL", raising=False)
    monkeypatch.delenv("RIDNI_KEYS", raising=False)
    monkeypatch.setenv("RIDNI_DATA_DIR", str(data))
    monkeypatch.setenv("RIDNI_KEY_FILE", str(data / "keys.json"))
    refused = CliRunner().invoke(app, ["restore", str(backup)])
    assert refused.exit_code == 2, refused.output
    _one_line(refused.output, "error: the key file", "is missing", "restore")
    assert not any(data.rglob("*.sqlite3")), "no empty database left behind"


def test_restoring_a_damaged_backup_is_one_line_and_leaves_no_database(
    database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    backup = tmp_path / "ridni.ridni-backup"
    create_backup(database, TEST_KEYS, tmp_path / "data", backup)
    damaged = tmp_path / "damaged.ridni-backup"
    whole = bytearray(backup.read_bytes())
    whole[-5] ^= 0x01  # one bit changed in the last chunk's authentication tag
    damaged.write_bytes(bytes(whole))
    new = tmp_path / "new"
    monkeypatch.setenv("RIDNI_DATABASE_URL", f"sqlite:///{new / 'ridni.sqlite3'}")
    monkeypatch.setenv("RIDNI_DATA_DIR", str(new))
    new.mkdir()
    refused = CliRunner().invoke(app, ["restore", str(damaged)])
    assert refused.exit_code != 0, refused.output
    _one_line(refused.output, "error: ", "was altered")
    assert not list(new.glob("ridni.sqlite3*")), "no empty database left behind"
    restored = CliRunner().invoke(app, ["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
