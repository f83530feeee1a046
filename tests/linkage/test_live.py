"""The live index: records added one at a time are found at once, namesakes stay bounded."""

from __future__ import annotations

import pytest

from ridni.demo.linkage_set import LinkageSet
from ridni.linkage.contract import PersonRow
from ridni.linkage.live import FREEZE_TAIL, Matcher
from ridni.linkage.prepare import FEATURE_COLUMNS, feature_table, features


def _girl(record_id: str, given: str, day: int) -> PersonRow:
    return PersonRow(record_id, given, "Мельник", "", "F", f"2012-03-{day:02d}", "Херсон")


def test_a_record_added_after_indexing_is_found_at_once(small_set: LinkageSet) -> None:
    matcher = Matcher.from_rows(small_set.registry)
    matcher.add(PersonRow("new", "Александр", "Шевченко", "", "M", "2012-03-14", "Херсон"))
    query = PersonRow("q", "Олександр", "Шевченко", "Петрович", "M", "14.03.2012", "Херсон")
    assert matcher.candidates(query, k=5)[0].record_id == "new"


def test_records_added_one_by_one_are_indexed_like_a_bulk_load() -> None:
    rows = [_girl(f"R{n}", "Анна", 1 + n % 28) for n in range(60)]
    one_by_one = Matcher()
    for row in rows:
        one_by_one.add(row)
    bulk = Matcher.from_rows(rows)
    query = _girl("F1", "Ганна", 5)
    assert [c.record_id for c in one_by_one.candidates(query)] == [
        c.record_id for c in bulk.candidates(query)
    ]


def test_a_crowd_of_namesakes_is_skipped_but_the_right_one_is_found() -> None:
    matcher = Matcher(cap=20)
    for n in range(100):  # 100 Анна Мельник of 2012: the name alone says little
        matcher.add(_girl(f"R{n}", "Анна", 1 + n % 28))
    matcher.add(PersonRow("R-own", "Анна", "Мельник", "", "F", "2012-07-30", "Херсон"))
    query = PersonRow("F", "Ганна", "Мельник", "", "F", "2012-07-30", "Херсон")
    found = matcher.candidates(query, k=10)
    assert found[0].record_id == "R-own"
    assert len(found) < 10  # without the cap, all 101 would be candidates


def test_the_same_record_cannot_be_indexed_twice() -> None:
    matcher = Matcher()
    matcher.add(_girl("R1", "Анна", 1))
    with pytest.raises(ValueError, match="already indexed"):
        matcher.add(_girl("R1", "Анна", 2))


def test_column_and_row_features_agree(small_set: LinkageSet) -> None:
    rows = small_set.family[:200] + small_set.registry[:400]
    table = feature_table(rows)
    columns = [table.column(name).to_pylist() for name in FEATURE_COLUMNS]
    for position, row in enumerate(rows):
        assert tuple(column[position] for column in columns) == tuple(features(row))


def test_extending_in_chunks_indexes_like_one_by_one(small_set: LinkageSet) -> None:
    """The registry index reads a database in chunks through ``extend`` and tops it up with
    ``add``: both must give the same candidates and probabilities."""
    rows = small_set.registry[:900]
    one_by_one = Matcher()
    for row in rows:
        one_by_one.add(row)
    chunked = Matcher()
    assert chunked.extend(rows[:400]) == 400
    assert chunked.extend(rows[400:850]) == 450
    for row in rows[850:]:
        chunked.add(row)
    asked = 0
    for query in small_set.family[:80]:
        expected = [(c.record_id, c.match_probability) for c in one_by_one.candidates(query)]
        assert [(c.record_id, c.match_probability) for c in chunked.candidates(query)] == expected
        asked += bool(expected)
    assert asked > 20, "the queries should find candidates at all"
    for repeated in (rows[:1], [*small_set.registry[900:910], small_set.registry[905]]):
        with pytest.raises(ValueError, match="already indexed"):
            chunked.extend(repeated)
        assert len(chunked) == len(rows), "a refused chunk indexes nothing"


def test_a_bulk_read_is_sorted_before_the_first_query() -> None:
    """Sorting a large index takes seconds at a million records: it belongs to the reading,
    not to the first family report after a start."""
    matcher = Matcher()
    matcher.extend(_girl(f"R{n}", "Анна", 1 + n % 28) for n in range(FREEZE_TAIL + 10))
    assert matcher.unsorted == 0
    for n in range(10):
        matcher.add(_girl(f"L{n}", "Анна", 1 + n))
    assert matcher.unsorted == 10, "a few records added one by one wait for the next sort"
