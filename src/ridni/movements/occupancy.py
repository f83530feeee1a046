"""How many children a facility is documented to have held, month by month.

A child counts in a month from the movement that brought them to the facility until their next
recorded movement. With no later movement only the arrival month counts: the data proves the
child was there then, not that they stayed (docs/facilities.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.movements.models import Movement

# A stay longer than this without any news is cut off: a record is not a life sentence.
MAX_MONTHS = 60


@dataclass(frozen=True, slots=True)
class Month:
    start: date
    children: int


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def occupancy(session: Session, facility_id: int) -> list[Month]:
    """Children present per month, with every month between the first and last filled in."""
    arrivals = session.scalars(
        select(Movement).where(
            Movement.facility_id == facility_id,
            Movement.__table__.c.on_date_value.is_not(None),
        )
    ).all()
    if not arrivals:
        return []
    children = {m.child_id for m in arrivals}
    paths: dict[int, list[Movement]] = {}
    for movement in session.scalars(
        select(Movement).where(Movement.child_id.in_(children)).order_by(Movement.sequence)
    ):
        paths.setdefault(movement.child_id, []).append(movement)
    present: dict[date, set[int]] = {}
    for arrival in arrivals:
        if arrival.on_date is None:
            continue
        start = _month(arrival.on_date.value)
        later = [
            m.on_date.value
            for m in paths.get(arrival.child_id, [])
            if m.sequence > arrival.sequence and m.on_date is not None
        ]
        end = _month(min(later)) if later else start
        month, steps = start, 0
        while month <= end and steps < MAX_MONTHS:
            # The month they left counts only if it is also the month they came.
            if month < end or month == start:
                present.setdefault(month, set()).add(arrival.child_id)
            month, steps = _next_month(month), steps + 1
    first, last = min(present), max(present)
    months, month = [], first
    while month <= last:
        months.append(Month(month, len(present.get(month, ()))))
        month = _next_month(month)
    return months
