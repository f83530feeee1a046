"""An attacker who knows every shown value of a table and solves for the hidden ones.

For each hidden cell, linear programming gives the smallest and largest value consistent with
every shown cell, every row and column total and non-negative counts. A cell whose smallest and
largest possible values are equal has been derived: a single child could be singled out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

Grid = Sequence[Sequence[int | None]]


def equations(published: Grid, one_way: bool) -> list[list[tuple[int, int, int]]]:
    """Each equation as (row, column, sign) terms over the grid with totals (last row/col)."""
    rows = len(published) - 1
    if one_way:
        return [[(i, 0, 1) for i in range(rows)] + [(rows, 0, -1)]]
    columns = len(published[0]) - 1
    found = []
    for i in range(rows + 1):
        found.append([(i, j, 1) for j in range(columns)] + [(i, columns, -1)])
    for j in range(columns + 1):
        found.append([(i, j, 1) for i in range(rows)] + [(rows, j, -1)])
    return found


def ranges(published: Grid, one_way: bool = False) -> dict[tuple[int, int], tuple[float, float]]:
    """The feasible (min, max) of every hidden cell (``None`` in ``published``)."""
    hidden = [
        (i, j) for i, row in enumerate(published) for j, value in enumerate(row) if value is None
    ]
    if not hidden:
        return {}
    index = {cell: n for n, cell in enumerate(hidden)}
    matrix, rhs = [], []
    for terms in equations(published, one_way):
        line = np.zeros(len(hidden))
        constant = 0.0
        for i, j, sign in terms:
            value = published[i][j]
            if value is None:
                line[index[(i, j)]] += sign
            else:
                constant -= sign * value
        if line.any():
            matrix.append(line)
            rhs.append(constant)
    found = {}
    for cell, n in index.items():
        objective = np.zeros(len(hidden))
        objective[n] = 1.0
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0, low.message
        assert high.status in (0, 3), high.message  # 3: unbounded, as good as unknown
        found[cell] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return found
