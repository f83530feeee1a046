"""The SQL Splink runs and the Python the live matcher runs choose the same level."""

from __future__ import annotations

from itertools import islice

import duckdb

from ridni.demo.linkage_set import LinkageSet
from ridni.linkage.comparisons import level_of
from ridni.linkage.fields import COMPARISONS
from ridni.linkage.prepare import feature_table, features


def test_sql_and_python_levels_agree(small_set: LinkageSet) -> None:
    left = small_set.family[:60]
    right = small_set.registry[:200]
    con = duckdb.connect()
    con.register("l_t", feature_table(left))
    con.register("r_t", feature_table(right))
    names = feature_table(left[:1]).schema.names
    select = ", ".join([f"l.{n} AS {n}_l" for n in names] + [f"r.{n} AS {n}_r" for n in names])
    cases = []
    for comparison in COMPARISONS:
        whens = []
        for index, level in enumerate(comparison.levels):
            sql = level.sql
            whens.append(f"ELSE {index}" if sql == "ELSE" else f"WHEN {sql} THEN {index}")
        cases.append(f"CASE {' '.join(whens)} END AS {comparison.name}")
    query = (
        f"SELECT l_unique_id, r_unique_id, {', '.join(cases)} FROM "  # noqa: S608 (table names are generated here, never user text)
        f"(SELECT l.unique_id AS l_unique_id, r.unique_id AS r_unique_id, {select} "
        f"FROM l_t l CROSS JOIN r_t r)"
    )
    rows = con.sql(query).fetchall()
    by_id = {r.record_id: features(r) for r in left + right}
    checked = 0
    for row in islice(rows, 12000):
        a, b = by_id[row[0]], by_id[row[1]]
        for comparison, sql_level in zip(COMPARISONS, row[2:], strict=True):
            assert level_of(comparison, a, b) == sql_level, (comparison.name, a, b)
            checked += 1
    assert checked > 50000
