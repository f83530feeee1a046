"""Turn contract rows into the comparison columns both the batch and the live matcher use.

Every name, place and date is reduced once to keys (see :mod:`names`, :mod:`places`); the
model compares keys, never raw text, so a row costs the same whatever its script. Empty values
become ``None`` so the model can tell "unknown" from "different".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

import pyarrow as pa  # type: ignore[import-untyped]

from ridni.linkage.contract import PersonRow
from ridni.linkage.names import given_key, name_keys, surname_key
from ridni.linkage.places import place_keys
from ridni.partial_date import PartialDate, Precision

_EPOCH = date(1970, 1, 1).toordinal()


class Features(NamedTuple):
    unique_id: str
    given_key: str | None
    given_sk: str | None
    given_as_family: str | None
    family_key: str | None
    family_stem: str | None
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
    place_id: str | None
    latitude: float | None
    longitude: float | None
    place_sk: str | None
    names_sorted: str | None  # the same whichever name was written in which field


FEATURE_COLUMNS = Features._fields
_TYPES: dict[str, pa.DataType] = {
    "birth_year": pa.int32(),
    "birth_month": pa.int32(),
    "birth_day": pa.int32(),
    "birth_days": pa.int32(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
}
SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in FEATURE_COLUMNS])


def _none(text: str) -> str | None:
    return text or None


@lru_cache(maxsize=65536)
def _date_parts(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    if not text:
        return None, None, None, None
    parsed = PartialDate.parse(text)
    if parsed.precision is Precision.day:
        days = parsed.value.toordinal() - _EPOCH
        return parsed.year, parsed.month, parsed.day, days
    return parsed.year, parsed.month, None, None


@lru_cache(maxsize=262144)
def _names(given: str, family: str, patronymic: str) -> tuple[str | None, ...]:
    keys = name_keys(given, family, patronymic)
    parts = keys.family_parts or ((keys.family,) if keys.family else ())
    return (
        _none(keys.given),
        _none(keys.given_skeleton),
        _none(surname_key(given)) if given else None,
        _none(keys.family),
        _none(keys.family_stem),
        _none(parts[0]) if parts else None,
        _none(parts[-1]) if parts else None,
        _none(keys.family_initial),
        _none(keys.family_as_given),
        _none(keys.patronymic),
    )


def features(row: PersonRow) -> Features:
    """The comparison columns of one row (``row.birth_date`` must be contract form)."""
    place = place_keys(row.birth_place) if row.birth_place else None
    return Features._make(
        (
            row.record_id,
            *_names(row.given_name, row.family_name, row.patronymic),
            _none(row.sex),
            *_date_parts(row.birth_date),
            place.place_id or None if place else None,
            place.latitude if place else None,
            place.longitude if place else None,
            place.text or None if place else None,
            _sorted_names(row.given_name, row.family_name),
        )
    )


@lru_cache(maxsize=262144)
def _sorted_names(given: str, family: str) -> str | None:
    keys = sorted(k for k in (given_key(given), given_key(family)) if k)
    return "|".join(keys) if len(keys) == 2 else None


def feature_table(rows: Iterable[PersonRow]) -> pa.Table:
    """A columnar table of :func:`features`, ready for DuckDB or Spark."""
    columns: list[list[Any]] = [[] for _ in FEATURE_COLUMNS]
    appenders = [column.append for column in columns]
    for row in rows:
        for append, value in zip(appenders, features(row), strict=True):
            append(value)
    return pa.table(dict(zip(FEATURE_COLUMNS, columns, strict=True)), schema=SCHEMA)
