"""Reading a list as a header and a stream of rows, whatever produced it.

CSV from Excel comes as UTF-8 with a byte-order mark, or as Windows' cp1251, with commas or
(in Ukrainian and Russian locales) semicolons. The encoding is decided by decoding the whole
file once, in chunks, so a single cp1251 letter on line 900,000 is not found half-way through
an import; a file that is text in neither, or holds a NUL byte (which no text does), is refused
there and then. Messages name the file as its user knows it (``name``: an upload's own name,
not the one it is stored under). XLSX is read with openpyxl in read-only mode (row by row,
constant memory).
Nothing here interprets values: that is :mod:`ridni.imports.rows`.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from ridni.csv_quotes import QuoteCheckedReader, UnclosedQuote
from ridni.errors import InputError
from ridni.i18n import N_

Cell = str | int | float | date | datetime | None
CHUNK = 1 << 20
DELIMITERS = (",", ";", "\t")
MAX_FIELD = 100_000
MAX_COLUMNS = 1000  # real lists have a few dozen
MAX_COLUMN_NAME = 1000  # characters; real names have a few words
# An XLSX file is a zip of XML parts, and openpyxl reads some of them (the shared strings, the
# styles) whole into memory: a 50 MiB upload can unpack to tens of gigabytes. The zip's own
# list of parts says how large each unpacks to, and Python's zipfile reads no part beyond that,
# so it is checked before openpyxl opens the file. A list of 100,000 children in 8 columns, as
# openpyxl writes it, unpacks to 51.5 MB from 5.3 MB (9.8 times; 18 times when every row is the
# same): a million children are about 0.5 GB, a quarter of the limit.
MAX_XLSX_UNPACKED = 2 << 30  # bytes, every part together
MAX_XLSX_RATIO = 200  # how much larger than stored a part may unpack, when it is over ...
RATIO_FROM = 1 << 20  # ... 1 MiB unpacked (small parts compress as they like)
# A workbook of a thousand sheets holds a few thousand parts; zipfile makes an object of each
# part listed, so a 50 MB upload of empty parts would take hundreds of MB before any check.
MAX_XLSX_PARTS = 10_000
SAVE_AS_CSV = N_("save it as CSV (UTF-8) and import that, or split it into smaller files")
_ZIP_END = b"PK\x05\x06"  # the end-of-directory record: 22 bytes and a comment of < 64 KiB


@dataclass(frozen=True, slots=True)
class Table:
    """What a file holds: its header, and how to read its rows (again) from the start."""

    path: Path
    kind: str  # "csv" or "xlsx"
    header: list[str]
    encoding: str = ""
    delimiter: str = ","
    sheet: str = ""
    name: str = ""  # the file's name for people; the path's own by default

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.path.name)

    @contextmanager
    def rows(self) -> Iterator[Iterator[tuple[int, list[Cell]]]]:
        """(line or row number, cells) for every non-empty row after the header."""
        if self.kind == "csv":
            with self.path.open(encoding=self.encoding, newline="") as handle:
                yield _csv_rows(self.name, handle, self.delimiter)
        else:
            workbook = _open_workbook(self.path, self.name)
            try:
                yield _sheet_rows(workbook[self.sheet])
            finally:
                workbook.close()


def detect_encoding(path: Path, name: str = "") -> str:
    """``utf-8-sig`` (with a byte-order mark), ``utf-16`` (with one: Excel's "Unicode text"),
    ``utf-8`` or ``cp1251``, whichever the whole file decodes in; :class:`InputError` if none
    does, or it holds a NUL byte (binary; in UTF-16, a NUL character)."""
    shown = name or path.name
    try:
        with path.open("rb") as handle:
            start = handle.read(3)
            if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                handle.seek(0)
                if _is_text(handle, "utf-16", shown):
                    return "utf-16"
            elif start == codecs.BOM_UTF8:  # it says it is UTF-8: it must be
                if _is_text(handle, "utf-8", shown):
                    return "utf-8-sig"
            else:
                for encoding in ("utf-8", "cp1251"):
                    handle.seek(0)
                    if _is_text(handle, encoding, shown):
                        return encoding
    except OSError as exc:
        raise InputError(f"cannot read {name or path}: {exc.strerror}") from None
    raise _not_text(shown)


def _is_text(handle: BinaryIO, encoding: str, name: str) -> bool:
    """Whether the rest of the file decodes in ``encoding``; a NUL byte refuses it at once."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := handle.read(CHUNK):
            if encoding == "utf-16":  # every other byte of Latin text is 0 here
                if "\0" in decoder.decode(chunk):
                    raise _not_text(name)
                continue
            if b"\0" in chunk:
                raise _not_text(name)
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _not_text(name: str) -> InputError:
    return InputError(
        N_("{name} is not a text CSV in UTF-8 or cp1251"),
        N_("save it from Excel or LibreOffice as CSV (UTF-8), or as .xlsx"),
        name=name,
    )


def _csv_rows(name: str, handle: TextIO, delimiter: str) -> Iterator[tuple[int, list[Cell]]]:
    """Python's csv module, lenient as Excel is, except where leniency loses rows: a quote that
    is never closed would make the rest of the file one silent field (:mod:`ridni.csv_quotes`
    finds it)."""
    reader = QuoteCheckedReader(handle, delimiter)
    try:
        for cells in reader:
            if reader.start > 1 and any(cell.strip() for cell in cells):
                yield reader.line_num, list(cells)
    except UnclosedQuote as exc:
        raise InputError(
            N_(
                "{name}, line {line}: a quoted field is never closed "
                "(it runs to the end of the file)"
            ),
            N_("check the quotes on that line"),
            name=name,
            line=exc.line,
        ) from None
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        raise _not_csv(name, reader.start if too_long else reader.line_num, exc) from None


def _not_csv(name: str, line: int, exc: csv.Error) -> InputError:
    """What the csv module could not read at ``line``, in one line for people."""
    if "field larger than field limit" in str(exc):
        return InputError(
            N_(
                "{name}, line {line}: a field runs on for more than {limit} characters, "
                "probably from a quote that is never closed"
            ),
            N_("check the quotes on that line"),
            name=name,
            line=line,
            limit=csv.field_size_limit(),
        )
    return InputError(
        N_("{name}, line {line}: not readable as CSV ({problem})"),
        N_("check the quotes on that line"),
        name=name,
        line=line,
        problem=exc,
    )


def _open_workbook(path: Path, name: str):  # type: ignore[no-untyped-def]  # openpyxl: no types
    from openpyxl import load_workbook

    try:
        _check_unpacked_size(path, name)
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InputError(
            N_("{name} is not a readable XLSX workbook"),
            N_("save it from Excel or LibreOffice as .xlsx, or as CSV"),
            name=name,
        ) from None


def _check_unpacked_size(path: Path, name: str) -> None:
    """Refuse a workbook whose parts would unpack to more than any list needs (a "zip bomb":
    a few megabytes that unpack to gigabytes) or of more parts than any workbook has, from
    what the zip declares."""
    parts_declared = _declared_parts(path)
    if parts_declared > MAX_XLSX_PARTS:
        raise InputError(
            N_("{name} holds {count} parts; an XLSX list holds at most {limit}"),
            SAVE_AS_CSV,
            name=name,
            count=parts_declared,
            limit=MAX_XLSX_PARTS,
        )
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(
            N_("{name} would unpack to {size} MiB; an XLSX list may unpack to at most {limit} MiB"),
            SAVE_AS_CSV,
            name=name,
            size=unpacked >> 20,
            limit=MAX_XLSX_UNPACKED >> 20,
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and ratio > MAX_XLSX_RATIO:
            raise InputError(
                N_(
                    "{name} holds a part that would unpack {ratio} times larger than it is "
                    "stored (a spreadsheet's parts unpack at most {limit} times larger)"
                ),
                SAVE_AS_CSV,
                name=name,
                ratio=ratio,
                limit=MAX_XLSX_RATIO,
            )


def _declared_parts(path: Path) -> int:
    """How many parts the zip's end record says it holds, read before zipfile reads its
    whole directory; 0 where there is no such record (zipfile then says it is no zip). A
    count of 65,535 means a ZIP64 directory: at least that many."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 22 - 0xFFFF))
        tail = handle.read()
    at = tail.rfind(_ZIP_END)
    if at < 0 or len(tail) - at < 22:
        return 0
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _sheet_rows(sheet: object) -> Iterator[tuple[int, list[Cell]]]:
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    next(rows, None)
    for number, values in enumerate(rows, start=2):
        cells: list[Cell] = list(values)
        if any(v is not None and str(v).strip() for v in cells):
            yield number, cells


def _csv_table(path: Path, name: str) -> Table:
    encoding = detect_encoding(path, name)
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise InputError(
            N_("{name} is empty"), N_("the first line must name the columns"), name=name
        )
    delimiter = max(DELIMITERS, key=first.count)
    try:  # a header of one field past the csv module's limit: no list, but one clear line
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise _not_csv(name, 1, exc) from None
    return Table(path, "csv", _clean_header(name, header), encoding, delimiter, name=name)


def _xlsx_table(path: Path, sheet: str | None, name: str) -> Table:
    workbook = _open_workbook(path, name)
    try:
        names = list(workbook.sheetnames)
        chosen = sheet or names[0]
        if chosen not in names:
            raise InputError(
                N_("{name} has no sheet {sheet!r}"),
                N_("its sheets are: {sheets}"),
                name=name,
                sheet=chosen,
                sheets=", ".join(names),
            )
        first = next(workbook[chosen].iter_rows(values_only=True, max_row=1), ())
    finally:
        workbook.close()
    header = ["" if value is None else str(value) for value in first]
    if not any(header):
        raise InputError(
            N_("{name}, sheet {sheet!r}: the first row is empty"), name=name, sheet=chosen
        )
    return Table(path, "xlsx", _clean_header(name, header), sheet=chosen, name=name)


def _clean_header(file_name: str, header: list[str]) -> list[str]:
    cleaned = [name.strip() for name in header]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    if not any(cleaned):
        raise InputError(N_("{name}: the first line names no columns"), name=file_name)
    if len(cleaned) > MAX_COLUMNS:
        # A first line of a million fields (not a header: a list on one line, a dump) made
        # the mapping page offer each of them in nine lists: gigabytes of page, minutes.
        raise InputError(
            N_("{name}: the first line has {count} columns; a list may have at most {limit}"),
            N_("check that the first line is the header, with one name per column"),
            name=file_name,
            count=len(cleaned),
            limit=MAX_COLUMNS,
        )
    longest = max(cleaned, key=len)
    if len(longest) > MAX_COLUMN_NAME:  # the same, for a line of a few enormous fields
        raise InputError(
            N_("{name}: a column name on the first line is {count} characters long"),
            N_("check that the first line is the header, with one name per column"),
            name=file_name,
            count=len(longest),
        )
    seen: set[str] = set()
    for name in cleaned:
        if name and name in seen:
            raise InputError(
                N_("{name}: the column {column!r} appears twice"),
                N_("give every column its own name"),
                name=file_name,
                column=name,
            )
        seen.add(name)
    return cleaned


def open_table(path: Path, sheet: str | None = None, name: str | None = None) -> Table:
    """The header of ``path`` (CSV or XLSX, by its name), checked; rows are read later.

    ``name`` is what messages call the file (an upload's own name; ``path``'s by default)."""
    if not path.is_file():
        raise InputError(f"{name or path} does not exist or is not a file")
    shown = name or path.name
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(path, sheet, shown)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_table(path, shown)
    raise InputError(
        f"{shown}: cannot import {suffix or 'files without an extension'}",
        "save the list as .csv or .xlsx",
    )
