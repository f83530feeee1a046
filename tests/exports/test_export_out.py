"""`ridni export … --out`: checked before the work, written whole or not at all, one clear line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.exports.archive import Produced
from ridni.storage.engine import Database
from tests.exports.conftest import EXPORT_PASSWORD, REASON, audit_events, world

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _list(out: Path, reason: str = REASON) -> list[str]:
    return [
        "export", "list", "--fields", "id,family_name", "--out", str(out), "--user", "caseworker",
        "--reason", reason, "--password-env", "EXPORT_SECRET",
    ]  # fmt: skip


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    world(db)
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.engine.url.render_as_string(False))
    monkeypatch.setenv("EXPORT_SECRET", EXPORT_PASSWORD)
    return CliRunner()


def _one_error(output: str, code: int, exit_code: int, *phrases: str) -> None:
    assert exit_code == code, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    for phrase in phrases:
        assert phrase in lines[0], output


def test_a_missing_folder_is_created_as_ridni_link_does(
    db: Database, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "nodir" / "deeper" / "x.zip"
    done = runner.invoke(app, _list(out))
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"PK")
    assert [p.name for p in out.parent.iterdir()] == ["x.zip"], "no .part left beside it"
    for command in ("geojson", "ftm"):
        target = tmp_path / "other" / f"x.{command}"
        done = runner.invoke(app, ["export", command, "--out", str(target)])
        assert done.exit_code == 0, done.output
        assert target.stat().st_size > 0


def test_a_directory_or_an_unwritable_place_is_refused_before_the_work(
    db: Database, runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "res"
    folder.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    for out, problem in (
        (folder, f"cannot write {folder}: it is a folder"),
        (blocker / "x.csv", f"cannot write {blocker / 'x.csv'}: Not a directory"),
    ):
        done = runner.invoke(app, _list(out))
        _one_error(done.output, 4, done.exit_code, problem)
        done = runner.invoke(
            app,
            [
                "export",
                "dossier",
                "1",
                "--out",
                str(out),
                "--user",
                "caseworker",
                "--reason",
                REASON,
                "--password-env",
                "EXPORT_SECRET",
            ],
        )
        _one_error(done.output, 4, done.exit_code, problem)
        for command in ("geojson", "ftm"):
            done = runner.invoke(app, ["export", command, "--out", str(out)])
            _one_error(done.output, 4, done.exit_code, problem)
    assert audit_events(db, "export list") == [], "refused before anything was exported"
    assert list(folder.iterdir()) == []


def test_a_reason_too_short_says_so(db: Database, runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, _list(tmp_path / "x.zip", reason="QA"))
    _one_error(done.output, 4, done.exit_code, "the reason 'QA' is too short", "at least 3")
    done = runner.invoke(app, _list(tmp_path / "x.zip", reason=" "))
    _one_error(done.output, 4, done.exit_code, "a reason is required")
    assert not (tmp_path / "x.zip").exists()


def test_an_export_failing_half_way_leaves_no_file(
    db: Database, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.zip"
    target.write_bytes(b"an earlier export")

    def chunks(_produced: Produced) -> Iterator[bytes]:
        yield b"PK half an archive"
        raise KeyboardInterrupt

    monkeypatch.setattr(Produced, "chunks", chunks)
    done = runner.invoke(app, _list(target))
    _one_error(done.output, 130, done.exit_code, "interrupted")
    assert [p.name for p in tmp_path.iterdir()] == ["x.zip"], "no .part left beside it"
    assert target.read_bytes() == b"an earlier export"


def test_a_pipe_a_device_or_the_password_file_is_refused_before_the_work(
    db: Database, runner: CliRunner, tmp_path: Path
) -> None:
    pipe = tmp_path / "x.zip"
    os.mkfifo(pipe)
    for command in (_list(pipe), ["export", "geojson", "--out", str(pipe)]):
        done = runner.invoke(app, command)
        _one_error(done.output, 4, done.exit_code, f"cannot write {pipe}: it is not a regular file")
    assert pipe.is_fifo(), "the pipe is still a pipe, not replaced by a file"
    done = runner.invoke(app, ["export", "ftm", "--out", "/dev/null"])
    _one_error(done.output, 4, done.exit_code, "cannot write /dev/null: it is not a regular file")
    secret = tmp_path / "password.txt"
    secret.write_text(EXPORT_PASSWORD, encoding="utf-8")
    command = [word for word in _list(secret) if word not in ("--password-env", "EXPORT_SECRET")]
    done = runner.invoke(app, [*command, "--password-file", str(secret)])
    _one_error(done.output, 4, done.exit_code, f"cannot write {secret}: it is also an input")
    assert secret.read_text(encoding="utf-8") == EXPORT_PASSWORD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["password.txt", "x.zip"]
    assert audit_events(db, "export list") == [], "refused before anything was exported"


def _with_password_file(out: Path, secret: Path) -> list[str]:
    command = [word for word in _list(out) if word not in ("--password-env", "EXPORT_SECRET")]
    return [*command, "--password-file", str(secret)]


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (
            b"\xff\xfe" + "long enough secret words".encode("utf-16-le"),
            "is not a text file in UTF-8",
        ),
        (b"x" * 10_000_000, "is too long for a password"),
    ],
    ids=["utf-16", "huge"],
)
def test_a_password_file_that_is_no_password_is_refused_in_one_line(
    db: Database, runner: CliRunner, tmp_path: Path, content: bytes, phrase: str
) -> None:
    # A file not in UTF-8 was a UnicodeDecodeError traceback; /dev/zero (or any huge file)
    # was read whole, until the process was killed for its memory.
    secret = tmp_path / "password.txt"
    secret.write_bytes(content)
    out = tmp_path / "x.zip"
    done = runner.invoke(app, _with_password_file(out, secret))
    _one_error(done.output, 4, done.exit_code, phrase)
    assert not out.exists() and audit_events(db, "export list") == []


def test_a_password_file_from_windows_notepad_gives_the_password_as_typed(
    db: Database, runner: CliRunner, tmp_path: Path
) -> None:
    # Notepad's byte-order mark was kept as the password's first character: the archive
    # then opened with no password anyone knew.
    import pyzipper

    secret = tmp_path / "password.txt"
    secret.write_bytes(b"\xef\xbb\xbf" + EXPORT_PASSWORD.encode() + b"\r\nsecond line\r\n")
    out = tmp_path / "x.zip"
    done = runner.invoke(app, _with_password_file(out, secret))
    assert done.exit_code == 0, done.output
    with pyzipper.AESZipFile(out) as archive:
        archive.setpassword(EXPORT_PASSWORD.encode())
        name = archive.namelist()[0]
        assert archive.read(name).startswith(b"\xef\xbb\xbfid,family_name")
