"""The alert rules, each one set-based SQL over all children (cheap to run daily at 1M).

Only open cases are alerted on: returned, reunited, deceased and merged cases are done.
A date known only to the month or the year counts from its first day, so an alert errs
towards firing: a missed alert is a child whose risk nobody saw in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Integer, Select, and_, func, null, or_, select, union_all
from sqlalchemy.orm import Session

from ridni.cases.models import Child, ChildStatus, Record, RecordKind
from ridni.facilities.models import Activity, FacilityActivity
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import Precision

OPEN = (
    ChildStatus.reported,
    ChildStatus.verified,
    ChildStatus.located,
    ChildStatus.return_in_progress,
)
# Lists that place a child somewhere at a date (a return list says they left).
SIGHTING_RECORDS = (RecordKind.camp_list, RecordKind.adoption_listing, RecordKind.official_registry)
CONSCRIPTION_AGE = 18


def is_open() -> ColumnElement[bool]:
    return Child.status.in_(OPEN)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return first + timedelta(days=min(day.day, (following - first).days) - 1)


@dataclass(frozen=True, slots=True)
class Found:
    child_id: int
    due_on: date | None
    facility_id: int | None = None


def conscription_risk(session: Session, today: date) -> list[Found]:
    """Imposed Russian citizenship, and an 18th birthday that may fall in the next 12 months.

    Born in [today − 18 years, today + 12 months − 18 years); a birth known to the month or
    year qualifies when any day of it does. ``due_on``: the earliest such birthday (not before
    today).
    """
    low = add_years(today, -CONSCRIPTION_AGE)
    high = add_years(add_months(today, 12), -CONSCRIPTION_AGE)
    born = Child.__table__.c.birth_date_value
    precision = Child.__table__.c.birth_date_precision
    starts = {
        Precision.day: low,
        Precision.month: low.replace(day=1),
        Precision.year: date(low.year, 1, 1),
    }
    window = or_(
        *(and_(precision == p.value, born >= start, born < high) for p, start in starts.items())
    )
    found = []
    for child_id, birth in session.execute(
        select(Child.id, born).where(is_open(), Child.russian_citizenship_imposed, window)
    ):
        found.append(Found(child_id, max(add_years(birth, CONSCRIPTION_AGE), today)))
    return found


def _last_movements() -> Select[int, int]:
    return select(Movement.child_id, func.max(Movement.sequence).label("sequence")).group_by(
        Movement.child_id
    )


def military_training() -> Select[int, date | None, int | None]:
    """The child's last recorded step took them to a facility that runs military training.
    ``due_on``: the day they arrived there."""
    last = _last_movements().subquery()
    return (
        select(Child.id, Movement.__table__.c.on_date_value, Movement.facility_id)
        .join(last, last.c.child_id == Child.id)
        .join(
            Movement,
            and_(Movement.child_id == last.c.child_id, Movement.sequence == last.c.sequence),
        )
        .join(
            FacilityActivity,
            and_(
                FacilityActivity.facility_id == Movement.facility_id,
                FacilityActivity.activity == Activity.military_training,
            ),
        )
        .where(is_open())
    )


def no_sighting(today: date, months: int) -> Select[int, date | None, int | None]:
    """Located (or being returned), and no dated sighting for ``months`` months, or none at all.
    ``due_on``: the last sighting."""
    on = Movement.__table__.c.on_date_value
    seen_in_list = Record.__table__.c.reported_on_value
    sightings = union_all(
        select(Movement.child_id.label("child_id"), on.label("seen")).where(
            Movement.kind != MovementKind.return_home, on.is_not(None)
        ),
        select(Record.child_id.label("child_id"), seen_in_list.label("seen")).where(
            Record.child_id.is_not(None),
            Record.kind.in_(SIGHTING_RECORDS),
            seen_in_list.is_not(None),
        ),
    ).subquery()
    last = (
        select(sightings.c.child_id, func.max(sightings.c.seen).label("seen"))
        .group_by(sightings.c.child_id)
        .subquery()
    )
    cutoff = add_months(today, -months)
    return (
        select(Child.id, last.c.seen, null().cast(Integer))
        .outerjoin(last, last.c.child_id == Child.id)
        .where(
            Child.status.in_((ChildStatus.located, ChildStatus.return_in_progress)),
            or_(last.c.seen.is_(None), last.c.seen < cutoff),
        )
    )


def adoption_in_russia() -> Select[int, date | None, int | None]:
    """Adoption or guardianship in Russia recorded on the case or as a movement.
    ``due_on``: the adoption's date, when known."""
    adopted = (
        select(
            Movement.child_id,
            func.max(Movement.__table__.c.on_date_value).label("on"),
        )
        .where(Movement.kind == MovementKind.adoption)
        .group_by(Movement.child_id)
        .subquery()
    )
    return (
        select(Child.id, adopted.c.on, null().cast(Integer))
        .outerjoin(adopted, adopted.c.child_id == Child.id)
        .where(
            is_open(),
            or_(Child.adopted_or_guardianship_in_russia, adopted.c.child_id.is_not(None)),
        )
    )
