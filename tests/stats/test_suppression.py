"""No hidden count can be worked out from what a table shows (the attacker solves for it)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ridni.stats.suppression import MIN_CELL, protect_sum, protect_table
from tests.stats.attacker import ranges


def publish(cells: list[list[int]], mask: list[list[bool]]) -> list[list[int | None]]:
    rows, columns = len(cells), len(cells[0])
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(r[j] for r in grid) for j in range(columns + 1)])
    if columns == 1:
        grid = [row[:1] for row in grid]
        mask = [row[:1] for row in mask]
    return [
        [None if mask[i][j] else grid[i][j] for j in range(len(grid[0]))] for i in range(rows + 1)
    ]


def assert_safe(cells: list[list[int]], mask: list[list[bool]]) -> None:
    published = publish(cells, mask)
    one_way = len(cells[0]) == 1
    shown = [value for row in published for value in row if value is not None]
    assert all(value == 0 or value >= MIN_CELL for value in shown), published
    full = [[*row, sum(row)] for row in cells]
    full.append([sum(r[j] for r in full) for j in range(len(full[0]))])
    for (i, j), (low, high) in ranges(published, one_way).items():
        true = full[i][j]
        assert low - 1e-6 <= true <= high + 1e-6
        assert high - low >= 1 - 1e-6, f"cell {(i, j)} = {true} is derivable from {published}"


def test_a_single_small_cell_takes_three_others_with_it() -> None:
    cells = [[40, 3, 20], [30, 25, 12], [18, 9, 50]]
    mask = protect_table(cells)
    assert mask[0][1]
    assert sum(flag for row in mask for flag in row) >= 4
    assert_safe(cells, mask)


def test_row_and_column_totals_do_not_give_back_a_hidden_child() -> None:
    # Oblast B has one returned child; its row total, the column total and the other cells
    # are shown: without complementary cells, 1 = 57 - 30 - 26 would be plain to see.
    cells = [[30, 1, 26], [44, 12, 9], [20, 15, 31]]
    mask = protect_table(cells)
    published = publish(cells, mask)
    assert published[0][1] is None
    assert_safe(cells, mask)


def test_a_small_row_total_is_hidden_as_well() -> None:
    cells = [[2, 1, 0], [44, 12, 9], [20, 15, 31]]
    mask = protect_table(cells)
    assert mask[0][3]
    assert_safe(cells, mask)


def test_zeros_are_shown_and_never_used_to_hide() -> None:
    cells = [[0, 3, 20], [0, 25, 12], [18, 9, 50]]
    mask = protect_table(cells)
    assert not mask[0][0]
    assert not mask[1][0]
    assert_safe(cells, mask)


def test_one_way_tables_hide_at_least_two_values() -> None:
    cells = [[3], [40], [25], [12]]
    mask = protect_table(cells)
    assert [row[0] for row in mask].count(True) >= 2
    assert not mask[-1][0], "the grand total stays"
    assert_safe(cells, mask)


def test_a_fixed_totals_row_is_respected_and_still_safe() -> None:
    cells = [[30, 2, 26, 1], [44, 12, 9, 2], [20, 15, 31, 0]]
    # The headline (the column totals) is protected first, as a table of its own.
    headline = protect_table([[sum(column)] for column in zip(*cells, strict=True)])
    fixed = [row[0] for row in headline[:-1]] + [headline[-1][0]]
    assert fixed == [False, True, False, True, False]  # deceased (3), and located (29)
    mask = protect_table(cells, totals_row=fixed)
    assert mask[-1] == fixed
    assert_safe(cells, mask)


def test_a_sum_is_shown_only_when_it_reveals_nothing_new() -> None:
    # Row mask: cells a, b, c and the total; a and b hidden.
    assert not protect_sum([True, True, False, False], [0, 1])  # a+b = total - c anyway
    assert protect_sum([True, True, False, False], [0])  # a alone: derived
    assert protect_sum([True, True, False, False], [0, 2])  # a + c gives a
    assert not protect_sum([False, False, False, False], [0, 2])
    assert protect_sum([True, True, False, True], [0, 1])  # total hidden: a+b is new


small = st.integers(min_value=0, max_value=4)
any_count = st.one_of(small, st.integers(min_value=0, max_value=60))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda columns: st.lists(
            st.lists(any_count, min_size=columns, max_size=columns), min_size=2, max_size=7
        )
    )
)
def test_no_random_table_gives_away_a_hidden_count(cells: list[list[int]]) -> None:
    assert_safe(cells, protect_table(cells))


@pytest.mark.parametrize("threshold", [5, 10])
def test_the_threshold_can_be_raised(threshold: int) -> None:
    cells = [[40, 7, 20], [30, 25, 12], [18, 9, 50]]
    mask = protect_table(cells, min_cell=threshold)
    assert mask[0][1] is (threshold > 7)
    assert_safe(cells, mask) if threshold == MIN_CELL else None
