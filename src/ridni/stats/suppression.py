"""Small-cell suppression with complementary suppression, for tables published with totals.

A count below the threshold (5) could point at one child, so it is hidden ("primary"
suppression). Hiding it alone is useless when the row total and the other cells are shown:
subtraction gives it back. Complementary cells are hidden too, chosen so that no hidden value
can be worked out from what is shown.

The check is exact for tables with totals. See the table with its totals as a graph: one vertex
per row (the totals row included) and per column (the totals column included), one edge per cell;
every vertex carries the equation "its cells add up to its total". With the shown values known,
the hidden ones can be moved along any cycle of hidden cells (+1, −1, +1, … around it) without
breaking an equation; a hidden cell that lies on no such cycle (a bridge of the hidden-cell
graph) is fixed by the equations and must get company. Hidden cells are never zero, so the ±1
move keeps every count non-negative: every hidden value has at least two possible values.
Complementary cells are added along the cheapest path that closes a cycle (Dijkstra; a cell's
cost is the count it hides, totals cost more than inner cells), until no bridge is left.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CELL = 5
_TOTAL_PENALTY = 1_000


@dataclass(frozen=True, slots=True)
class _Edge:
    u: str
    v: str
    value: int
    # math.inf: this cell may not be hidden by this table (zero, or fixed by another table).
    cost: float


def _component(edges: Sequence[_Edge], hidden: set[int], start: str, without: int) -> set[str]:
    adjacent: dict[str, list[str]] = {}
    for index in hidden:
        if index != without:
            edge = edges[index]
            adjacent.setdefault(edge.u, []).append(edge.v)
            adjacent.setdefault(edge.v, []).append(edge.u)
    seen, todo = {start}, [start]
    while todo:
        for other in adjacent.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _first_bridge(edges: Sequence[_Edge], hidden: set[int]) -> int | None:
    for index in sorted(hidden):
        edge = edges[index]
        if edge.v not in _component(edges, hidden, edge.u, without=index):
            return index
    return None


def _cheapest_cycle(edges: Sequence[_Edge], hidden: set[int], bridge: int) -> set[int] | None:
    """Cells to hide so that ``bridge`` lies on a cycle of hidden cells; None if impossible."""
    start, goal = edges[bridge].u, edges[bridge].v
    adjacent: dict[str, list[tuple[str, int]]] = {}
    for index, edge in enumerate(edges):
        if index != bridge:
            adjacent.setdefault(edge.u, []).append((edge.v, index))
            adjacent.setdefault(edge.v, []).append((edge.u, index))
    best: dict[str, float] = {start: 0.0}
    came: dict[str, tuple[str, int]] = {}
    queue: list[tuple[float, str]] = [(0.0, start)]
    while queue:
        cost, vertex = heapq.heappop(queue)
        if vertex == goal:
            break
        if cost > best.get(vertex, math.inf):
            continue
        for other, index in adjacent.get(vertex, ()):
            step = 0.0 if index in hidden else edges[index].cost
            if math.isinf(step):
                continue
            if cost + step < best.get(other, math.inf):
                best[other] = cost + step
                came[other] = (vertex, index)
                heapq.heappush(queue, (cost + step, other))
    if goal not in came:
        return None
    added, vertex = set(), goal
    while vertex != start:
        vertex, index = came[vertex]
        if index not in hidden:
            added.add(index)
    return added


def _protect(edges: Sequence[_Edge], hidden: set[int]) -> set[int] | None:
    hidden = set(hidden)
    while (bridge := _first_bridge(edges, hidden)) is not None:
        added = _cheapest_cycle(edges, hidden, bridge)
        if added is None:
            return None
        hidden |= added
    return hidden


def _cost(value: int, min_cell: int, total: bool) -> float:
    if value <= 0:
        return math.inf  # a hidden zero can pin its neighbours through non-negativity
    return value + min_cell + (_TOTAL_PENALTY if total else 0)


def protect_table(
    cells: Sequence[Sequence[int]],
    min_cell: int = MIN_CELL,
    totals_row: Sequence[bool] | None = None,
    importance: Sequence[float] | None = None,
) -> list[list[bool]]:
    """Which cells of ``cells`` (rows × columns) and of its totals to hide.

    Returns a mask of (rows + 1) × (columns + 1): the last row is the column totals, the last
    column the row totals, the corner the grand total. ``totals_row`` (columns + 1 flags), when
    given, fixes which totals-row cells are hidden: every breakdown of the same children shares
    that row, and hiding different ones in different tables would let them be combined.
    A table with one column is published without a totals column (it would repeat the cells).
    ``importance`` (one factor per row) makes some rows' cells dearer to hide than others.
    """
    rows, columns = len(cells), len(cells[0]) if cells else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(row[j] for row in cells) for j in range(columns)]
    grid = [[*row, total] for row, total in zip(cells, row_totals, strict=True)]
    grid.append([*column_totals, sum(column_totals)])
    one_way = columns == 1
    edges: list[_Edge] = []
    where: list[tuple[int, int]] = []
    hidden: set[int] = set()
    for i in range(rows + 1):
        for j in range(columns + 1):
            if one_way and j == columns:
                continue  # a one-column table's totals column would repeat its cells
            value, in_totals_row = grid[i][j], i == rows
            if one_way:
                # One equation (the cells add up to the total); the other ends are free.
                u, v = "c0", "free"
            else:
                u = "rT" if in_totals_row else f"r{i}"
                v = "cT" if j == columns else f"c{j}"
            fixed = totals_row is not None and in_totals_row
            grand_total = in_totals_row and (one_way or j == columns)
            cost = (
                math.inf
                if fixed or grand_total
                else _cost(value, min_cell, total=in_totals_row or j == columns)
                * (importance[i] if importance is not None and i < rows else 1)
            )
            if (fixed and totals_row is not None and totals_row[j]) or (
                not fixed and 0 < value < min_cell
            ):
                hidden.add(len(edges))
            edges.append(_Edge(u, v, value, cost))
            where.append((i, j))
    protected = _protect(edges, hidden)
    if protected is None:
        # No safe pattern within the rules (rare: nearly all zeros): show only the totals row,
        # which every breakdown shares anyway.
        protected = {n for n, (i, _j) in enumerate(where) if i < rows} | hidden
    mask = [[False] * (columns + 1) for _ in range(rows + 1)]
    for index in protected:
        i, j = where[index]
        mask[i][j] = True
        if one_way:
            mask[i][1] = True
    return mask


def protect_sum(parts: Sequence[bool], members: Sequence[int]) -> bool:
    """Whether a figure summing some cells of one row must be hidden, given the row's mask.

    ``parts`` is the row's mask (cells, then the total); ``members`` the cells summed. Such a
    figure adds nothing when none of its cells is hidden, or when it covers every hidden cell
    (then it equals the shown total minus shown cells). Otherwise it would split hidden cells.
    """
    hidden = {j for j, flag in enumerate(parts[:-1]) if flag}
    chosen = set(members)
    if parts[-1]:
        return bool(hidden & chosen)
    return bool(hidden & chosen) and not hidden <= chosen
