"""List exports: chosen fields of the children in scope, as CSV or XLSX, packaged safely."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy.orm import Session

from ridni.cases.service import Filters
from ridni.exports.access import Exporter
from ridni.exports.archive import Produced, check_password, check_reason, package
from ridni.exports.fields import ExportField, choose_fields, is_personal
from ridni.exports.formats import ListFormat
from ridni.exports.selection import Cell, count_children, rows
from ridni.form_input import without_controls

# Spreadsheets run a cell starting with one of these as a formula (CSV/XLSX injection):
# =HYPERLINK(...) in a name a hostile list planted would run on the negotiator's machine.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


MEDIA_TYPES = {
    ListFormat.csv: "text/csv; charset=utf-8",
    ListFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ListRequest:
    fields: list[str]
    filters: Filters = field(default_factory=Filters)
    format: ListFormat = ListFormat.csv
    password: str | None = None
    reason: str = ""


@dataclass
class ListExport:
    produced: Produced
    fields: list[ExportField]
    rows: int
    personal: bool
    reason: str


def neutralise(value: Cell) -> Cell:
    """A text cell a spreadsheet would take for a formula gets a leading apostrophe; control
    characters (which spreadsheets refuse, and which older records may hold) are dropped."""
    if not isinstance(value, str):
        return value
    value = without_controls(value, lines=True)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def _counted(cells: Iterable[list[Cell]], counter: list[int]) -> Iterator[list[Cell]]:
    for row in cells:
        counter[0] += 1
        yield [neutralise(value) for value in row]


def write_csv(header: list[str], cells: Iterable[list[Cell]], target: IO[bytes]) -> None:
    # UTF-8 with a byte-order mark: Excel then reads Cyrillic correctly.
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    for row in cells:
        writer.writerow(["" if value is None else value for value in row])
    text.flush()
    text.detach()


def write_xlsx(header: list[str], cells: Iterable[list[Cell]], target: IO[bytes]) -> None:
    """Write-only mode streams rows instead of holding every cell. openpyxl keeps the sheet's
    XML in a temporary file of its own (mode 0600) until the workbook is saved, and deletes it
    then; it is deleted here too if anything fails on the way (decision 304)."""
    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet("children")
    try:
        sheet.append(header)
        for row in cells:
            sheet.append(row)
        book.save(target)
    finally:
        writer = getattr(sheet, "_writer", None)
        leftover = getattr(writer, "out", None)
        if isinstance(leftover, str) and os.path.exists(leftover):
            os.remove(leftover)


def export_list(
    session: Session,
    exporter: Exporter,
    request: ListRequest,
    *,
    min_password: int,
    today: datetime | None = None,
) -> ListExport:
    """Check the request against the exporter's rights, then write and package the list."""
    fields = choose_fields(request.fields, names_allowed=exporter.names_allowed)
    personal = is_personal(fields)
    reason = request.reason.strip()
    password: bytes | None = None
    if personal:
        reason = check_reason(request.reason)
        password = check_password(request.password, min_password)
    elif request.password:  # asked for encryption anyway: honour it
        password = check_password(request.password, min_password)
    stamp = (today or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    name = f"ridni-children-{stamp}.{request.format.value}"
    counter = [0]
    header = [f.name for f in fields]

    def write(target: IO[bytes]) -> None:
        cells = _counted(rows(session, fields, request.filters, exporter), counter)
        if request.format is ListFormat.xlsx:
            write_xlsx(header, cells, target)
        else:
            write_csv(header, cells, target)

    produced = package(name, MEDIA_TYPES[request.format], write, password)
    return ListExport(produced, fields, counter[0], personal, reason)


def preview_count(session: Session, exporter: Exporter, filters: Filters) -> int:
    return count_children(session, filters, exporter)
