"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, DateTime, Dialect, Enum, TypeDecorator
from sqlalchemy.orm import Composite, composite, mapped_column

from ridni.partial_date import PartialDate, Precision


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out — SQLite would otherwise drop the zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def enum_type(enum: type[StrEnum]) -> Enum:
    """A VARCHAR holding the enum's values: portable and cheap to extend in a migration."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def partial_date(name: str, *, index: bool = False) -> Composite[Any]:
    """A :class:`PartialDate` stored as ``<name>_value`` (DATE) and ``<name>_precision``."""
    return composite(
        PartialDate,
        mapped_column(f"{name}_value", Date, nullable=True, index=index),
        mapped_column(f"{name}_precision", enum_type(Precision), nullable=True),
        return_none_on=_unknown_date,
    )


def _unknown_date(value: object, precision: object) -> bool:
    return value is None or precision is None
