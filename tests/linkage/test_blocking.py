"""Candidate pairs stay bounded when a name is very common, and the child is still found."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from ridni.linkage.batch import link_files
from ridni.linkage.blocking import BLOCK_COLUMNS, RULES, add_block_keys
from ridni.linkage.contract import PersonRow, write_rows
from ridni.linkage.live import Matcher
from ridni.linkage.prepare import feature_table

PLACES = ("Херсон", "Маріуполь", "Мелітополь", "Бердянськ", "Енергодар", "Нова Каховка")


def _namesakes(prefix: str, count: int, russian: bool) -> list[PersonRow]:
    """``count`` girls called Анна Мельник born in 2012, each on her own day and in one of a
    few towns: a block of namesakes as big as common names make in long lists."""
    given, family = ("Анна", "Мельник") if russian else ("Ганна", "Мельник")
    return [
        PersonRow(
            f"{prefix}{n}",
            given,
            family,
            "",
            "F",
            f"2012-{1 + n % 12:02d}-{1 + n // 12 % 28:02d}",
            PLACES[n % len(PLACES)],
        )
        for n in range(count)
    ]


def _pairs(left: list[PersonRow], right: list[PersonRow]) -> int:
    con = duckdb.connect()
    tables = add_block_keys([feature_table(left), feature_table(right)], cap=200)
    con.register("l", tables[0])
    con.register("r", tables[1])
    joins = " UNION ".join(
        f"SELECT l.unique_id a, r.unique_id b FROM l JOIN r ON l.{c} = r.{c}"  # noqa: S608 (generated names)
        for c in BLOCK_COLUMNS
    )
    rows = con.sql(f"SELECT count(*) FROM ({joins})").fetchall()  # noqa: S608 (generated names)
    return int(rows[0][0])


def test_a_block_of_namesakes_over_the_cap_is_scored_through_narrower_rules() -> None:
    left = _namesakes("F", 40, russian=False)
    right = _namesakes("R", 120, russian=True)
    pairs = _pairs(left, right)
    # Without the cap every family record would meet every namesake: 4,800 pairs.
    assert pairs < 40 * 120 / 4
    # Each child still meets her own record: same names, same day.
    con = duckdb.connect()
    tables = add_block_keys([feature_table(left), feature_table(right)], cap=200)
    con.register("l", tables[0])
    con.register("r", tables[1])
    by_day = BLOCK_COLUMNS[RULES.index(("given_key", "birth_unordered"))]
    same_day = con.sql(
        f"SELECT count(DISTINCT l.unique_id) FROM l JOIN r ON l.{by_day} = r.{by_day}"  # noqa: S608 (generated names)
    ).fetchall()[0][0]
    assert same_day == 40


def test_the_right_namesake_is_still_the_best_candidate(tmp_path: Path) -> None:
    left = _namesakes("F", 30, russian=False)
    right = _namesakes("R", 150, russian=True)
    write_rows(tmp_path / "left.csv", left)
    write_rows(tmp_path / "right.csv", right)
    link_files(tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv")
    with (tmp_path / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        best: dict[str, str] = {}
        for row in csv.DictReader(handle):
            best.setdefault(row["left_id"], row["right_id"])
    assert all(best.get(f"F{n}") == f"R{n}" for n in range(30))


def _boys(prefix: str, count: int, given: str, days: list[int]) -> list[PersonRow]:
    """``count`` boys called ``given`` born in March 2012, each with his own surname."""
    return [
        PersonRow(
            f"{prefix}{n}",
            given,
            f"Прізвище{n}",
            "",
            "M",
            f"2012-03-{days[n % len(days)]:02d}",
            PLACES[n % len(PLACES)],
        )
        for n in range(count)
    ]


def test_an_adopted_child_with_a_shifted_or_swapped_date_is_a_candidate_in_batch_and_live() -> None:
    """A new surname, no patronymic, no place, and a date two days off (or day and month
    swapped): only the given name and the date's neighbourhood agree, and the given name's
    blocks by year and month are crowds over the cap."""
    quiet_days = [*range(1, 11), *range(18, 29)]  # nobody else born 11–17 March
    crowd = _boys("R", 60, "Александр", quiet_days)
    own = [
        PersonRow("R-shifted", "Александр", "Иванов", "", "M", "2012-03-16", ""),
        PersonRow("R-swapped", "Александр", "Петров", "", "M", "2012-03-05", ""),
    ]
    queries = [
        PersonRow("F-shifted", "Олександр", "Шевченко", "Петрович", "M", "2012-03-14", "Херсон"),
        # 3 May written as 5 March
        PersonRow("F-swapped", "Олександр", "Коваль", "Іванович", "M", "2012-05-03", "Херсон"),
    ]
    left = [*queries, *_boys("F", 4, "Олександр", [1, 2, 3, 4])]
    right = [*crowd, *own]
    con = duckdb.connect()
    tables = add_block_keys([feature_table(left), feature_table(right)], cap=200)
    con.register("l", tables[0])
    con.register("r", tables[1])
    agree = " OR ".join(f"l.{c} = r.{c}" for c in BLOCK_COLUMNS)
    found = con.sql(
        f"SELECT l.unique_id, r.unique_id FROM l JOIN r ON {agree} "  # noqa: S608 (generated names)
        "WHERE l.unique_id LIKE 'F-%' AND r.unique_id LIKE 'R-%'"
    ).fetchall()
    assert sorted(found) == [("F-shifted", "R-shifted"), ("F-swapped", "R-swapped")]
    # The given name's year and month block was over the cap: it did not find the first.
    month = BLOCK_COLUMNS[RULES.index(("given_key", "birth_year", "birth_month"))]
    assert con.sql(
        f"SELECT count({month}) FROM l WHERE unique_id = 'F-shifted'"  # noqa: S608 (generated name)
    ).fetchall() == [(0,)]
    # 62 boys called Александр born in 2012: a crowd over a live cap of 20 too.
    matcher = Matcher.from_rows(right, cap=20)
    for query, wanted in zip(queries, own, strict=True):
        assert wanted.record_id in {c.record_id for c in matcher.candidates(query, k=10)}


def test_a_mistyped_surname_meets_its_child_when_date_and_place_are_missing(
    tmp_path: Path,
) -> None:
    """The same given name and a surname mistyped after its first letters is all these two
    records share; the registry side gives no date and no place, so no rule keyed on either
    can bring them together."""
    left = [PersonRow("F1", "Тетяна", "Мельничук", "", "F", "2012-05-03", "Херсон")]
    right = [PersonRow("R1", "Татьяна", "Мельнчиук", "", "F", "", "")]
    right += _namesakes("R-other-", 20, russian=True)
    write_rows(tmp_path / "left.csv", left)
    write_rows(tmp_path / "right.csv", right)
    link_files(tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv")
    with (tmp_path / "pairs.csv").open(encoding="utf-8", newline="") as handle:
        found = [(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)]
    assert found[:1] == [("F1", "R1")]
    # The live index keys the same rules: a new report finds her there too.
    best = Matcher.from_rows(right).candidates(left[0], k=1)
    assert [c.record_id for c in best] == ["R1"]
