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

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from ridni.csv_quotes import QuoteCheckedReader, UnclosedQuote
from ridni.errors import InputError
from ridni.linkage.contract import COLUMNS, MAX_FIELD_LENGTH, SEX_WORDS, PersonRow
from ridni.partial_date import PartialDate

ENCODINGS = ("utf-8", "utf-8-sig", "cp1251")
# [0-9], not \d: other scripts' digits are not dates (as in ridni.partial_date).
_YEAR_FIRST = re.compile(r"^([0-9]{4})[./]([0-9]{1,2})(?:[./]([0-9]{1,2}))?$")


@dataclass(slots=True)
class ReadSummary:
    path: Path
    encoding: str = "utf-8"
    rows: int = 0
    unreadable_dates: int = 0
    unreadable_sex: int = 0
    examples: list[str] = field(default_factory=list)
    sex_examples: list[str] = field(default_factory=list)
    delimiter: str = ","

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
            shown = ", ".join(repr(e) for e in self.sex_examples)
            notes.append(
                f"{self.path.name}: {self.unreadable_sex} sex value(s) other than M/F were "
                f"treated as missing (e.g. {shown})"
            )
        if self.delimiter != ",":
            name = {";": "semicolons", "\t": "tabs"}[self.delimiter]
            notes.append(f"{self.path.name}: read with {name} between fields")
        return notes


def _decode(path: Path) -> tuple[bytes, str, str]:
    """The file's bytes as UTF-8 (byte-order mark removed), its text, and the encoding used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path} is damaged UTF-16 text", "re-save it as CSV UTF-8") from None
        return text.encode("utf-8"), text, "utf-16"
    if b"\x00" in data[:4096]:
        raise InputError(f"{path} is not a text CSV file", "save the list as CSV UTF-8")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" and text.startswith("\ufeff"):
            return data[3:], text[1:], "utf-8-sig"
        return (data if encoding == "utf-8" else text.encode("utf-8")), text, encoding
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
    """The records of a contract file, read as leniently as :func:`read_table`."""
    table, summary = read_table(path)
    columns = [table.column(name).to_pylist() for name in COLUMNS]
    return [PersonRow(*values) for values in zip(*columns, strict=True)], summary


def read_table(path: Path) -> tuple[pa.Table, ReadSummary]:
    """The contract columns of ``path`` as strings: trimmed, dates in contract form (unreadable
    ones empty and counted), sex ``M``/``F``/empty. Stops with an :class:`InputError` on what
    cannot be worked around."""
    data, text, encoding = _decode(path)
    summary = ReadSummary(path, encoding)
    if not text.strip():
        raise InputError(f"{path} is empty", f"the first line must be {','.join(COLUMNS)}")
    header, summary.delimiter = _header(path, text)
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"{path} lacks the column(s) {', '.join(missing)}",
            f"the header must be {','.join(COLUMNS)}",
        )
    try:
        table = _arrow_columns(data, header, summary.delimiter)
    except (pa.ArrowInvalid, ValueError):
        # Rows shorter or longer than the header, repeated header names: the csv module
        # reads what can be read and names the line of what cannot.
        table = _python_columns(path, text, header, summary.delimiter)
    if _has_line_breaks(table):
        _check_quotes_closed(path, text, summary.delimiter)
    del data, text
    table = pa.table(
        {name: pc.utf8_trim_whitespace(table.column(name).combine_chunks()) for name in COLUMNS}
    )
    if table.num_rows == 0:
        raise InputError(f"{path} has a header but no records")
    _check_values(path, table)
    table = _normalise_dates(table, summary)
    table = _normalise_sex(table, summary)
    summary.rows = table.num_rows
    return table, summary


def _header(path: Path, text: str) -> tuple[list[str], str]:
    """The header's column names (trimmed, lower case) and the separator that yields the
    contract's columns: commas, or the semicolons or tabs of a spreadsheet in some locales."""
    first = text.split("\n", 1)[0]
    found: list[str] = []
    for delimiter in (",", ";", "\t"):
        try:
            names = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration) as exc:
            raise InputError(f"{path} is not a readable CSV file: {exc}") from None
        names = [name.strip().lower() for name in names]
        if delimiter == ",":
            found = names
        if set(COLUMNS) <= set(names):
            return names, delimiter
    return found, ","


def _has_line_breaks(table: pa.Table) -> bool:
    return any(pc.any(pc.match_substring(table.column(name), "\n")).as_py() for name in COLUMNS)


def _check_quotes_closed(path: Path, text: str, delimiter: str) -> None:
    """A quoted field with a line break is fine; a quote never closed swallows every later
    line into one field, and with it every later child: refuse, naming where it starts."""
    try:
        for _cells in QuoteCheckedReader(io.StringIO(text, newline=""), delimiter):
            pass
    except UnclosedQuote as exc:
        raise InputError(
            f"{path}, line {exc.line}: a quoted field is never closed (it runs to the end of "
            "the file)",
            "check the quotes on that line",
        ) from None
    except csv.Error:
        return  # a field longer than the csv module reads: _check_values names its length


def _arrow_columns(data: bytes, header: list[str], delimiter: str = ",") -> pa.Table:
    if len(set(header)) != len(header):
        raise ValueError("repeated column names")
    return pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            include_columns=list(COLUMNS),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _python_columns(path: Path, text: str, header: list[str], delimiter: str = ",") -> pa.Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    positions = [header.index(column) for column in COLUMNS]
    columns: list[list[str]] = [[] for _ in COLUMNS]
    try:
        next(reader)
        for raw in reader:
            if not raw:
                continue
            if len(raw) > len(header):
                raise InputError(
                    f"{path}, line {reader.line_num}: more fields than the header names"
                )
            for column, position in zip(columns, positions, strict=True):
                column.append(raw[position] if position < len(raw) else "")
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(
                f"{path}, line {reader.line_num}: a field is over {csv.field_size_limit()} "
                "characters long",
                f"fields may hold at most {MAX_FIELD_LENGTH}",
            ) from None
        raise InputError(f"{path}, line {reader.line_num}: not readable as CSV ({exc})") from None
    return pa.table(
        {name: pa.array(values, pa.string()) for name, values in zip(COLUMNS, columns, strict=True)}
    )


def _check_values(path: Path, table: pa.Table) -> None:
    for column in COLUMNS:
        long = pc.greater(pc.utf8_length(table.column(column)), MAX_FIELD_LENGTH)
        if pc.any(long).as_py():
            row = pc.index(long, True).as_py()
            length = len(table.column(column)[row].as_py())
            raise InputError(
                f"{path}, record {row + 1}: {column} is {length} characters long",
                f"fields may hold at most {MAX_FIELD_LENGTH}",
            )
    ids = table.column("record_id")
    empty = pc.equal(ids, "")
    if pc.any(empty).as_py():
        raise InputError(f"{path}, record {pc.index(empty, True).as_py() + 1}: record_id is empty")
    if len(pc.unique(ids)) != len(ids):
        seen: dict[str, int] = {}
        for number, record_id in enumerate(ids.to_pylist(), start=2):
            if record_id in seen:
                raise InputError(
                    f"{path}: record_id {record_id!r} appears twice "
                    f"(records {seen[record_id]} and {number})",
                    "every record needs its own record_id",
                )
            seen[record_id] = number


def _remap(column: pa.Array, mapping: dict[str, str]) -> tuple[pa.Array, pa.Array, list[str]]:
    """``column`` with each distinct value replaced; also each row's distinct-value number and
    the distinct values in order of first appearance."""
    encoded = pc.dictionary_encode(column)
    distinct = encoded.dictionary.to_pylist()
    replaced = pa.array([mapping[value] for value in distinct], pa.string())
    return replaced.take(encoded.indices), encoded.indices, distinct


def _normalise_dates(table: pa.Table, summary: ReadSummary) -> pa.Table:
    column = table.column("birth_date").combine_chunks()
    distinct = pc.unique(column).to_pylist()
    mapping: dict[str, str] = {}
    for value in distinct:
        parsed = lenient_date(value) if value else None
        mapping[value] = parsed.iso() if parsed else ""
    dates, indices, order = _remap(column, mapping)
    unreadable = [n for n, value in enumerate(order) if value and not mapping[value]]
    summary.unreadable_dates = _rows_with(indices, unreadable)
    summary.examples = [order[n] for n in unreadable[:3]]
    return table.set_column(COLUMNS.index("birth_date"), "birth_date", dates)


def _normalise_sex(table: pa.Table, summary: ReadSummary) -> pa.Table:
    column = table.column("sex").combine_chunks()
    mapping = {}
    for value in pc.unique(column).to_pylist():
        word = value.strip(".").casefold()
        mapping[value] = value if value in ("", "M", "F") else SEX_WORDS.get(word, "")
    sexes, indices, order = _remap(column, mapping)
    unreadable = [n for n, value in enumerate(order) if value and not mapping[value]]
    summary.unreadable_sex = _rows_with(indices, unreadable)
    summary.sex_examples = [order[n] for n in unreadable[:3]]
    return table.set_column(COLUMNS.index("sex"), "sex", sexes)


def _rows_with(indices: pa.Array, wanted: list[int]) -> int:
    """How many rows hold one of the distinct values numbered ``wanted``."""
    if not wanted:
        return 0
    counts = pc.value_counts(indices)
    by_index = dict(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    )
    return sum(by_index[n] for n in wanted)
