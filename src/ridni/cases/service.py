"""Finding and reading children: the case list and the case page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ridni.cases.models import Child, ChildStatus, Record, RecordToken
from ridni.errors import NotFoundError
from ridni.movements.models import Movement
from ridni.security.blind_index import query_tokens
from ridni.security.encryption import ring_of

T = TypeVar("T")
MAX_QUERY_TERMS = 8


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class ChildRow:
    child: Child
    record_count: int


def _name_filter(session: Session, query: str) -> ColumnElement[bool] | None:
    """Some record of the child holds every word of the query, in any script.

    Names are encrypted; each record's words are stored as keyed digests (blind index), and
    one record must hold all the typed words ("Aleksandr Shevchenko" is one person written
    one way).
    """
    tokens = query_tokens(ring_of(session.get_bind().dialect), query)[:MAX_QUERY_TERMS]
    if not tokens:
        return None
    # One join per word, each on (record, token): the planner starts from the rarest word and
    # probes the primary key for the others, instead of gathering every record of a common
    # given name and counting (1M records: p95 478 ms that way).
    first, *others = [aliased(RecordToken) for _ in tokens]
    matching = (
        select(Record.child_id)
        .join(first, first.record_id == Record.id)
        .where(Record.child_id.is_not(None), first.token == tokens[0])
    )
    for alias, token in zip(others, tokens[1:], strict=True):
        matching = matching.join(alias, and_(alias.record_id == Record.id, alias.token == token))
    return Child.id.in_(matching)


@dataclass(frozen=True)
class Filters:
    """Narrowing the case list; every field is optional."""

    status: ChildStatus | None = None
    oblast: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    facility_id: int | None = None
    organisation_id: int | None = None


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _conditions(filters: Filters, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(Child.status == filters.status)
    if filters.oblast:
        conditions.append(Child.origin_oblast == filters.oblast)
    birth = Child.__table__.c.birth_date_value
    # Age in whole years today; a child known only by birth year counts from 1 January.
    if filters.age_min is not None:
        conditions.append(birth <= _years_before(today, filters.age_min))
    if filters.age_max is not None:
        conditions.append(birth > _years_before(today, filters.age_max + 1))
    if filters.facility_id is not None:
        conditions.append(
            exists(
                select(Movement.id).where(
                    Movement.child_id == Child.id, Movement.facility_id == filters.facility_id
                )
            )
        )
    if filters.organisation_id is not None:
        conditions.append(Child.organisation_id == filters.organisation_id)
    return conditions


def case_conditions(
    filters: Filters,
    *,
    organisation_id: int | None,
    every_organisation: bool,
    today: date | None = None,
) -> list[ColumnElement[bool]]:
    """The case list's filters and its record scope, for anything else that lists children
    (exports): one organisation's user sees its own cases, unowned ones and shared ones."""
    conditions = _conditions(filters, today or date.today())
    if not every_organisation:
        conditions.append(
            or_(
                Child.organisation_id == organisation_id,
                Child.organisation_id.is_(None),
                Child.consent_share.is_(True),
            )
        )
    return conditions


def search_children(
    session: Session,
    query: str = "",
    *,
    filters: Filters | None = None,
    status: ChildStatus | None = None,
    page: int = 1,
    per_page: int = 50,
    today: date | None = None,
    organisation_id: int | None = None,
    every_organisation: bool = True,
) -> Page[ChildRow]:
    """Children matching; unless ``every_organisation``, only those of ``organisation_id``
    and those their families let be shared (record scope)."""
    chosen = filters or Filters(status=status)
    conditions = case_conditions(
        chosen,
        organisation_id=organisation_id,
        every_organisation=every_organisation,
        today=today,
    )
    name_filter = _name_filter(session, query)
    if name_filter is not None:
        conditions.append(name_filter)
    record_count = (
        select(func.count(Record.id)).where(Record.child_id == Child.id).scalar_subquery()
    )
    page_query = (
        select(Child, record_count)
        # Newest first: names are encrypted, so the database cannot sort by them.
        .order_by(Child.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    if name_filter is not None:
        # A name matches few children: count them in the same query, over the matches.
        rows = session.execute(page_query.add_columns(func.count().over()).where(*conditions)).all()
        total = rows[0][2] if rows else _count(session, conditions) if page > 1 else 0
    else:
        total = _count(session, conditions)
        rows = session.execute(page_query.where(*conditions)).all()
    items = [ChildRow(child=row[0], record_count=row[1]) for row in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def _count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count(Child.id)).where(*conditions)) or 0


def get_child(session: Session, child_id: int) -> Child:
    """A child with every record (and its source), movement and status change loaded."""
    child = session.scalar(
        select(Child)
        .where(Child.id == child_id)
        .options(
            selectinload(Child.records).joinedload(Record.source),
            selectinload(Child.movements).joinedload(Movement.facility),
            selectinload(Child.status_events),
            selectinload(Child.changes),
        )
    )
    if child is None:
        raise NotFoundError(f"no child with id {child_id}")
    return child


def oblasts(session: Session) -> list[str]:
    """Oblasts of origin present in the registry, for the filter."""
    found = session.scalars(
        select(Child.origin_oblast).where(Child.origin_oblast.is_not(None)).distinct()
    )
    return sorted(value for value in found if value)
