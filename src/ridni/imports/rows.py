"""One row of a list turned into a record's values, or into the reasons it cannot be.

Dates come as 14.03.2012, 2012-03, 2012, 2012/03/14, Excel serial numbers (40982) or real
dates from XLSX cells; names in any script, exactly as written. A row without its own id gets
one from its content, so importing the same list twice adds nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from ridni.cases.models import Sex
from ridni.errors import InputError
from ridni.form_input import without_controls
from ridni.imports.mapping import Mapping
from ridni.imports.reading import Cell
from ridni.linkage.contract import SEX_WORDS
from ridni.linkage.reader import lenient_date
from ridni.partial_date import MAX_YEAR, MIN_YEAR, PartialDate

NO_CELL = (None, "")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, after Excel's 1900 leap-year bug
MAX_SERIAL = 3_000_000  # about the year 10,000: far beyond any date, well inside timedelta
LIMITS = {
    "source_ref": 200,
    "family_name": 200,
    "given_name": 200,
    "patronymic": 200,
    "birth_place": 300,
    "details": 10_000,
}
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
SEXES = SEX_WORDS  # one vocabulary for imports and `ridni link`


@dataclass(slots=True)
class Row:
    number: int  # line (CSV) or row (XLSX) in the file, header = 1
    values: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(cell: Cell) -> str:
    if type(cell) is str:  # nearly every cell of a CSV: skip the checks below
        return cell.strip() if cell.isprintable() else _cleaned(cell)
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()[:10]
    return str(cell).strip()


def _cleaned(text: str) -> str:
    """A cell with characters that do not print, cleaned as a form's value is
    (:func:`ridni.form_input.clean_text`): control characters (a terminal escape, a bell)
    dropped, and nothing left when only invisible marks (zero-width, right-to-left) were
    there, so such a cell is no name. Line breaks inside a quoted field stay as written."""
    parts = _LINE_BREAK.split(text)
    parts[::2] = [without_controls(part) for part in parts[::2]]
    cleaned = "".join(parts).strip()
    return cleaned if any(unicodedata.category(c)[0] not in "ZC" for c in cleaned) else ""


def _serial(number: float) -> PartialDate:
    if not -MAX_SERIAL <= number <= MAX_SERIAL:  # 1e300 in a number cell: no date at all
        raise ValueError
    day = EXCEL_EPOCH + timedelta(days=int(number))
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError
    return PartialDate.of(day.year, day.month, day.day)


def parse_date(cell: Cell) -> PartialDate | None:
    """A date in any form above; None for an empty cell; ValueError when unreadable."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime | date):
        return PartialDate.of(cell.year, cell.month, cell.day)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 1000 <= cell <= 9999 and float(cell).is_integer():
            return PartialDate.of(int(cell))  # a year typed into a number cell
        return _serial(cell)
    return _date_text(str(cell).strip())


@lru_cache(maxsize=1 << 16)
def _date_text(text: str) -> PartialDate:
    """A date written as text. Cached: a million-row list holds a few thousand distinct dates
    (a PartialDate is immutable, so one object may stand for all of them); an unreadable date
    raises, and exceptions are not cached."""
    # An Excel serial that reached a CSV. ASCII digits only, as in every other date:
    # str.isdigit() takes "١٢٣٤٥" or "１２３４５" too, and int() read them as a day in 1933.
    if len(text) == 5 and text.isascii() and text.isdigit():
        return _serial(int(text))
    parsed = lenient_date(text)
    if parsed is None:
        raise ValueError
    return parsed


@lru_cache(maxsize=1024)
def _sex(text: str) -> Sex | None:
    if not text:
        return None
    found = SEXES.get(text.strip().strip(".").casefold())
    if found is None:
        raise ValueError
    return Sex(found)


def content_ref(values: dict[str, object]) -> str:
    """A row identity from what the row says, for lists without an id column."""
    joined = "\x1f".join(str(values.get(name) or "") for name in sorted(values))
    return "content:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


class Converter:
    """Turns the cells of one list's rows into :class:`Row` values.

    Which cells feed which field is worked out once per list, not once per row: an import
    converts every row twice (the check of the whole file, then the writing), so at a million
    rows each microsecond here is two seconds.
    """

    def __init__(self, header: list[str], mapping: Mapping, *, csv: bool = False) -> None:
        # A CSV row whose fields do not line up with the header (an unquoted comma inside a
        # value, a line cut short) would fill the wrong fields: it is an error of its own.
        # Empty fields beyond the header (trailing separators from a spreadsheet) are fine.
        self.width = len(header) if csv else 0
        self.today = date.today()
        position = {name: index for index, name in enumerate(header)}

        def at(name: str) -> tuple[int, ...]:
            return tuple(position[column] for column in mapping.columns.get(name, []))

        self.id_mapped = bool(mapping.columns.get("source_ref"))
        self.texts = [
            (name, limit, at(name))
            for name, limit in LIMITS.items()
            if name != "source_ref" or self.id_mapped
        ]
        self.dates = [(name, at(name)) for name in ("birth_date", "reported_on")]
        self.sex = at("sex")

    def __call__(self, number: int, cells: list[Cell]) -> Row:
        row = Row(number)
        values, errors = row.values, row.errors
        size = len(cells)
        if self.width and size != self.width:
            _check_width(cells, self.width, errors)
        for name, limit, columns in self.texts:
            if len(columns) == 1:
                text = _text(cells[columns[0]]) if columns[0] < size else ""
            else:
                text = " ".join(t for t in (_text(cells[i]) for i in columns if i < size) if t)
            if len(text) > limit:
                errors.append(f"{name} is {len(text)} characters long (at most {limit})")
            values[name] = text or None
        if not (values.get("family_name") or values.get("given_name")):
            errors.append("no name: family_name and given_name are both empty")
        for name, columns in self.dates:
            cell = next(
                (c for c in (cells[i] for i in columns if i < size) if c not in NO_CELL), None
            )
            try:
                values[name] = parsed = parse_date(cell)
            except (ValueError, InputError):
                errors.append(f"{name} {_quoted(_text(cell))} is not a date we can read")
                continue
            if name == "birth_date" and parsed is not None and parsed.value > self.today:
                errors.append(f"birth_date {_quoted(_text(cell))} is in the future")
        sex = " ".join(_text(cells[i]) if i < size else "" for i in self.sex)
        try:
            values["sex"] = _sex(sex)
        except ValueError:
            errors.append(f"sex {_quoted(sex)} is neither M nor F")
        if self.id_mapped and not values.get("source_ref"):
            errors.append("the row has no id (source_ref is empty)")
        if not values.get("source_ref") and not errors:
            values["source_ref"] = content_ref(values)
        return row


def _quoted(text: str) -> str:
    """A cell as a row's error quotes it: as Python's repr (a control character shows as
    \\x1b), cut at 40 characters. A cell of 100,000 characters, or 1e308 in a number cell
    written out as 309 digits, was quoted whole in the preview and in the terminal."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _check_width(cells: list[Cell], width: int, errors: list[str]) -> None:
    size = len(cells)
    if size < width:
        errors.append(f"{size} fields, the header has {width}: the line is cut short")
    elif any(_text(cell) for cell in cells[width:]):
        errors.append(
            f"{size} fields, the header has {width}: a separator inside a value "
            "needs quotes around the value"
        )


def convert(number: int, cells: list[Cell], header: list[str], mapping: Mapping) -> Row:
    """One row; for many rows of one list, make one :class:`Converter` and call it."""
    return Converter(header, mapping)(number, cells)
