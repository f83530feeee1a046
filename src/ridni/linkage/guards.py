"""What ``ridni link``, ``dedupe`` and ``link train`` check before and around their work: the
threshold is a probability, the CSV appears whole or not at all, and Ctrl-C stops them with
one line instead of Splink's SQL. (The output path is checked by
:func:`ridni.output_file.check_output`.)"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from ridni.errors import InputError, Interrupted
from ridni.output_file import writing_whole

MIN_TRAINING_RECORDS = 100
MAX_TOP = 1000  # ridni link --top: best candidates below the floor written per record
# A cell a spreadsheet would run as a formula starts with one of these (as in exports).
FORMULA_START = r"^[=+\-@\t\r\n]"


def check_threshold(threshold: float) -> float:
    if not (math.isfinite(threshold) and 0 <= threshold <= 1):
        raise InputError(
            f"--threshold {threshold} is not a probability", "give a number from 0 to 1"
        )
    return float(threshold)


def check_top(top: int) -> int:
    if not 0 <= top <= MAX_TOP:
        raise InputError(
            f"--top {top} is out of range", f"give a number of candidates from 0 to {MAX_TOP}"
        )
    return top


def write_csv(table: pa.Table, out: Path) -> None:
    """``table`` as CSV, written whole (:mod:`ridni.output_file`): an interrupted or failed
    write leaves no half file and an earlier ``out`` untouched."""
    with writing_whole(out) as handle:
        pacsv.write_csv(without_formulas(table), handle)


def without_formulas(table: pa.Table) -> pa.Table:
    """Record ids are the lists' own text: an id like ``=HYPERLINK(...)`` that a hostile list
    planted gets a leading apostrophe, as exports do (:func:`ridni.exports.lists.neutralise`),
    so the pairs file opened in a spreadsheet shows it instead of running it."""
    for index, name in enumerate(table.column_names):
        column = table.column(index)
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        formula = pc.match_substring_regex(column, FORMULA_START)
        if pc.any(formula).as_py():
            quoted = pc.binary_join_element_wise("'", column, "")
            table = table.set_column(index, name, pc.if_else(formula, quoted, column))
    return table


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
