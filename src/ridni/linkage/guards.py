"""What ``ridni link``, ``dedupe`` and ``link train`` check before and around their work: the
output can be written (and is not one of the inputs), the file appears whole or not at all,
and Ctrl-C stops them with one line instead of Splink's SQL."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from ridni.errors import InputError, Interrupted

MIN_TRAINING_RECORDS = 100


def check_output(out: Path, inputs: list[Path]) -> None:
    """Refuse, before any work, an output that cannot be written or would overwrite an input."""
    if out.is_dir():
        raise InputError(f"{out} is a folder", "give --out a file name")
    if out.exists() and not out.is_file():
        raise InputError(
            f"{out} is not a regular file (a device or a pipe)", "give --out a file name"
        )
    target = out.resolve()
    if any(target == path.resolve() for path in inputs):
        raise InputError(
            f"--out {out} is also an input list",
            "choose another file: the list would be overwritten",
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}") from None
    part = out.with_name(out.name + ".part")
    try:  # the file the result is first written to, tried now rather than after the work
        part.touch()
        part.unlink()
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None


def check_threshold(threshold: float) -> float:
    if not (math.isfinite(threshold) and 0 <= threshold <= 1):
        raise InputError(
            f"--threshold {threshold} is not a probability", "give a number from 0 to 1"
        )
    return float(threshold)


def write_csv(table: pa.Table, out: Path) -> None:
    """Write beside ``out`` and rename: an interrupted or failed write leaves no half file and
    an earlier ``out`` untouched."""
    part = out.with_name(out.name + ".part")
    try:
        pacsv.write_csv(table, part)
        os.replace(part, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)


@contextmanager
def interruptible(nothing: str) -> Iterator[None]:
    """Ctrl-C, wherever it lands (DuckDB stops its query and Splink wraps that), becomes
    :class:`Interrupted` saying ``nothing`` (e.g. "nothing written")."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted — {nothing}") from None
    except Exception as exc:
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, KeyboardInterrupt | duckdb.InterruptException):
                raise Interrupted(f"interrupted — {nothing}") from None
            cause = cause.__cause__ or cause.__context__
        raise
