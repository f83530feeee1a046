"""The model's comparisons, each level written once and evaluated two ways.

Batch linkage hands the levels to Splink as SQL; live candidates evaluate the same levels in
Python for one record at a time. Every level therefore carries its SQL and its Python
predicate side by side, and ``tests/linkage/test_comparisons.py`` checks that they agree.
The first level whose condition holds decides a comparison, as in a SQL ``CASE``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from ridni.linkage.places import haversine_km

Record = Any  # a Features named tuple or anything with the feature attributes
Predicate = Callable[[Record, Record], bool]
TYPO_GATE = 0.8
Similarity = tuple[Literal["jaro_winkler", "damerau_levenshtein"], str, float]


@dataclass(frozen=True, slots=True)
class Level:
    label: str
    sql: str  # DuckDB dialect, over columns suffixed _l and _r
    test: Predicate
    is_null: bool = False
    tf_column: str | None = None
    # String similarities that must all hold, as (function, column, threshold): Splink
    # writes their SQL per dialect (DuckDB and Spark name and ship them differently).
    similarity: tuple[Similarity, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]
    # The levels' predicates, top down: what level_of() loops over for every scored pair.
    tests: tuple[Predicate, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tests", tuple(level.test for level in self.levels))


def null(*columns: str) -> Level:
    """Unknown when every one of ``columns`` is missing on either side."""
    sides = " OR ".join(
        "(" + " AND ".join(f"{c}_{side} IS NULL" for c in columns) + ")" for side in "lr"
    )

    def test(left: Record, right: Record) -> bool:
        for record in (left, right):
            for column in columns:
                if getattr(record, column) is not None:
                    break
            else:
                return True  # every column missing on this side
        return False

    return Level(f"{'/'.join(columns)} missing", sides, test, is_null=True)


def exact(column: str, *, tf: bool = False, label: str | None = None) -> Level:
    def test(left: Record, right: Record) -> bool:
        value = getattr(left, column)
        return value is not None and value == getattr(right, column)

    return Level(
        label or f"{column} equal",
        f"{column}_l = {column}_r",
        test,
        tf_column=column if tf else None,
    )


def any_equal(label: str, pairs: Sequence[tuple[str, str]], *, both_ways: bool = True) -> Level:
    """One of the left columns equals its paired right column (or, ``both_ways``, the reverse)."""
    both = [*pairs, *((b, a) for a, b in pairs if a != b and both_ways)]
    sql = " OR ".join(f"{a}_l = {b}_r" for a, b in both)

    def test(left: Record, right: Record) -> bool:
        for a, b in both:
            value = getattr(left, a)
            if value is not None and value == getattr(right, b):
                return True
        return False

    return Level(label, f"({sql})", test)


def jaro_winkler(column: str, threshold: float) -> Level:
    def test(left: Record, right: Record) -> bool:
        a, b = getattr(left, column), getattr(right, column)
        if a is None or b is None:
            return False
        return bool(JaroWinkler.similarity(a, b) >= threshold)

    return Level(
        f"{column} similar (Jaro-Winkler ≥ {threshold})",
        f"jaro_winkler_similarity({column}_l, {column}_r) >= {threshold}",
        test,
        similarity=(("jaro_winkler", column, threshold),),
    )


def one_typo(column: str, label: str = "one typo apart") -> Level:
    """A letter added, dropped, changed, or two neighbours swapped (Damerau-Levenshtein ≤ 1).

    Jaro-Winkler ≥ 0.8 is asked first: it holds for nearly every such pair of names and costs
    a fraction of the edit distance, which then runs only on the few pairs that pass.
    """

    def test(left: Record, right: Record) -> bool:
        a, b = getattr(left, column), getattr(right, column)
        if a is None or b is None:
            return False
        return bool(
            JaroWinkler.similarity(a, b) >= TYPO_GATE
            and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1
        )

    return Level(
        label,
        f"jaro_winkler_similarity({column}_l, {column}_r) >= {TYPO_GATE} AND "
        f"damerau_levenshtein({column}_l, {column}_r) <= 1",
        test,
        similarity=(("jaro_winkler", column, TYPO_GATE), ("damerau_levenshtein", column, 1)),
    )


def custom(label: str, sql: str, test: Predicate) -> Level:
    return Level(label, sql, test)


def else_level() -> Level:
    return Level("all other comparisons", "ELSE", lambda _left, _right: True)


def level_of(comparison: Comparison, left: Record, right: Record) -> int:
    """Index of the first level that holds (Splink numbers them from the top down)."""
    for index, test in enumerate(comparison.tests):
        if test(left, right):
            return index
    raise AssertionError("a comparison must end with an else level")


def within_km(km: float) -> Level:
    sql = (
        "latitude_l IS NOT NULL AND latitude_r IS NOT NULL AND "
        "12742.0 * asin(sqrt(power(sin(radians(latitude_r - latitude_l) / 2), 2) + "
        "cos(radians(latitude_l)) * cos(radians(latitude_r)) * "
        f"power(sin(radians(longitude_r - longitude_l) / 2), 2))) <= {km}"
    )

    def test(left: Record, right: Record) -> bool:
        if left.latitude is None or right.latitude is None:
            return False
        return haversine_km(left.latitude, left.longitude, right.latitude, right.longitude) <= km

    return Level(f"birth places within {km:g} km", sql, test)
