"""`ridni import` as a user runs it: clear errors, a preview, and surviving kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import ridni.cli.imports as imports_cli
from ridni.cases.models import Record
from ridni.cli.main import app
from ridni.imports import reading
from ridni.imports.models import ImportRun, ImportStatus
from ridni.storage.engine import Database
from tests.imports.conftest import ROWS, write_csv, write_xlsx_bomb
from tests.imports.test_import import open_trace
from tests.servers import ridni

MAPPING = """\
kind: camp_list
columns:
  source_ref: "№"
  family_name: Прізвище
  given_name: Ім'я
  birth_date: Дата народження
"""


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the CLI's part is the same
def test_bad_input_ends_in_one_line_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    env = {"RIDNI_DATABASE_URL": url_of(db)}
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    bad = write_csv(tmp_path / "bad.csv", [*ROWS, ["9", "", "", "", "", "32.13.2012", ""]])
    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes(range(256)))
    for args, phrase in (
        (["missing.csv"], "does not exist"),
        ([str(binary)], "bin.csv is not a text CSV in UTF-8 or cp1251"),
        ([str(bad)], "1 row(s) cannot be imported; nothing was written"),
    ):
        done = ridni("import", *args, "-m", str(mapping), "-s", "List (synthetic)", env=env)
        assert done.returncode == 4, done.stderr
        assert done.stderr.startswith("error: "), done.stderr
        assert phrase in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
    assert "│ 6    │ no name" in done.stdout, "the preview names the bad line"
    # A source without a name is refused before the list is read (not after its preview).
    nameless = ridni("import", str(binary), "-m", str(mapping), "-s", "  ", env=env)
    assert nameless.returncode == 4, nameless.stderr
    assert nameless.stderr.startswith("error: the source needs a name"), nameless.stderr
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0
    # A dry run ends as the real run would: exit 4 on an invalid row, unless they are skipped.
    dry = ridni("import", str(bad), "-m", str(mapping), "-s", "L", "--dry-run", env=env)
    assert dry.returncode == 4, dry.stderr
    assert dry.stderr.startswith("error: 1 row(s) cannot be imported"), dry.stderr
    assert "5 rows, 4 valid, 1 with errors" in dry.stdout
    assert "Dry run: nothing was written." in dry.stdout
    args = ("import", str(bad), "-m", str(mapping), "-s", "L", "--dry-run", "--skip-invalid")
    dry = ridni(*args, env=env)
    assert dry.returncode == 0, dry.stderr


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in found.read_text().split()] if found.exists() else []


def running(pid: int) -> bool:
    """Not ended (an ended orphan may linger as a zombie, state Z, until someone reaps it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.parametrize("preparing", ["thread", "process"])
def test_killed_mid_way_leaves_whole_batches_and_a_rerun_completes(
    db: Database, tmp_path: Path, preparing: str
) -> None:
    total, batch = 6000, 100
    rows = [[str(n), f"Синтетична{n}", "Марія", "", "ж", "2012", "Херсон"] for n in range(total)]
    path = write_csv(tmp_path / "list.csv", rows)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    command = [sys.executable, "-m", "ridni", "import", str(path), "-m", str(mapping)]
    command += ["-s", "Camp list (synthetic)"]
    env = {**os.environ, "RIDNI_DATABASE_URL": url_of(db), "RIDNI_IMPORT_BATCH_SIZE": str(batch)}
    env["RIDNI_IMPORT_PROCESS_FROM"] = "0" if preparing == "process" else str(2 * total)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 2 * batch and time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("committed rows up to"):
            committed = int(line.split()[4])
    helpers = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    if preparing == "process":
        assert helpers, "a long list is prepared in a process of its own"
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(running(pid) for pid in helpers), "the preparing process outlived it"
    with db.session() as session:
        kept = session.scalar(select(func.count()).select_from(Record)) or 0
    assert 2 * batch <= kept < total, "the import should have been killed mid-way"
    assert kept % batch == 0, f"{kept} records: a partial batch is visible"
    done = ridni(*command[3:], env={"RIDNI_DATABASE_URL": url_of(db)})
    assert done.returncode == 0, done.stderr
    assert f"{total - kept} added, {kept} already there" in done.stdout.replace("\n", " ")
    with db.session() as session:
        refs = session.scalars(select(Record.source_ref)).all()
        assert sorted(refs, key=int) == [str(n) for n in range(total)]
        runs = session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [r.status for r in runs] == [ImportStatus.interrupted, ImportStatus.completed]


def test_a_long_list_with_open_traces_gets_a_hint_about_matching_later(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    monkeypatch.setattr(imports_cli, "MATCH_HINT_FROM", 3)  # "long": 3 rows and more
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = write_csv(tmp_path / "list.csv", ROWS)
    command = ["import", str(path), "-m", str(mapping), "-s", "List (synthetic)"]
    hint = "Note: each of the 4 rows will be matched against 1 open traces"
    quiet = CliRunner().invoke(app, command)
    assert quiet.exit_code == 0, quiet.output
    assert "Note:" not in quiet.output, "no open trace, nothing to warn about"
    open_trace(db)
    unmatched = CliRunner().invoke(app, [*command, "--no-match"])
    assert unmatched.exit_code == 0 and "Note:" not in unmatched.output
    matched = CliRunner().invoke(app, [*command[:-1], "Another list (synthetic)"])
    assert matched.exit_code == 0, matched.output
    assert hint in " ".join(matched.output.split())
    assert "--all-open" in matched.output


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the CLI's part is the same
def test_an_xlsx_bomb_ends_in_one_line_and_writes_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ridni import` opens a workbook as the upload page does: its declared sizes first."""
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    bomb = write_xlsx_bomb(tmp_path / "bomb.xlsx")
    command = ["import", str(bomb), "-m", str(mapping), "-s", "List (synthetic)"]
    done = CliRunner().invoke(app, command)
    assert done.exit_code == 4, done.output
    assert "error: bomb.xlsx holds a part that would unpack" in done.output
    assert "split it into smaller files" in done.output
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED", 10 << 20)
    done = CliRunner().invoke(app, command)
    assert done.exit_code == 4, done.output
    assert "bomb.xlsx would unpack to 20 MiB; an XLSX list may unpack to at most 10" in (
        " ".join(done.output.split())
    )
    assert done.exception is None or isinstance(done.exception, SystemExit)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 0
