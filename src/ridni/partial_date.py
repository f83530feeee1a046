"""Dates known to a day, a month or only a year.

A family knows the exact birthday; a camp list may give "2012-03"; an adoption listing only the
year. A :class:`PartialDate` keeps the precision instead of inventing the missing parts, so that
matching can compare like with like and no screen shows a day nobody wrote down.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ridni.errors import InputError
from ridni.form_input import without_controls
from ridni.i18n import N_


class Precision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


# [0-9], not \d: other scripts' digits are not dates we can vouch for.
_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
# Day-first forms people type in Ukraine and Russia: 14.03.2012, 14/03/2012, 03.2012.
_DOTTED = re.compile(r"^(?:([0-9]{1,2})[./])?([0-9]{1,2})[./]([0-9]{4})$")

MIN_YEAR = 1900
MAX_YEAR = 2100
# What :meth:`PartialDate.parse` says of a date in a readable form that is no date (a form
# tells them apart by these templates).
IMPOSSIBLE = N_("impossible date “{text}”: {reason}")
YEAR_OUTSIDE = N_("the year of “{text}” is outside {low}–{high}")


# No `from __future__ import annotations` here: SQLAlchemy reads these field types at runtime
# when it maps the composite columns.
@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date with a precision; ``value`` is the first day of the period it names."""

    value: date
    precision: Precision

    def __post_init__(self) -> None:
        if self.precision is not Precision.day and self.value.day != 1:
            raise ValueError("a month- or year-precision date must be stored as its first day")
        if self.precision is Precision.year and self.value.month != 1:
            raise ValueError("a year-precision date must be stored as 1 January")

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> "PartialDate":
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1–12")
        if day is not None:
            return cls(date(year, month or 1, day), Precision.day)
        if month is not None:
            return cls(date(year, month, 1), Precision.month)
        return cls(date(year, 1, 1), Precision.year)

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``DD.MM.YYYY`` or ``MM.YYYY``."""
        cleaned = text.strip()
        iso = _ISO.match(cleaned)
        dotted = None if iso else _DOTTED.match(cleaned)
        year_at = 0 if iso else 2
        found = iso or dotted
        if found and not MIN_YEAR <= int(found.group(year_at + 1)) <= MAX_YEAR:
            # Its own message: "impossible date: year 1899 is outside …" said to check the day
            # and month, and forms said the date does not exist.
            raise InputError(
                YEAR_OUTSIDE, N_("check the year"), text=_shown(text), low=MIN_YEAR, high=MAX_YEAR
            )
        try:
            if iso:
                year, month, day = iso.groups()
                return cls.of(int(year), _int(month), _int(day))
            if dotted:
                day, month, year = dotted.groups()
                return cls.of(int(year), int(month), _int(day))
        except ValueError as exc:
            raise InputError(
                IMPOSSIBLE, N_("check the day and month"), text=_shown(text), reason=exc
            ) from None
        raise InputError(
            N_("unreadable date “{text}”"),
            N_("write it as YYYY-MM-DD, YYYY-MM, YYYY or DD.MM.YYYY"),
            text=_shown(text),
        )

    @property
    def year(self) -> int:
        return self.value.year

    @property
    def month(self) -> int | None:
        return None if self.precision is Precision.year else self.value.month

    @property
    def day(self) -> int | None:
        return self.value.day if self.precision is Precision.day else None

    def iso(self) -> str:
        """The contract form: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
        if self.precision is Precision.year:
            return f"{self.value.year:04d}"
        if self.precision is Precision.month:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def __str__(self) -> str:
        return self.iso()


def _shown(text: str) -> str:
    """The text as a message echoes it: without control or invisible characters (no bidi
    overrides), short."""
    kept = without_controls(text, invisible=True)
    return kept if len(kept) <= 40 else kept[:39] + "…"


def _int(part: str | None) -> int | None:
    return int(part) if part else None


def parse_optional(text: str | None) -> "PartialDate | None":
    """Empty text means unknown, not an error."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)
