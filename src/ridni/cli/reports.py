"""`ridni alerts` and `ridni stats`: the daily recomputations, and what they found."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table

from ridni.alerts.enums import AlertRule
from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper, reporting_errors
from ridni.cli.output import out
from ridni.errors import InputError

stats = RidniTyper(help="Public statistics.", no_args_is_help=True)


def _day(text: str | None) -> date:
    if not text:
        return datetime.now(UTC).date()
    from ridni.partial_date import MAX_YEAR, MIN_YEAR

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"unreadable date {text!r}", "write it as YYYY-MM-DD") from None
    # The rules count years back and forward from it: 9999-12-31 or 0001-01-01 ended in a
    # ValueError traceback ("year 10000 is out of range").
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(f"--as-of {text} is outside {MIN_YEAR}–{MAX_YEAR}", "check the year")
    return day


def alerts(
    rule: Annotated[
        list[AlertRule] | None, typer.Option("--rule", "-r", help="Only this rule (repeatable).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, max=10_000, help="Children listed per rule.")
    ] = 20,
    no_refresh: Annotated[
        bool, typer.Option("--no-refresh", help="Report the last run instead of recomputing.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate the rules for this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Recompute the caseworkers' alerts (run it daily, e.g. from cron) and report them."""
    from ridni.alerts.labels import DUE_LABELS, TITLES
    from ridni.alerts.service import counts, last_run, listed
    from ridni.alerts.service import refresh as refresh_alerts

    day = _day(as_of)  # refused before the database is opened
    with opened_database() as (settings, db), db.session() as session:
        run = last_run(session)
        if not no_refresh or run is None:
            run = refresh_alerts(session, day, settings.alert_no_sighting_months)
        out.print(
            f"Alerts as of {run.as_of} (computed {run.computed_at:%Y-%m-%d %H:%M} UTC "
            f"in {run.seconds:.1f} s)"
        )
        found = counts(session)
        summary = Table("rule", "children", "meaning")
        for item in AlertRule:
            summary.add_row(item.value, str(found.get(item, 0)), TITLES[item])
        out.print(summary)
        for item in rule or list(AlertRule):
            if limit == 0:
                break
            rows, total = listed(session, item, per_page=limit)
            table = Table(
                "child",
                "name",
                "born",
                "status",
                DUE_LABELS[item].lower(),
                "facility",
                title=f"{TITLES[item]}: {total}",
            )
            for row in rows:
                table.add_row(
                    str(row.child.id),
                    row.child.display_name,
                    str(row.child.birth_date or "—"),
                    row.child.status.value,
                    str(row.alert.due_on or "—"),
                    row.facility.name if row.facility else "—",
                )
            out.print(table)


@stats.command("refresh")
def stats_refresh() -> None:
    """Recompute the public statistics now (the page otherwise does it when they are old)."""
    from ridni.stats.publication import Publication
    from ridni.stats.service import refresh as refresh_stats

    with opened_database() as (settings, db), db.session() as session:
        snapshot = refresh_stats(session, settings.stats_min_cell)
        publication = Publication.from_json(snapshot.data)
        out.print(
            f"Statistics computed in {snapshot.seconds:.2f} s: {publication.total} children, "
            f"counts below {publication.min_cell} hidden."
        )


@stats.command("show")
def stats_show() -> None:
    """Print the published headline figures (as the public sees them)."""
    from ridni.stats.publication import Publication
    from ridni.stats.service import refresh as refresh_stats

    with opened_database() as (settings, db), db.session() as session:
        snapshot = refresh_stats(session, settings.stats_min_cell)
        publication = Publication.from_json(snapshot.data)
        table = Table("figure", "children", title=f"As of {publication.as_of}")

        def shown(value: int | None) -> str:
            return "hidden" if value is None else str(value)

        table.add_row("deported or forcibly transferred", shown(publication.total))
        table.add_row("verified", shown(publication.verified))
        table.add_row("missing", shown(publication.missing))
        for column in publication.columns:
            table.add_row(column.replace("_", " "), shown(publication.headline[column]))
        out.print(table)


def register(app: typer.Typer) -> None:
    app.command("alerts")(reporting_errors(alerts))
    app.add_typer(stats, name="stats")
