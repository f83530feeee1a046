"""Turn contract rows into the comparison columns both the batch and the live matcher use.

Every name, place and date is reduced once to keys (see :mod:`names`, :mod:`places`); the
model compares keys, never raw text, so a row costs the same whatever its script. Empty values
become ``None`` so the model can tell "unknown" from "different".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from ridni.linkage.contract import COLUMNS, PersonRow
from ridni.linkage.names import family_keys, given_key, given_skeleton, patronymic_key, surname_key
from ridni.linkage.places import place_keys
from ridni.partial_date import PartialDate, Precision

_EPOCH = date(1970, 1, 1).toordinal()


class Features(NamedTuple):
    unique_id: str
    given_key: str | None
    given_sk: str | None
    given_prefix: str | None  # first two letters of the skeleton: typos rarely touch them
    given_as_family: str | None
    family_key: str | None
    family_stem: str | None
    family_prefix: str | None  # first three letters of the key, for typos further on
    family_first: str | None
    family_last: str | None
    family_initial: str | None
    family_as_given: str | None
    patronymic_key: str | None
    sex: str | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    birth_days: int | None  # days since 1970-01-01, only for day-precision dates
    # Blocking keys of a day-precision date: the same for a date and its day/month swap
    # (year, lower, higher of the two), and two grids of 7-day windows offset by 4 days,
    # so two dates at most 3 days apart share a window in at least one of them.
    birth_unordered: int | None
    birth_week: int | None
    birth_week_offset: int | None
    place_id: str | None
    latitude: float | None
    longitude: float | None
    place_sk: str | None
    place_key: str | None  # the place if resolved, else its text: what blocking keys on
    names_sorted: str | None  # the same whichever name was written in which field


FEATURE_COLUMNS = Features._fields
_TYPES: dict[str, pa.DataType] = {
    "birth_year": pa.int32(),
    "birth_month": pa.int32(),
    "birth_day": pa.int32(),
    "birth_days": pa.int32(),
    "birth_unordered": pa.int32(),
    "birth_week": pa.int32(),
    "birth_week_offset": pa.int32(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
}
SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in FEATURE_COLUMNS])
Values = tuple[Any, ...]


def _none(text: str) -> str | None:
    return text or None


@lru_cache(maxsize=65536)
def _given(given: str) -> Values:
    sk = given_skeleton(given)
    return (
        _none(given_key(given)),
        _none(sk),
        _none(sk[:2]),
        _none(surname_key(given)) if given else None,
    )


@lru_cache(maxsize=262144)
def _family(family: str) -> Values:
    keys = family_keys(family)
    parts = keys.parts or ((keys.key,) if keys.key else ())
    return (
        _none(keys.key),
        _none(keys.stem),
        _none(keys.key[:3]),
        _none(parts[0]) if parts else None,
        _none(parts[-1]) if parts else None,
        _none(keys.initial),
        _none(keys.as_given),
    )


@lru_cache(maxsize=8192)
def _patronymic(patronymic: str) -> Values:
    return (_none(patronymic_key(patronymic)),)


@lru_cache(maxsize=65536)
def _date_parts(text: str) -> Values:
    if not text:
        return None, None, None, None, None, None, None
    parsed = PartialDate.parse(text)
    if parsed.precision is Precision.day:
        days = parsed.value.toordinal() - _EPOCH
        low, high = sorted((parsed.value.month, parsed.value.day))
        unordered = parsed.year * 10000 + low * 100 + high
        return parsed.year, parsed.month, parsed.day, days, unordered, days // 7, (days + 4) // 7
    return parsed.year, parsed.month, None, None, None, None, None


@lru_cache(maxsize=65536)
def _place(text: str) -> Values:
    place = place_keys(text) if text else None
    if place is None:
        return None, None, None, None, None
    # A resolved place is keyed by its id ("G…"/"K…": digits no skeleton holds).
    key = place.place_id or place.text or None
    return place.place_id or None, place.latitude, place.longitude, place.text or None, key


def _sorted_names(given: str | None, family_as_given: str | None) -> str | None:
    if not given or not family_as_given:
        return None
    return "|".join(sorted((given, family_as_given)))


def features(row: PersonRow) -> Features:
    """The comparison columns of one row (``row.birth_date`` must be contract form)."""
    given = _given(row.given_name)
    family = _family(row.family_name)
    return Features._make(
        (
            row.record_id,
            *given,
            *family,
            *_patronymic(row.patronymic),
            _none(row.sex),
            *_date_parts(row.birth_date),
            *_place(row.birth_place),
            _sorted_names(given[0], family[6]),
        )
    )


# Which contract column each group of feature columns is computed from, and how.
_DERIVED: tuple[tuple[str, Callable[[str], Values], tuple[str, ...]], ...] = (
    ("given_name", _given, ("given_key", "given_sk", "given_prefix", "given_as_family")),
    (
        "family_name",
        _family,
        (
            "family_key",
            "family_stem",
            "family_prefix",
            "family_first",
            "family_last",
            "family_initial",
            "family_as_given",
        ),
    ),
    ("patronymic", _patronymic, ("patronymic_key",)),
    (
        "birth_date",
        _date_parts,
        (
            "birth_year",
            "birth_month",
            "birth_day",
            "birth_days",
            "birth_unordered",
            "birth_week",
            "birth_week_offset",
        ),
    ),
    ("birth_place", _place, ("place_id", "latitude", "longitude", "place_sk", "place_key")),
)


def features_of_table(table: pa.Table) -> pa.Table:
    """:func:`features` for a whole table of contract columns (strings), column by column.

    Each distinct value is reduced once and the result spread to its rows, so a million rows
    cost what their few hundred thousand distinct names cost; no row becomes a Python object.
    """
    columns: dict[str, pa.Array] = {"unique_id": table.column("record_id").combine_chunks()}
    for source, reduce, names in _DERIVED:
        encoded = pc.dictionary_encode(table.column(source).combine_chunks())
        reduced = [reduce(value) for value in encoded.dictionary.to_pylist()]
        for number, name in enumerate(names):
            distinct = pa.array(
                [values[number] for values in reduced], type=SCHEMA.field(name).type
            )
            columns[name] = distinct.take(encoded.indices)
    sex = table.column("sex").combine_chunks()
    columns["sex"] = pc.if_else(pc.equal(sex, ""), pa.scalar(None, pa.string()), sex)
    columns["names_sorted"] = _sorted_column(columns["given_key"], columns["family_as_given"])
    return pa.table([columns[name] for name in FEATURE_COLUMNS], schema=SCHEMA)


def _sorted_column(given: pa.Array, family: pa.Array) -> pa.Array:
    first = pc.if_else(pc.less_equal(given, family), given, family)
    second = pc.if_else(pc.less_equal(given, family), family, given)
    return pc.binary_join_element_wise(first, second, "|")


def rows_table(rows: Sequence[PersonRow] | Iterable[PersonRow]) -> pa.Table:
    """Contract rows as a table of strings."""
    values: list[list[str]] = [[] for _ in COLUMNS]
    appenders = [column.append for column in values]
    for row in rows:
        for append, value in zip(appenders, _fields(row), strict=True):
            append(value)
    return pa.table(
        {name: pa.array(column, pa.string()) for name, column in zip(COLUMNS, values, strict=True)}
    )


def _fields(row: PersonRow) -> tuple[str, ...]:
    return (
        row.record_id,
        row.given_name,
        row.family_name,
        row.patronymic,
        row.sex,
        row.birth_date,
        row.birth_place,
    )


def feature_table(rows: Iterable[PersonRow]) -> pa.Table:
    """A columnar table of :func:`features`, ready for DuckDB or Spark."""
    return features_of_table(rows_table(rows))
