"""Recomputing alerts in bulk, and reading them for the dashboard and the CLI.

A run replaces every alert in one transaction: readers see the previous run or the new one,
never half of each. Three rules are one INSERT … SELECT each; the conscription rule computes
its dates in Python over the few children in its one-year window.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from ridni.alerts import rules
from ridni.alerts.models import AlertRule, AlertRun, ChildAlert
from ridni.cases.models import Child
from ridni.facilities.models import Facility
from ridni.storage.engine import Database
from ridni.storage.types import UTCDateTime

_refreshing = threading.Lock()


def _insert(
    session: Session,
    rule: AlertRule,
    query: Select[int, date | None, int | None],
    now: datetime,
) -> None:
    found = query.subquery()
    columns = list(found.c)
    session.execute(
        insert(ChildAlert).from_select(
            ["child_id", "due_on", "facility_id", "rule", "computed_at"],
            select(
                *columns,
                literal(rule.value),
                literal(now, UTCDateTime()),
            ),
        )
    )


def refresh(session: Session, today: date, no_sighting_months: int) -> AlertRun:
    started = time.perf_counter()
    now = datetime.now(UTC)
    session.execute(delete(ChildAlert))
    risk = rules.conscription_risk(session, today)
    if risk:
        session.execute(
            insert(ChildAlert),
            [
                {
                    "child_id": f.child_id,
                    "due_on": f.due_on,
                    "facility_id": f.facility_id,
                    "rule": AlertRule.conscription_risk,
                    "computed_at": now,
                }
                for f in risk
            ],
        )
    _insert(session, AlertRule.military_training, rules.military_training(), now)
    _insert(session, AlertRule.no_sighting, rules.no_sighting(today, no_sighting_months), now)
    _insert(session, AlertRule.adoption_in_russia, rules.adoption_in_russia(), now)
    found = counts(session)
    run = AlertRun(
        computed_at=now,
        as_of=today,
        seconds=round(time.perf_counter() - started, 3),
        counts={
            **{rule.value: found.get(rule, 0) for rule in AlertRule},
            "months": no_sighting_months,
        },
    )
    session.add(run)
    session.flush()
    return run


def counts(session: Session) -> dict[AlertRule, int]:
    query = select(ChildAlert.rule, func.count()).group_by(ChildAlert.rule)
    return {AlertRule(rule): int(count) for rule, count in session.execute(query)}


def last_run(session: Session) -> AlertRun | None:
    return session.scalar(select(AlertRun).order_by(AlertRun.id.desc()).limit(1))


def needs_refresh(run: AlertRun | None, today: date, no_sighting_months: int) -> bool:
    return run is None or run.as_of != today or run.counts.get("months") != no_sighting_months


def _refresh_once(db: Database, today: date, no_sighting_months: int) -> None:
    try:
        with db.session() as session:
            if needs_refresh(last_run(session), today, no_sighting_months):
                refresh(session, today, no_sighting_months)
    finally:
        _refreshing.release()


def refresh_in_background(db: Database, today: date, no_sighting_months: int) -> None:
    """Recompute in a thread of its own, unless one already is (see stats.service)."""
    if _refreshing.acquire(blocking=False):
        threading.Thread(
            target=_refresh_once,
            args=(db, today, no_sighting_months),
            name="alerts-refresh",
            daemon=True,
        ).start()


@dataclass(frozen=True, slots=True)
class AlertRow:
    alert: ChildAlert
    child: Child
    facility: Facility | None


def listed(
    session: Session, rule: AlertRule, *, page: int = 1, per_page: int = 50
) -> tuple[list[AlertRow], int]:
    """One rule's children, most urgent first: the soonest 18th birthday, never or longest not
    seen, longest at a training facility, longest adopted."""
    total = session.scalar(select(func.count()).where(ChildAlert.rule == rule)) or 0
    order = (
        ChildAlert.due_on.asc().nulls_first()
        if rule is AlertRule.no_sighting
        else ChildAlert.due_on.asc().nulls_last()
    )
    rows = session.execute(
        select(ChildAlert, Child, Facility)
        .join(Child, Child.id == ChildAlert.child_id)
        .outerjoin(Facility, Facility.id == ChildAlert.facility_id)
        .where(ChildAlert.rule == rule)
        .order_by(order, ChildAlert.child_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return [AlertRow(a, c, f) for a, c, f in rows], total
