"""Public statistics: a page, an HXL CSV and a JSON API. No login; never an individual child."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ridni.i18n import gettext_ as _
from ridni.stats.charts import horizontal_bars, monthly_columns
from ridni.stats.hxl import hxl_csv
from ridni.stats.labels import (
    BREAKDOWN_TITLES,
    COLUMN_LABELS,
    DEFINITIONS,
    FIELD_LABELS,
    row_label,
)
from ridni.stats.models import StatsSnapshot
from ridni.stats.publication import Breakdown, Publication
from ridni.stats.schemas import StatisticsOut, statistics_out
from ridni.stats.service import current, is_stale, refresh_in_background
from ridni.web.auth import DbSession, get_settings
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["statistics"])

# Shared caches and browsers may keep the figures briefly: they are public and change slowly.
CACHE = "public, max-age=300"


def _published(request: Request, session: DbSession) -> tuple[Publication, StatsSnapshot]:
    settings = get_settings(request)
    publication, snapshot = current(session, settings.stats_min_cell)
    if is_stale(snapshot, settings.stats_max_age_minutes, settings.stats_min_cell):
        refresh_in_background(
            request.app.state.db, settings.stats_max_age_minutes, settings.stats_min_cell
        )
    return publication, snapshot


def _all_months(breakdown: Breakdown) -> list[tuple[str, int | None]]:
    """Every month from the first to the last, months without children as zero."""
    known = {r.key: r.cells[0] for r in breakdown.rows if r.key}
    if not known:
        return []
    first, last = min(known), max(known)
    year, month = int(first[:4]), int(first[5:7])
    bars = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        bars.append((key, known.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bars


def _charts(publication: Publication) -> dict[str, Markup]:
    hidden = _("hidden (fewer than %(n)s, or protecting such a count)") % {
        "n": publication.min_cell
    }
    headline = [(_(COLUMN_LABELS[c]), publication.headline[c]) for c in publication.columns]
    charts = {
        "headline": horizontal_bars(headline, _("Children by status"), hidden, "chart-headline")
    }
    for breakdown in publication.breakdowns:
        title = _(BREAKDOWN_TITLES[breakdown.key])
        if breakdown.one_way:
            charts[breakdown.key] = monthly_columns(
                _all_months(breakdown), title, f"chart-{breakdown.key}"
            )
        else:
            bars = [(row_label(breakdown, r), r.cells[-1]) for r in breakdown.rows]
            charts[breakdown.key] = horizontal_bars(bars, title, hidden, f"chart-{breakdown.key}")
    return charts


@pages.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, session: DbSession) -> Response:
    publication, snapshot = _published(request, session)
    response = render(
        request,
        "stats/statistics.html",
        p=publication,
        computed_at=snapshot.computed_at,
        charts=_charts(publication),
        column_labels=COLUMN_LABELS,
        titles=BREAKDOWN_TITLES,
        field_labels=FIELD_LABELS,
        definitions=DEFINITIONS,
        row_label=row_label,
    )
    response.headers["cache-control"] = CACHE
    return response


@pages.get("/statistics.csv")
def statistics_csv(request: Request, session: DbSession) -> Response:
    publication, _snapshot = _published(request, session)
    return Response(
        hxl_csv(publication),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": (
                f'attachment; filename="ridni-statistics-{publication.as_of or date.today()}.csv"'
            ),
            "cache-control": CACHE,
        },
    )


@api.get("/statistics", response_model=StatisticsOut)
def statistics_api(request: Request, session: DbSession, response: Response) -> StatisticsOut:
    """Public figures (no login). Small counts and the counts protecting them are null."""
    publication, snapshot = _published(request, session)
    response.headers["cache-control"] = CACHE
    titles = {key: _(title) for key, title in BREAKDOWN_TITLES.items()}
    labels = [[row_label(b, r) for r in b.rows] for b in publication.breakdowns]
    return statistics_out(publication, snapshot.computed_at, titles, labels)
