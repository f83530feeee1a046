"""Registering, finding and merging facilities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from ridni.actors.models import Actor, ActorLink
from ridni.cases.service import Page
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Claim, Evidence, Source
from ridni.facilities.checks import (
    DuplicateFacilityError,
    Place,
    check_country,
    check_location,
    likely_duplicates,
    name_key,
)
from ridni.facilities.models import (
    Activity,
    Facility,
    FacilityActivity,
    FacilityChange,
    FacilityKind,
    FacilityName,
)
from ridni.facilities.problems import FieldError, on_field
from ridni.facilities.schemas import FacilityIn
from ridni.i18n import N_
from ridni.linkage.keys import query_terms
from ridni.movements.models import Movement
from ridni.partial_date import PartialDate, parse_optional

MAX_QUERY_TERMS = 8


@dataclass(frozen=True, slots=True)
class FacilityFilter:
    query: str = ""
    kinds: tuple[FacilityKind, ...] = ()
    activities: tuple[Activity, ...] = ()
    countries: tuple[str, ...] = ()
    occupied: bool | None = None
    active_on: date | None = None

    def where(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        for term in query_terms(self.query)[:MAX_QUERY_TERMS]:
            found.append(Facility.name_key.contains(term, autoescape=True))
        if self.kinds:
            found.append(Facility.kind.in_(self.kinds))
        if self.activities:
            found.append(
                exists(
                    select(FacilityActivity.facility_id).where(
                        FacilityActivity.facility_id == Facility.id,
                        FacilityActivity.activity.in_(self.activities),
                    )
                )
            )
        if self.countries:
            found.append(Facility.country.in_([c.upper() for c in self.countries]))
        if self.occupied is not None:
            found.append(Facility.occupied_territory.is_(self.occupied))
        if self.active_on is not None:
            # A facility with no known dates is never hidden by a date filter it cannot fail.
            start = Facility.__table__.c.active_from_value
            end = Facility.__table__.c.active_to_value
            found.append(or_(start.is_(None), start <= self.active_on))
            found.append(or_(end.is_(None), end >= self.active_on))
        return found


def search_facilities(
    session: Session, where: FacilityFilter, *, page: int = 1, per_page: int = 50
) -> Page[Facility]:
    conditions = where.where()
    total = session.scalar(select(func.count(Facility.id)).where(*conditions)) or 0
    items = session.scalars(
        select(Facility)
        .where(*conditions)
        .order_by(Facility.name, Facility.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def all_facilities(session: Session, where: FacilityFilter) -> list[Facility]:
    return list(session.scalars(select(Facility).where(*where.where()).order_by(Facility.id)).all())


def get_facility(session: Session, facility_id: int) -> Facility:
    facility = session.scalar(
        select(Facility)
        .where(Facility.id == facility_id)
        .options(selectinload(Facility.other_names), selectinload(Facility.sources))
    )
    if facility is None:
        raise NotFoundError(N_("no facility with id {value}"), value=facility_id)
    return facility


@dataclass(frozen=True, slots=True)
class Checked:
    """A facility's input after every check: what is written, nothing left to refuse."""

    country: str
    active_from: PartialDate | None
    active_to: PartialDate | None
    operator: Actor | None
    sources: list[Source]
    name_key: str


def check_input(
    session: Session, data: FacilityIn, *, exclude: int | None = None, duplicates: bool = True
) -> Checked:
    """The checks of registering and editing alike; ``exclude`` is the facility being edited."""
    country = check_country(data.country)
    check_location(country, data.latitude, data.longitude)
    if data.occupied_territory and country != "UA":
        raise FieldError(
            "occupied_territory",
            N_("only Ukrainian territory can be marked occupied"),
            N_("set the country to UA for facilities in occupied Ukraine"),
        )
    active_from = _date("active_from", data.active_from)
    active_to = _date("active_to", data.active_to)
    if active_from and active_to and active_to.value < active_from.value:
        raise FieldError(
            "active_to",
            N_("active to {end} is before active from {start}"),
            end=active_to,
            start=active_from,
        )
    operator = session.get(Actor, data.operator_actor_id) if data.operator_actor_id else None
    if data.operator_actor_id and operator is None:
        raise FieldError(
            "operator_actor_id", N_("no actor with id {value}"), value=data.operator_actor_id
        )
    sources = _sources(session, data.source_ids)
    names = [data.name.strip(), *(n.name.strip() for n in data.other_names)]
    key = name_key(*names)
    if duplicates and not data.confirm_not_duplicate:
        place = Place(key, country, data.settlement, data.latitude, data.longitude)
        found = likely_duplicates(session, place, exclude=exclude)
        if found:
            raise DuplicateFacilityError(found)
    return Checked(country, active_from, active_to, operator, sources, key)


def _date(name: str, text: str | None) -> PartialDate | None:
    try:
        return parse_optional(text)
    except InputError as exc:
        raise on_field(name, exc) from None


def create_facility(session: Session, data: FacilityIn) -> Facility:
    """Check everything first, then add: a refused facility leaves nothing behind."""
    checked = check_input(session, data)
    facility = Facility(
        name=data.name.strip(),
        kind=data.kind,
        country=checked.country,
        latitude=data.latitude,
        longitude=data.longitude,
        settlement=data.settlement or None,
        territory=data.territory or None,
        occupied_territory=data.occupied_territory,
        government_level=data.government_level,
        operator_actor_id=checked.operator.id if checked.operator else None,
        active_from=checked.active_from,
        active_to=checked.active_to,
        min_children=data.min_children,
        confidence=data.confidence,
        notes=data.notes,
        name_key=checked.name_key,
    )
    facility.activities = [FacilityActivity(activity=a) for a in dict.fromkeys(data.activities)]
    facility.other_names = [
        FacilityName(name=n.name, language=n.language) for n in data.other_names
    ]
    facility.sources = checked.sources
    session.add(facility)
    session.flush()
    return facility


def _sources(session: Session, ids: list[int]) -> list[Source]:
    found = list(session.scalars(select(Source).where(Source.id.in_(ids))).all()) if ids else []
    missing = set(ids) - {s.id for s in found}
    if missing:
        raise FieldError(
            "source_ids",
            N_("no source with id {value}"),
            value=", ".join(map(str, sorted(missing))),
        )
    return found


def merge_facilities(
    session: Session, duplicate_id: int, into_id: int, *, user_id: int | None = None
) -> Facility:
    """Fold a duplicate into the facility that stays: names, activities, sources and every
    reference move over; the duplicate's name is kept as another name, nothing is lost."""
    if duplicate_id == into_id:
        raise InputError(N_("a facility cannot be merged into itself"))
    duplicate, keeper = get_facility(session, duplicate_id), get_facility(session, into_id)
    known = {keeper.name, *(n.name for n in keeper.other_names)}
    for name in [FacilityName(name=duplicate.name, language=None), *duplicate.other_names]:
        if name.name not in known:
            keeper.other_names.append(FacilityName(name=name.name, language=name.language))
            known.add(name.name)
    have = {a.activity for a in keeper.activities}
    keeper.activities += [
        FacilityActivity(activity=a.activity)
        for a in duplicate.activities
        if a.activity not in have
    ]
    keeper.sources += [s for s in duplicate.sources if s not in keeper.sources]
    for column in ("latitude", "longitude", "settlement", "territory", "operator_actor_id"):
        if getattr(keeper, column) is None:
            setattr(keeper, column, getattr(duplicate, column))
    if duplicate.min_children is not None:
        keeper.min_children = max(keeper.min_children or 0, duplicate.min_children)
    # The duplicate's edit history comes along too: nothing about either record is lost.
    for model in (Movement, Claim, Evidence, ActorLink, FacilityChange):
        session.execute(
            update(model).where(model.facility_id == duplicate.id).values(facility_id=keeper.id)
        )
    keeper.name_key = name_key(keeper.name, *(n.name for n in keeper.other_names))
    # A merge changes the keeper: an edit begun before it is stale and will show it.
    keeper.version += 1
    session.add(
        FacilityChange(
            facility_id=keeper.id,
            field="merged",
            version=keeper.version,
            new_value=f"#{duplicate.id} {duplicate.name}",
            user_id=user_id,
        )
    )
    session.delete(duplicate)
    session.flush()
    return keeper


def actor_links(session: Session, facility_id: int) -> list[ActorLink]:
    """Who is linked to the facility (operator, official in charge, funder…) and how."""
    return list(
        session.scalars(
            select(ActorLink).where(ActorLink.facility_id == facility_id).order_by(ActorLink.id)
        )
    )
