"""The linkage CSV contract (the project brief's, for `ridni link`), read and written in one place.

Input: UTF-8 CSV with header ``record_id,given_name,family_name,patronymic,sex,birth_date,
birth_place``; sex ``M``/``F``/empty; birth_date ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from pathlib import Path

from ridni.errors import InputError
from ridni.partial_date import PartialDate, parse_optional

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
)
MAX_FIELD_LENGTH = 1000
# How lists write a child's sex (Ukrainian, Russian, English, abbreviated); read case-blind.
SEX_WORDS = {
    **dict.fromkeys(("m", "м", "ч", "чол", "чоловіча", "чоловік", "муж", "мужской", "male"), "M"),
    **dict.fromkeys(("boy", "хлопчик", "мальчик", "man"), "M"),
    **dict.fromkeys(("f", "ж", "жін", "жіноча", "жен", "женский", "female", "girl"), "F"),
    **dict.fromkeys(("дівчинка", "девочка", "woman"), "F"),
}


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of the contract; empty fields are empty strings, as in the file."""

    record_id: str
    given_name: str
    family_name: str
    patronymic: str
    sex: str
    birth_date: str
    birth_place: str

    @property
    def partial_birth_date(self) -> PartialDate | None:
        return parse_optional(self.birth_date)


def write_rows(path: Path, rows: Iterable[PersonRow]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(astuple(row))
            count += 1
    return count


def read_rows(path: Path) -> Iterator[PersonRow]:
    """Yield validated rows; stop with an :class:`InputError` naming the file, line and problem."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        try:
            yield from _validated(path, csv.DictReader(handle))
        except UnicodeDecodeError:
            raise InputError(
                f"{path} is not UTF-8 text",
                "re-save it as UTF-8 (a cp1251 file can be converted with "
                "`iconv -f cp1251 -t utf-8`)",
            ) from None
        except csv.Error as exc:
            raise InputError(f"{path} is not a readable CSV file: {exc}") from None


def _validated(path: Path, reader: csv.DictReader[str]) -> Iterator[PersonRow]:
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"{path} lacks the column(s) {', '.join(missing)}",
            f"the header must be {','.join(COLUMNS)}",
        )
    seen: set[str] = set()
    for raw in reader:
        line = reader.line_num
        if None in raw:
            raise InputError(f"{path}, line {line}: more fields than the header names")
        values = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        for column, value in values.items():
            if len(value) > MAX_FIELD_LENGTH:
                raise InputError(
                    f"{path}, line {line}: {column} is {len(value)} characters long",
                    f"fields may hold at most {MAX_FIELD_LENGTH}",
                )
        if not values["record_id"]:
            raise InputError(f"{path}, line {line}: record_id is empty")
        if values["record_id"] in seen:
            raise InputError(f"{path}, line {line}: record_id {values['record_id']!r} repeats")
        seen.add(values["record_id"])
        if values["sex"] not in ("", "M", "F"):
            raise InputError(f"{path}, line {line}: sex {values['sex']!r} is not M, F or empty")
        if values["birth_date"]:
            try:
                parsed = PartialDate.parse(values["birth_date"])
            except InputError as exc:
                raise InputError(f"{path}, line {line}: {exc.message}", exc.hint) from None
            values["birth_date"] = parsed.iso()
        yield PersonRow(**values)
