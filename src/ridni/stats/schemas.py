"""JSON shapes of the public statistics API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ridni.stats.publication import Publication


class RowOut(BaseModel):
    key: str = Field(description="The row's identity: its parts joined by '/'; empty: not recorded")
    label: str
    parts: dict[str, str]
    cells: list[int | None] = Field(
        description="One count per column, then the row total (two-way tables); null = hidden"
    )


class BreakdownOut(BaseModel):
    key: str
    title: str
    fields: list[str]
    columns: list[str]
    one_way: bool = Field(description="One count per row, no status columns")
    rows: list[RowOut]
    totals: list[int | None]


class StatisticsOut(BaseModel):
    """Published figures; counts below ``min_cell`` and the cells protecting them are null."""

    as_of: str = Field(description="Day the figures were computed for (ages, alerts)")
    computed_at: datetime
    min_cell: int
    columns: list[str] = Field(description="Status groups, each child in exactly one")
    headline: dict[str, int | None]
    total: int | None = Field(description="Deported or forcibly transferred: every case")
    missing: int | None = Field(description="Reported or verified, whereabouts not known")
    verified: int | None = Field(description="Confirmed by a second source or a caseworker")
    breakdowns: list[BreakdownOut]


def statistics_out(
    publication: Publication, computed_at: datetime, titles: dict[str, str], labels: list[list[str]]
) -> StatisticsOut:
    return StatisticsOut(
        as_of=publication.as_of,
        computed_at=computed_at,
        min_cell=publication.min_cell,
        columns=publication.columns,
        headline=publication.headline,
        total=publication.total,
        missing=publication.missing,
        verified=publication.verified,
        breakdowns=[
            BreakdownOut(
                key=b.key,
                title=titles[b.key],
                fields=b.fields,
                columns=b.columns,
                one_way=b.one_way,
                rows=[
                    RowOut(key=r.key, label=label, parts=r.parts, cells=r.cells)
                    for r, label in zip(b.rows, row_labels, strict=True)
                ],
                totals=b.totals,
            )
            for b, row_labels in zip(publication.breakdowns, labels, strict=True)
        ],
    )
