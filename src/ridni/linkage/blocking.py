"""Which pairs get scored: blocking rules with a cap on how many pairs one block may make.

A pair is scored when it agrees on every column of at least one rule. Each rule rescues a
phenomenon the others miss (a new surname on adoption, an initial only, a shifted or partial
date, a typo, swapped names, a missing place). A rule on common values would make blocks that
grow with the square of the lists: 7% of children may share a surname, and "Анна, 2012" is a
block of hundreds on each side at 200,000 children. So a block that would make more than
``BATCH_CAP`` pairs is left out of its rule, and the narrower rules (the same columns and one
more) score its pairs instead. Pairs then grow about linearly with the lists (see
docs/decisions/104-capped-blocking.md). Inside a block that big, a pair agreeing on nothing
but the block's columns could not be ranked above its namesakes anyway.

Batch runs compute each rule's key as one 64-bit hash column per table (``block_<n>``, NULL
when a column is missing or the block is over the cap), so Splink, on DuckDB or Spark, only
joins on equal integers. The live index applies the same rules with its own cap on records
per block (:mod:`ridni.linkage.live`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

RULES: tuple[tuple[str, ...], ...] = (
    ("given_key", "family_key"),
    ("family_stem", "given_key"),
    ("family_key", "birth_year"),
    ("family_key", "birth_year", "birth_month"),
    ("given_prefix", "family_key", "birth_year"),
    ("names_sorted", "birth_year"),
    ("names_sorted",),
    ("family_key",),
    ("family_key", "patronymic_key", "birth_year"),
    ("given_key", "birth_unordered"),
    ("birth_days",),
    ("given_key", "birth_year"),
    ("given_key", "birth_year", "birth_month"),
    ("family_initial", "given_key", "birth_year"),
    ("family_initial", "birth_days"),
    ("given_key", "place_key", "birth_year"),
    ("given_key", "place_key"),
    ("given_key", "patronymic_key", "birth_year"),
    ("given_key", "patronymic_key", "place_key"),
    ("patronymic_key", "birth_unordered"),
    ("patronymic_key", "place_key", "birth_year"),
    ("birth_unordered", "place_key"),
    ("birth_days", "sex"),
    ("birth_year", "birth_month", "place_key"),
    ("place_key",),
    ("given_prefix", "family_prefix", "birth_year"),
    ("given_prefix", "family_prefix", "place_key"),
    # A new surname (adoption) and another date: the given name with what else may agree.
    ("given_key", "family_initial", "place_key"),
    ("given_key", "patronymic_key"),
    ("given_key", "patronymic_key", "family_initial"),
    # A date a few days off: two grids of 7-day windows (prepare.py).
    ("given_key", "birth_week"),
    ("given_key", "birth_week_offset"),
    # A surname mistyped past its first letters, with no date or place to agree on.
    ("given_key", "family_prefix"),
)
BATCH_CAP = 1000  # pairs one block may make in a batch run
LIVE_CAP = 150  # indexed records one block may hold for a live query
BLOCK_COLUMNS = tuple(f"block_{number}" for number in range(len(RULES)))


def rule_key(item: Any, rule: tuple[str, ...]) -> int:
    """The rule's key for one record (a :class:`~ridni.linkage.prepare.Features`) as a
    non-zero 64-bit number, 0 when a column is missing: the live index's key. Python's hash,
    so process-local; batch keys are DuckDB hashes of the same values."""
    return _key(tuple(getattr(item, column) for column in rule))


def rule_keys(columns: Mapping[str, Sequence[Any]], rule: tuple[str, ...]) -> Iterator[int]:
    """:func:`rule_key` of every record of a table given column by column."""
    return map(_key, zip(*(columns[column] for column in rule), strict=True))


def _key(values: tuple[Any, ...]) -> int:
    return 0 if None in values else (hash(values) or 1)


def _hash_sql(rule: tuple[str, ...]) -> str:
    present = " AND ".join(f"{column} IS NOT NULL" for column in rule)
    # Shifted to fit a signed BIGINT, which every backend (and pandas, for Spark) can hold.
    return f"CASE WHEN {present} THEN (hash({', '.join(rule)}) >> 1)::BIGINT END"


def add_block_keys(
    tables: list[pa.Table],
    cap: int = BATCH_CAP,
    rules: tuple[tuple[str, ...], ...] = RULES,
) -> list[pa.Table]:
    """``tables`` (one to deduplicate, two to link) with a ``block_<n>`` column per rule
    (``rules`` other than :data:`RULES` only for benchmarks that try rules out)."""
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = false")
        names = [f"side_{number}" for number in range(len(tables))]
        hashes = ", ".join(f"{_hash_sql(rule)} AS h_{n}" for n, rule in enumerate(rules))
        for name, table in zip(names, tables, strict=True):
            con.register(f"{name}_arrow", table)
            con.execute(
                f"CREATE TABLE {name} AS SELECT *, {hashes} FROM {name}_arrow"  # noqa: S608 (generated names)
            )
            con.unregister(f"{name}_arrow")
        for number in range(len(rules)):
            con.execute(_oversized_sql(number, names, cap))
        results = []
        for name in names:
            keys = ", ".join(
                f"CASE WHEN h_{n} IN (SELECT h FROM oversized_{n}) "  # noqa: S608 (generated names)
                f"THEN NULL ELSE h_{n} END AS block_{n}"
                for n in range(len(rules))
            )
            drop = ", ".join(f"h_{n}" for n in range(len(rules)))
            results.append(
                con.sql(f"SELECT * EXCLUDE ({drop}), {keys} FROM {name}").to_arrow_table()  # noqa: S608 (generated names)
            )
        return results
    finally:
        con.close()


def _oversized_sql(number: int, names: list[str], cap: int) -> str:
    """Keys of rule ``number`` whose block would make more than ``cap`` pairs."""
    column = f"h_{number}"
    counts = [
        f"SELECT {column} AS h, count(*) AS n FROM {name} "  # noqa: S608 (generated names)
        f"WHERE {column} IS NOT NULL GROUP BY 1"
        for name in names
    ]
    if len(names) == 1:  # deduplication: pairs within one list
        return (
            f"CREATE TABLE oversized_{number} AS SELECT h FROM ({counts[0]}) "  # noqa: S608 (generated names)
            f"WHERE n * (n - 1) / 2 > {cap}"
        )
    return (
        f"CREATE TABLE oversized_{number} AS SELECT a.h FROM ({counts[0]}) a "  # noqa: S608 (generated names)
        f"JOIN ({counts[1]}) b ON a.h = b.h WHERE a.n * b.n > {cap}"
    )
