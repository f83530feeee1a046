"""Ctrl-C during `ridni import`: the batch in progress is rolled back, the run is recorded as
interrupted, and one line says how much was kept — never a traceback, never a lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from ridni.cases.models import Record
from ridni.imports.models import ImportRun, ImportStatus
from ridni.storage.engine import Database
from tests.helpers import TEST_KEYS
from tests.imports.conftest import write_csv
from tests.imports.test_import_cli import MAPPING, url_of

TOTAL, BATCH = 3000, 100


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted(
    command: list[str], env: dict[str, str], after: int
) -> tuple[int, str, float, str]:
    """Run ``command``, press Ctrl-C once ``after`` batches were committed; (code, stderr, s,
    stdout)."""
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A test run started in the background (`pytest &` in a script) ignores SIGINT, and
        # its children would inherit that: Ctrl-C as a terminal delivers it, whatever ran us.
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    assert process.stdout is not None
    committed = 0
    deadline = time.monotonic() + 30
    while committed < after and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        committed += line.startswith("committed rows up to")
    assert committed == after, "the import ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    pressed = time.monotonic()
    out, stderr = process.communicate(timeout=30)
    return process.returncode, stderr, time.monotonic() - pressed, out


def test_ctrl_c_keeps_whole_batches_and_says_so_in_one_line(db: Database, tmp_path: Path) -> None:
    rows = [[str(n), f"Синтетична{n}", "Марія", "", "ж", "2012", "Херсон"] for n in range(TOTAL)]
    path = write_csv(tmp_path / "list.csv", rows)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    command = [sys.executable, "-m", "ridni", "import", str(path), "-m", str(mapping)]
    command += ["-s", "Camp list (synthetic)"]
    env = {
        **os.environ,
        "RIDNI_KEYS": TEST_KEYS.to_json(),
        "RIDNI_DATABASE_URL": url_of(db),
        "RIDNI_IMPORT_BATCH_SIZE": str(BATCH),
    }
    # First in a preparing process (a long list), then in a thread (a short one) while it
    # skips the rows already there: that used to end silently.
    for attempt, process_from in ((1, "0"), (2, str(2 * TOTAL))):
        env["RIDNI_IMPORT_PROCESS_FROM"] = process_from
        code, stderr, took, out = _interrupted(command, env, after=2)
        with db.session() as session:
            stored = session.scalar(select(func.count()).select_from(Record)) or 0
            run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert run is not None
        kept = (run.rows_added or 0) + (run.rows_existing or 0)
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert code == 130, f"attempt {attempt}: {stderr}\n{out[-300:]}"
        assert "Traceback" not in stderr
        assert lines == [
            f"error: interrupted: the list's first {kept:,} of {TOTAL:,} rows are kept — "
            "run the same command again to add the rest"
        ], stderr
        assert took < 8, f"{took:.1f} s from Ctrl-C to the end: waiting for a lock?"
        assert 2 * BATCH <= stored < TOTAL and stored % BATCH == 0, stored
        assert run.status is ImportStatus.interrupted and run.finished_at is not None
        if attempt == 1:
            assert (run.rows_existing or 0) == 0 and kept == stored
        else:
            assert (run.rows_existing or 0) >= 2 * BATCH and kept <= stored
