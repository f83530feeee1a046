"""Long lists are prepared in a second process: it must write exactly what the thread writes,
hand its errors over, and never leave the run hanging or half-written when it dies."""

from __future__ import annotations

import csv
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ridni.cases.models import Record, RecordToken
from ridni.imports.models import ImportRun, ImportStatus
from ridni.imports.preparing import PreparingFailed
from ridni.imports.preview import preview
from ridni.imports.reading import open_table
from ridni.imports.runner import Options, run_import, start_run
from ridni.storage.engine import Database
from tests.imports.conftest import HEADER, ROWS, import_file, mapping, write_csv

# Ids that COPY's text format must escape, and one that spells its NULL marker. A tab is
# read as a space (cells are cleaned as forms clean them); line breaks stay as written.
AWKWARD = ["tab\there", "back\\slash", "two\nlines", "carriage\rreturn", "\\N", "кома, «лапки»"]
STORED = [ref.replace("\t", " ") for ref in AWKWARD]


def write_awkward(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
        for n, ref in enumerate(AWKWARD):
            writer.writerow([ref, f"Синтетична\\{n}", "Марія\tАнна", "", "ж", "2012", "Херсон"])
    return path


def stored(db: Database, source: str) -> dict[str, tuple[object, ...]]:
    """Each record of ``source`` by its ref: every column but the ids and times, names
    decrypted, with its blind-index tokens."""
    skip = {"id", "source_id", "created_at"}
    found: dict[str, tuple[object, ...]] = {}
    with db.session() as session:
        chosen = select(Record).join(Record.source).where(Record.source.has(title=source))
        for record in session.scalars(chosen):
            values = tuple(
                getattr(record, c.key) for c in Record.__table__.columns if c.key not in skip
            )
            tokens = frozenset(
                session.scalars(select(RecordToken.token).where(RecordToken.record_id == record.id))
            )
            found[record.source_ref] = (*values, tokens)
    return found


def test_a_process_writes_what_the_thread_writes(db: Database, tmp_path: Path) -> None:
    path = write_awkward(tmp_path / "list.csv")
    import_file(db, path, source="Thread (synthetic)")
    _found, forked = import_file(db, path, source="Process (synthetic)", in_process=True)
    assert (forked.status, forked.rows_added) == (ImportStatus.completed, len(ROWS) + 6)
    by_thread, by_process = stored(db, "Thread (synthetic)"), stored(db, "Process (synthetic)")
    assert set(by_process) == {row[0] for row in ROWS} | set(STORED)
    assert by_process == by_thread
    with db.session() as session:
        names = session.execute(
            select(Record.family_name, Record.given_name).where(Record.source_ref == "\\N")
        ).all()
    assert names == [("Синтетична\\4", "Марія Анна")] * 2, "not NULL, not unescaped"
    _found, again = import_file(db, path, source="Process (synthetic)", in_process=True)
    assert (again.rows_added, again.rows_existing) == (0, len(ROWS) + 6)


def start(db: Database, path: Path, **options: object) -> tuple[ImportRun, Options]:
    rules = mapping()
    table = open_table(path)
    chosen = Options(**{"batch_size": 2, "in_process": True, **options})  # type: ignore[arg-type]
    found = preview(table, rules)
    return start_run(db, table, rules, "Camp list (synthetic)", chosen, found.invalid), chosen


def count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Record)) or 0


def statuses(db: Database) -> list[ImportStatus]:
    with db.session() as session:
        return [run.status for run in session.scalars(select(ImportRun).order_by(ImportRun.id))]


def test_an_error_in_the_preparing_process_reaches_the_caller(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", ROWS)
    table = open_table(path)
    run, options = start(db, path)
    moved = path.rename(tmp_path / "moved.csv")  # the file goes away after the check
    with pytest.raises(FileNotFoundError, match=r"list\.csv"):
        run_import(db, table, mapping(), run, options)
    assert count(db) == 0
    assert statuses(db) == [ImportStatus.failed]
    moved.rename(path)
    _found, again = import_file(db, path, in_process=True)
    assert (again.status, again.rows_added) == (ImportStatus.completed, len(ROWS))


def test_a_preparing_process_that_dies_fails_the_run_and_a_rerun_completes(
    db: Database, tmp_path: Path
) -> None:
    rows = [[str(n), f"Синтетична{n}", "Марія", "", "ж", "2012", "Херсон"] for n in range(60)]
    path = write_csv(tmp_path / "list.csv", rows)
    run, options = start(db, path)

    def kill_it(_count: int, _run: ImportRun) -> None:  # as the out-of-memory killer would
        for child in multiprocessing.active_children():
            if child.name == "ridni-import-prepare":
                os.kill(child.pid or 0, signal.SIGKILL)

    with pytest.raises(PreparingFailed, match="stopped unexpectedly"):
        run_import(db, open_table(path), mapping(), run, options, kill_it)
    kept = count(db)
    assert 0 < kept < len(rows) and kept % 2 == 0, f"{kept}: whole batches only"
    assert statuses(db) == [ImportStatus.failed]
    assert not multiprocessing.active_children()
    _found, again = import_file(db, path, in_process=True)
    assert (again.rows_added, again.rows_existing) == (len(rows) - kept, kept)
