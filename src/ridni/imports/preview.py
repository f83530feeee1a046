"""Reading a whole list without writing anything: counts, per-row errors, the first rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ridni.imports.mapping import Mapping
from ridni.imports.reading import Table
from ridni.imports.rows import Converter, Row

MAX_ERRORS = 200
SAMPLE = 20


@dataclass(slots=True)
class Preview:
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    duplicates: int = 0  # rows whose id repeats an earlier row of the same file
    errors: list[Row] = field(default_factory=list)  # the first MAX_ERRORS invalid rows
    sample: list[Row] = field(default_factory=list)  # the first SAMPLE valid rows


@contextmanager
def converted(table: Table, mapping: Mapping) -> Iterator[Iterator[Row]]:
    """A context whose value streams the file's rows, converted."""
    with table.rows() as rows:
        convert = Converter(table.header, mapping, csv=table.kind == "csv")
        yield (convert(number, cells) for number, cells in rows)


def preview(
    table: Table, mapping: Mapping, progress: Callable[[int], None] | None = None
) -> Preview:
    mapping.check(table.header, table.name)
    found = Preview()
    # Hashes, not the ids: a few dozen bytes per row however long the ids are.
    seen: set[int] = set()
    with converted(table, mapping) as rows:
        for row in rows:
            found.rows += 1
            if row.ok:
                found.valid += 1
                ref = hash(row.values["source_ref"])
                if ref in seen:
                    found.duplicates += 1
                seen.add(ref)
                if len(found.sample) < SAMPLE:
                    found.sample.append(row)
            else:
                found.invalid += 1
                if len(found.errors) < MAX_ERRORS:
                    found.errors.append(row)
            if progress and found.rows % 10_000 == 0:
                progress(found.rows)
    return found
