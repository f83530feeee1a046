"""What the model compares: names, birth date, birth place and sex, level by level.

Levels run from the strongest agreement to the weakest; the model learns how much each says.
Dates keep their precision: a year-only date is "consistent" with a full date in that year,
which says less than an exact day but is no disagreement.
"""

from __future__ import annotations

from ridni.linkage.comparisons import (
    Comparison,
    Level,
    Predicate,
    Record,
    any_equal,
    custom,
    else_level,
    exact,
    jaro_winkler,
    null,
    one_typo,
    within_km,
)


def _initial_level(agree: bool) -> Level:
    sign = "=" if agree else "<>"
    sql = (
        "(family_key_l IS NULL OR family_key_r IS NULL) AND "
        f"family_initial_l {sign} family_initial_r"
    )

    def test(left: Record, right: Record) -> bool:
        if left.family_key is not None and right.family_key is not None:
            return False
        if left.family_initial is None or right.family_initial is None:
            return False
        return bool((left.family_initial == right.family_initial) == agree)

    label = "surname initial only, agrees" if agree else "surname initial only, differs"
    return custom(label, sql, test)


GIVEN = Comparison(
    "given_name",
    "Given name: same name in any language and script, then spelling similarity",
    (
        null("given_key"),
        exact("given_key", tf=True, label="same given name"),
        # One way only: the left given name against the right surname here, the left surname
        # against the right given name in FAMILY. Both ways would count one coincidence
        # ("Ryan Allsopp" and "William Ryan") twice, once in each comparison.
        any_equal(
            "given and family names swapped", [("given_key", "family_as_given")], both_ways=False
        ),
        one_typo("given_sk"),
        jaro_winkler("given_sk", 0.92),
        jaro_winkler("given_sk", 0.8),
        else_level(),
    ),
)

FAMILY = Comparison(
    "family_name",
    "Surname: same name, gender form, part of a double surname, initial only, similarity",
    (
        null("family_key", "family_initial"),
        exact("family_key", tf=True, label="same surname"),
        exact("family_stem", label="same surname in another gender form"),
        any_equal(
            "one part of a double surname agrees",
            [
                ("family_first", "family_first"),
                ("family_last", "family_last"),
                ("family_key", "family_first"),
                ("family_key", "family_last"),
            ],
        ),
        any_equal(
            "given and family names swapped", [("family_key", "given_as_family")], both_ways=False
        ),
        one_typo("family_key"),
        jaro_winkler("family_key", 0.92),
        jaro_winkler("family_key", 0.84),
        _initial_level(True),
        _initial_level(False),
        else_level(),
    ),
)

PATRONYMIC = Comparison(
    "patronymic",
    "Patronymic: same in any language and script, then similarity",
    (
        null("patronymic_key"),
        exact("patronymic_key", label="same patronymic"),
        jaro_winkler("patronymic_key", 0.9),
        else_level(),
    ),
)


def _date(label: str, sql: str, test: Predicate) -> Level:
    return custom(label, sql, test)


def _both_days(left: Record, right: Record) -> bool:
    return left.birth_days is not None and right.birth_days is not None


def _swapped(left: Record, right: Record) -> bool:
    return (
        _both_days(left, right)
        and left.birth_year == right.birth_year
        and left.birth_month == right.birth_day
        and left.birth_day == right.birth_month
    )


def _near(left: Record, right: Record) -> bool:
    return _both_days(left, right) and abs(left.birth_days - right.birth_days) <= 3


def _same_month_partial(left: Record, right: Record) -> bool:
    return (
        left.birth_month is not None
        and left.birth_year == right.birth_year
        and left.birth_month == right.birth_month
        and (left.birth_day is None or right.birth_day is None)
    )


def _year_only(left: Record, right: Record) -> bool:
    return left.birth_year == right.birth_year and (
        left.birth_month is None or right.birth_month is None
    )


def _same_year(left: Record, right: Record) -> bool:
    return left.birth_year is not None and left.birth_year == right.birth_year


def _one_digit_sql(column: str) -> str:
    """Two numbers under 100 that share their tens or their units digit."""
    return f"(floor({column}_l / 10) = floor({column}_r / 10) OR {column}_l % 10 = {column}_r % 10)"


def _digit_apart(a: int, b: int) -> bool:
    return a // 10 == b // 10 or a % 10 == b % 10


def _one_digit(left: Record, right: Record) -> bool:
    if not _both_days(left, right) or left.birth_year != right.birth_year:
        return False
    if left.birth_month == right.birth_month:
        return _digit_apart(left.birth_day, right.birth_day)
    return left.birth_day == right.birth_day and _digit_apart(left.birth_month, right.birth_month)


def _same_birthday(left: Record, right: Record) -> bool:
    return (
        _both_days(left, right)
        and left.birth_month == right.birth_month
        and left.birth_day == right.birth_day
    )


def _year_apart(left: Record, right: Record) -> bool:
    return (
        left.birth_year is not None
        and right.birth_year is not None
        and abs(left.birth_year - right.birth_year) == 1
    )


BIRTH_DATE = Comparison(
    "birth_date",
    "Birth date with its precision: exact, day and month swapped, a few days apart, "
    "consistent at the precision one side has, same year, a year apart",
    (
        null("birth_year"),
        exact("birth_days", label="same day"),
        _date(
            "day and month swapped",
            "birth_days_l IS NOT NULL AND birth_days_r IS NOT NULL AND "
            "birth_year_l = birth_year_r AND birth_month_l = birth_day_r AND "
            "birth_day_l = birth_month_r",
            _swapped,
        ),
        _date("within 3 days", "abs(birth_days_l - birth_days_r) <= 3", _near),
        _date(
            "one digit of the day or month mistyped",
            "birth_days_l IS NOT NULL AND birth_days_r IS NOT NULL AND "
            "birth_year_l = birth_year_r AND ("
            f"(birth_month_l = birth_month_r AND {_one_digit_sql('birth_day')}) OR "
            f"(birth_day_l = birth_day_r AND {_one_digit_sql('birth_month')}))",
            _one_digit,
        ),
        _date(
            "same month, one side without a day",
            "birth_year_l = birth_year_r AND birth_month_l = birth_month_r AND "
            "(birth_day_l IS NULL OR birth_day_r IS NULL)",
            _same_month_partial,
        ),
        _date(
            "same year, one side year only",
            "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL)",
            _year_only,
        ),
        _date("same year, other month or day", "birth_year_l = birth_year_r", _same_year),
        _date(
            "same day and month, another year",
            "birth_days_l IS NOT NULL AND birth_days_r IS NOT NULL AND "
            "birth_month_l = birth_month_r AND birth_day_l = birth_day_r",
            _same_birthday,
        ),
        _date("a year apart", "abs(birth_year_l - birth_year_r) = 1", _year_apart),
        else_level(),
    ),
)

BIRTH_PLACE = Comparison(
    "birth_place",
    "Birth place: the same place under any name, nearby, similar unresolved text",
    (
        null("place_id", "place_sk"),
        # The place, or for one no gazetteer knows, the same text; a big town says less.
        exact("place_key", tf=True, label="same place"),
        within_km(30),
        jaro_winkler("place_sk", 0.9),
        else_level(),
    ),
)

SEX = Comparison(
    "sex",
    "Sex",
    (null("sex"), exact("sex", label="same sex"), else_level()),
)

COMPARISONS = (GIVEN, FAMILY, PATRONYMIC, BIRTH_DATE, BIRTH_PLACE, SEX)
