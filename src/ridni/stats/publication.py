"""The figures as published: raw counts turned into tables with small cells hidden.

The headline (children per status group) is protected first, as a table of its own; every
breakdown then keeps exactly the headline's hidden cells in its totals row, so two tables can
never be combined to undo each other's suppression. A hidden value is ``None``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ridni.stats import counts
from ridni.stats.counts import AGE_BANDS, COLUMNS, NOT_RECORDED, RawTable
from ridni.stats.suppression import protect_sum, protect_table

Value = int | None
# When the headline must hide a second figure next to a small one, the least asked-for goes:
# the split of "missing" into reported and verified before located, returned or the total.
HEADLINE_IMPORTANCE = {
    "reported": 2.0,
    "verified_missing": 1.0,
    "located": 3.0,
    "returned": 4.0,
    "deceased": 1.0,
}


@dataclass(slots=True)
class Row:
    key: str
    parts: dict[str, str]  # the row key by field: {"country": "RU", "region": "…"}
    cells: list[Value]  # one per column, then the row total (two-way tables only)


@dataclass(slots=True)
class Breakdown:
    key: str
    fields: list[str]
    columns: list[str]
    one_way: bool
    rows: list[Row]
    totals: list[Value]


@dataclass(slots=True)
class Publication:
    as_of: str
    min_cell: int
    columns: list[str]
    headline: dict[str, Value]
    total: Value
    # Sums of the groups people ask for: "missing" (reported + verified, not located) and
    # "verified" (every case past "reported"). Hidden if they would split hidden cells.
    missing: Value
    verified: Value
    breakdowns: list[Breakdown] = field(default_factory=list)

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Publication:
        breakdowns = [
            Breakdown(**{**b, "rows": [Row(**r) for r in b["rows"]]}) for b in data["breakdowns"]
        ]
        return cls(**{**data, "breakdowns": breakdowns})


def _row_order(table: RawTable) -> list[tuple[str, ...]]:
    """Largest first, except months (in time order); "not recorded" always last."""
    keys = [k for k in table.counts if any(k)]
    if table.key == "age_band":
        order = [label for label, _ in AGE_BANDS]
        keys.sort(key=lambda k: order.index(k[0]))
    elif table.key.startswith("month_"):
        keys.sort()
    else:
        keys.sort(key=lambda k: (-sum(table.counts[k].values()), k))
    return keys + [k for k in table.counts if not any(k)]


def _protect(table: RawTable, min_cell: int, totals_mask: list[bool] | None) -> Breakdown:
    columns = ["children"] if table.one_way else list(COLUMNS)
    keys = _row_order(table)
    cells = [[table.counts[k].get(c, 0) for c in columns] for k in keys]
    if not cells:
        cells, keys = [[0] * len(columns)], [(NOT_RECORDED,) * len(table.fields)]
    mask = protect_table(cells, min_cell, totals_row=totals_mask)
    width = 1 if table.one_way else len(columns) + 1
    grid = [[*row, sum(row)] for row in cells]
    grid.append([sum(row[j] for row in grid) for j in range(len(columns) + 1)])
    shown = [[None if mask[i][j] else grid[i][j] for j in range(width)] for i in range(len(grid))]
    rows = [
        Row(
            key="/".join(k),
            parts=dict(zip(table.fields, k, strict=True)),
            cells=shown[i],
        )
        for i, k in enumerate(keys)
    ]
    return Breakdown(table.key, list(table.fields), columns, table.one_way, rows, shown[-1])


def publish(session: Session, min_cell: int, today: date) -> Publication:
    raw = counts.headline(session)
    total = sum(raw.values())
    head = protect_table(
        [[raw[c]] for c in COLUMNS],
        min_cell,
        importance=[HEADLINE_IMPORTANCE[c] for c in COLUMNS],
    )
    head_mask = [row[0] for row in head[:-1]] + [head[-1][0]]
    headline = {c: None if head_mask[j] else raw[c] for j, c in enumerate(COLUMNS)}
    shown_total = None if head_mask[-1] else total

    def summed(members: list[str]) -> Value:
        hidden = protect_sum(head_mask, [COLUMNS.index(m) for m in members])
        return None if hidden else sum(raw[m] for m in members)

    publication = Publication(
        as_of=today.isoformat(),
        min_cell=min_cell,
        columns=list(COLUMNS),
        headline=headline,
        total=shown_total,
        missing=summed(["reported", "verified_missing"]),
        verified=summed([c for c in COLUMNS if c != "reported"]),
    )
    places, kinds = counts.by_destination(session, raw)
    for table in (
        counts.by_origin(session, raw),
        places,
        kinds,
        counts.by_age(session, raw, today),
    ):
        publication.breakdowns.append(_protect(table, min_cell, head_mask))
    publication.breakdowns.append(
        _protect(counts.by_month_taken(session, total), min_cell, [head_mask[-1]])
    )
    returned_hidden = head_mask[COLUMNS.index("returned")]
    publication.breakdowns.append(
        _protect(counts.by_month_returned(session, raw["returned"]), min_cell, [returned_hidden])
    )
    return publication


def timed_publish(session: Session, min_cell: int, today: date) -> tuple[Publication, float]:
    started = time.perf_counter()
    publication = publish(session, min_cell, today)
    return publication, time.perf_counter() - started
