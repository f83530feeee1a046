"""Partial dates: what people write, read with the precision they meant."""

from __future__ import annotations

from datetime import date

import pytest

from ridni.errors import InputError
from ridni.partial_date import PartialDate, Precision, parse_optional


@pytest.mark.parametrize(
    ("text", "value", "precision", "iso"),
    [
        ("2012-03-14", date(2012, 3, 14), Precision.day, "2012-03-14"),
        ("2012-03", date(2012, 3, 1), Precision.month, "2012-03"),
        ("2012", date(2012, 1, 1), Precision.year, "2012"),
        ("14.03.2012", date(2012, 3, 14), Precision.day, "2012-03-14"),
        ("14/03/2012", date(2012, 3, 14), Precision.day, "2012-03-14"),
        ("03.2012", date(2012, 3, 1), Precision.month, "2012-03"),
        (" 2012-3-4 ", date(2012, 3, 4), Precision.day, "2012-03-04"),
    ],
)
def test_written_forms(text: str, value: date, precision: Precision, iso: str) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.value, parsed.precision, parsed.iso()) == (value, precision, iso)


@pytest.mark.parametrize("text", ["31.02.2012", "2012-13", "2012-00-10", "29.02.2023"])
def test_impossible_dates_say_so(text: str) -> None:
    with pytest.raises(InputError, match="impossible date"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["0001-01-01", "2150", "1899-12-31", "01.1899", "14.03.0012"])
def test_a_year_outside_the_range_is_named_as_such(text: str) -> None:
    # It was "impossible date …: year 1 is outside 1900–2100 — check the day and month".
    with pytest.raises(
        InputError, match=r"^the year of “.*” is outside 1900–2100 — check the year$"
    ):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["March 2012", "12-03-14", "2012/03/14", "'; DROP TABLE", "٢٠١٢"])
def test_unreadable_dates_name_the_accepted_forms(text: str) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        PartialDate.parse(text)


def test_empty_means_unknown() -> None:
    assert parse_optional("") is None
    assert parse_optional("   ") is None
    assert parse_optional(None) is None


def test_a_partial_date_never_invents_a_day() -> None:
    with pytest.raises(ValueError, match="first day"):
        PartialDate(date(2012, 3, 14), Precision.month)
    month = PartialDate.of(2012, 3)
    assert (month.year, month.month, month.day) == (2012, 3, None)


def test_ordering_follows_time() -> None:
    dates = [PartialDate.parse(t) for t in ("2013", "2012-03-14", "2012-03")]
    assert [d.iso() for d in sorted(dates)] == ["2012-03", "2012-03-14", "2013"]
