"""Lenient reading of the CSV contract for ``ridni link`` and ``ridni dedupe``.

Lists arrive from many hands: Excel's UTF-8 with a byte-order mark, Windows' cp1251, dates
typed as 14.03.2012 or 03/2012. What can be read without guessing is read, and the rest is
counted and reported; what cannot be worked around (no header, a missing column, a repeated
record_id, an empty file) stops the run with a message that names the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ridni.errors import InputError
from ridni.linkage.contract import COLUMNS, MAX_FIELD_LENGTH, PersonRow
from ridni.partial_date import PartialDate

ENCODINGS = ("utf-8", "utf-8-sig", "cp1251")
_SEX = {"m": "M", "f": "F", "м": "M", "ч": "M", "ж": "F", "male": "M", "female": "F"}
_YEAR_FIRST = re.compile(r"^(\d{4})[./](\d{1,2})(?:[./](\d{1,2}))?$")


@dataclass(slots=True)
class ReadSummary:
    path: Path
    encoding: str = "utf-8"
    rows: int = 0
    unreadable_dates: int = 0
    unreadable_sex: int = 0
    examples: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """Lines worth telling the person who ran the command."""
        notes = []
        if self.encoding != "utf-8":
            notes.append(f"{self.path.name}: read as {self.encoding}")
        if self.unreadable_dates:
            shown = ", ".join(repr(e) for e in self.examples[:3])
            notes.append(
                f"{self.path.name}: {self.unreadable_dates} birth date(s) could not be read "
                f"and were treated as missing (e.g. {shown})"
            )
        if self.unreadable_sex:
            notes.append(
                f"{self.path.name}: {self.unreadable_sex} sex value(s) other than M/F were "
                "treated as missing"
            )
        return notes


def _decode(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" and text.startswith("\ufeff"):
            return text[1:], "utf-8-sig"
        return text, encoding
    raise InputError(  # cp1251 decodes almost anything; kept for clarity
        f"{path} is neither UTF-8 nor cp1251 text", "re-save it as UTF-8"
    )


def lenient_date(text: str) -> PartialDate | None:
    """A birth date in any form we can read without guessing; None when we cannot."""
    cleaned = text.strip()
    year_first = _YEAR_FIRST.match(cleaned)
    if year_first:
        year, month, day = year_first.groups()
        cleaned = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    try:
        return PartialDate.parse(cleaned)
    except InputError:
        return None


def read_lenient(path: Path) -> tuple[list[PersonRow], ReadSummary]:
    text, encoding = _decode(path)
    summary = ReadSummary(path, encoding)
    if not text.strip():
        raise InputError(f"{path} is empty", f"the first line must be {','.join(COLUMNS)}")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise InputError(
                f"{path} lacks the column(s) {', '.join(missing)}",
                f"the header must be {','.join(COLUMNS)}",
            )
        rows = [_row(path, reader.line_num, raw, summary) for raw in reader]
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV file: {exc}") from None
    if not rows:
        raise InputError(f"{path} has a header but no records")
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if row.record_id in seen:
            raise InputError(
                f"{path}: record_id {row.record_id!r} appears twice "
                f"(records {seen[row.record_id]} and {number})",
                "every record needs its own record_id",
            )
        seen[row.record_id] = number
    summary.rows = len(rows)
    return rows, summary


def _row(path: Path, line: int, raw: dict[str | None, object], summary: ReadSummary) -> PersonRow:
    if None in raw:
        raise InputError(f"{path}, line {line}: more fields than the header names")
    values = {column: str(raw.get(column) or "").strip() for column in COLUMNS}
    for column, value in values.items():
        if len(value) > MAX_FIELD_LENGTH:
            raise InputError(
                f"{path}, line {line}: {column} is {len(value)} characters long",
                f"fields may hold at most {MAX_FIELD_LENGTH}",
            )
    if not values["record_id"]:
        raise InputError(f"{path}, line {line}: record_id is empty")
    if values["birth_date"]:
        parsed = lenient_date(values["birth_date"])
        if parsed is None:
            summary.unreadable_dates += 1
            if len(summary.examples) < 3:
                summary.examples.append(values["birth_date"])
        values["birth_date"] = parsed.iso() if parsed else ""
    sex = values["sex"]
    if sex not in ("", "M", "F"):
        values["sex"] = _SEX.get(sex.casefold(), "")
        summary.unreadable_sex += not values["sex"]
    return PersonRow(**values)
