"""Raw counts of children per breakdown, straight from the database (before suppression).

Every breakdown partitions the same children (all cases except closed duplicates) and gives
each row the same five status groups, with a "not recorded" row for children the breakdown
knows nothing about. The totals row of every breakdown is therefore the headline, which is
what lets one suppression pattern for the headline hold across all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from sqlalchemy import ColumnElement, and_, case, extract, func, select
from sqlalchemy.orm import Session

from ridni.cases.models import Child, ChildStatus
from ridni.facilities.models import Facility
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import Precision

# The published status groups, in order. Each child is in exactly one.
GROUPS: dict[str, tuple[ChildStatus, ...]] = {
    "reported": (ChildStatus.reported,),
    "verified_missing": (ChildStatus.verified,),
    "located": (ChildStatus.located, ChildStatus.return_in_progress),
    "returned": (ChildStatus.returned, ChildStatus.reunited),
    "deceased": (ChildStatus.deceased,),
}
GROUP_OF = {status: group for group, statuses in GROUPS.items() for status in statuses}
COLUMNS = tuple(GROUPS)
NOT_RECORDED = ""
# Age today, in whole years: (label, youngest age in the band).
AGE_BANDS = (("0-5", 0), ("6-10", 6), ("11-13", 11), ("14-15", 14), ("16-17", 16), ("18+", 18))

Key = tuple[str, ...]


@dataclass(slots=True)
class RawTable:
    """Counts per row key and status group; ``one_way`` tables have a single count per row."""

    key: str
    fields: tuple[str, ...]  # what each part of a row key is (oblast, country, region, …)
    one_way: bool = False
    counts: dict[Key, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, key: Key, group: str, count: int) -> None:
        self.counts[key][group] = self.counts[key].get(group, 0) + count


def _counted() -> ColumnElement[bool]:
    return Child.status != ChildStatus.closed_duplicate


def headline(session: Session) -> dict[str, int]:
    found = dict.fromkeys(COLUMNS, 0)
    for status, count in session.execute(
        select(Child.status, func.count()).where(_counted()).group_by(Child.status)
    ):
        found[GROUP_OF[status]] += count
    return found


def _fill_unrecorded(table: RawTable, totals: dict[str, int]) -> RawTable:
    """Children the breakdown does not know about go into the "not recorded" row."""
    for group in COLUMNS if not table.one_way else ("children",):
        known = sum(row.get(group, 0) for row in table.counts.values())
        rest = totals[group] - known
        if rest:
            table.add((NOT_RECORDED,) * len(table.fields), group, rest)
    return table


def by_origin(session: Session, totals: dict[str, int]) -> RawTable:
    table = RawTable("origin_oblast", ("oblast",))
    for oblast, status, count in session.execute(
        select(Child.origin_oblast, Child.status, func.count())
        .where(_counted(), Child.origin_oblast.is_not(None), Child.origin_oblast != "")
        .group_by(Child.origin_oblast, Child.status)
    ):
        table.add((oblast or NOT_RECORDED,), GROUP_OF[status], count)
    return _fill_unrecorded(table, totals)


def _last_facility_rows(session: Session) -> list[tuple[str, str | None, bool, str, str, int]]:
    """(country, territory, occupied, kind, status, children) of each child's last facility."""
    last = (
        select(Movement.child_id, func.max(Movement.sequence).label("sequence"))
        .where(Movement.facility_id.is_not(None))
        .group_by(Movement.child_id)
        .subquery()
    )
    query = (
        select(
            Facility.country,
            Facility.territory,
            Facility.occupied_territory,
            Facility.kind,
            Child.status,
            func.count(),
        )
        .select_from(last)
        .join(
            Movement,
            and_(Movement.child_id == last.c.child_id, Movement.sequence == last.c.sequence),
        )
        .join(Facility, Facility.id == Movement.facility_id)
        .join(Child, Child.id == last.c.child_id)
        .where(_counted())
        .group_by(
            Facility.country,
            Facility.territory,
            Facility.occupied_territory,
            Facility.kind,
            Child.status,
        )
    )
    return [
        (country, territory, occupied, kind.value, status.value, count)
        for country, territory, occupied, kind, status, count in session.execute(query)
    ]


def by_destination(session: Session, totals: dict[str, int]) -> tuple[RawTable, RawTable]:
    """Children by the country and region, and by the type, of their last known facility."""
    places = RawTable("destination", ("country", "region"))
    kinds = RawTable("facility_type", ("facility_type",))
    for country, territory, occupied, kind, status, count in _last_facility_rows(session):
        group = GROUP_OF[ChildStatus(status)]
        # Occupied Ukraine is Ukraine; the flag says which part of it children were taken to.
        region = territory or ""
        places.add((f"{country}-occupied" if occupied else country, region), group, count)
        kinds.add((kind,), group, count)
    return _fill_unrecorded(places, totals), _fill_unrecorded(kinds, totals)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def by_age(session: Session, totals: dict[str, int], today: date) -> RawTable:
    """Age today in bands. A birth known to the month or year counts from its first day."""
    born = Child.__table__.c.birth_date_value
    whens = [
        (born > _years_before(today, youngest_next), label)
        for (label, _), (_, youngest_next) in pairwise(AGE_BANDS)
    ]
    band = case(*whens, else_=AGE_BANDS[-1][0])
    table = RawTable("age_band", ("age_band",))
    for label, status, count in session.execute(
        select(band, Child.status, func.count())
        .where(_counted(), born.is_not(None))
        .group_by(band, Child.status)
    ):
        table.add((label,), GROUP_OF[status], count)
    return _fill_unrecorded(table, totals)


def _by_month(session: Session, kind: MovementKind, statuses: tuple[ChildStatus, ...]) -> RawTable:
    on = Movement.__table__.c.on_date_value
    precise = Movement.__table__.c.on_date_precision != Precision.year.value
    pick = func.min(on) if kind is MovementKind.taken else func.max(on)
    first = (
        select(Movement.child_id, pick.label("on"))
        .join(Child, Child.id == Movement.child_id)
        .where(Movement.kind == kind, on.is_not(None), precise, Child.status.in_(statuses))
        .group_by(Movement.child_id)
        .subquery()
    )
    year, month = extract("year", first.c.on), extract("month", first.c.on)
    table = RawTable(f"month_{'taken' if kind is MovementKind.taken else 'returned'}", ("month",))
    table.one_way = True
    for y, m, count in session.execute(select(year, month, func.count()).group_by(year, month)):
        table.add((f"{int(y):04d}-{int(m):02d}",), "children", count)
    return table


def by_month_taken(session: Session, total: int) -> RawTable:
    counted = tuple(s for s in ChildStatus if s is not ChildStatus.closed_duplicate)
    return _fill_unrecorded(_by_month(session, MovementKind.taken, counted), {"children": total})


def by_month_returned(session: Session, returned: int) -> RawTable:
    return _fill_unrecorded(
        _by_month(session, MovementKind.return_home, GROUPS["returned"]), {"children": returned}
    )
