"""Actors, their links, and the dossier that gathers what is known about one of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ridni.actors.models import Actor, ActorKind, ActorLink, ActorRole
from ridni.errors import NotFoundError
from ridni.evidence.models import Claim, Evidence, Source
from ridni.facilities.models import Facility
from ridni.facilities.problems import FieldError
from ridni.form_input import cleaned_value
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.linkage.keys import fold
from ridni.movements.models import Movement


class ActorIn(BaseModel):
    name: Annotated[
        Annotated[str, StringConstraints(min_length=1, max_length=300)],
        BeforeValidator(cleaned_value),
    ]
    kind: ActorKind
    position: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", max_length=20_000)
    country: str | None = Field(default=None, min_length=2, max_length=2)


class LinkIn(BaseModel):
    role: ActorRole
    facility_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    movement_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    evidence_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    target_actor_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    source_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    notes: str = Field(default="", max_length=5000)


def create_actor(session: Session, data: ActorIn) -> Actor:
    actor = Actor(
        name=data.name.strip(),
        kind=data.kind,
        position=(data.position or "").strip() or None,
        description=data.description,
        country=data.country.upper() if data.country else None,
    )
    session.add(actor)
    session.flush()
    return actor


MISSING = {
    "facility": N_("no facility with id {value}"),
    "movement": N_("no movement with id {value}"),
    "evidence": N_("no evidence with id {value}"),
    "actor": N_("no actor with id {value}"),
}


def link_actor(session: Session, actor_id: int, data: LinkIn) -> ActorLink:
    """Link an actor to exactly one thing, checking that it exists."""
    actor = get_actor(session, actor_id)
    targets = {
        "facility": (data.facility_id, Facility),
        "movement": (data.movement_id, Movement),
        "evidence": (data.evidence_id, Evidence),
        "actor": (data.target_actor_id, Actor),
    }
    named = [(what, ident, model) for what, (ident, model) in targets.items() if ident is not None]
    if len(named) != 1:
        raise FieldError(
            "target", N_("a link names exactly one facility, movement, evidence item or actor")
        )
    what, ident, model = named[0]
    if session.get(model, ident) is None:
        raise FieldError("target_id", MISSING[what], value=ident)
    if data.target_actor_id == actor.id:
        raise FieldError("target_id", N_("an actor cannot be linked to itself"))
    if data.source_id is not None and session.get(Source, data.source_id) is None:
        raise FieldError("source_id", N_("no source with id {value}"), value=data.source_id)
    link = ActorLink(actor_id=actor.id, **data.model_dump())
    session.add(link)
    session.flush()
    return link


def get_actor(session: Session, actor_id: int) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise NotFoundError(N_("no actor with id {value}"), value=actor_id)
    return actor


def list_actors(session: Session, query: str = "") -> list[Actor]:
    actors = session.scalars(select(Actor).order_by(Actor.name, Actor.id)).all()
    wanted = fold(query)
    return [a for a in actors if not wanted or wanted in fold(a.name)]


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything Ridni holds about one actor, each item with the source that says so."""

    actor: Actor
    facilities: list[tuple[Facility, ActorRole, Source | None]]
    movements: list[tuple[Movement, ActorRole]]
    evidence: list[tuple[Evidence, ActorRole]]
    related: list[tuple[Actor, ActorRole, bool]]  # (other actor, role, actor is the subject)
    claims: list[Claim]


def dossier(session: Session, actor_id: int) -> Dossier:
    actor = get_actor(session, actor_id)
    links = session.scalars(
        select(ActorLink)
        .where(or_(ActorLink.actor_id == actor.id, ActorLink.target_actor_id == actor.id))
        .options(selectinload(ActorLink.movement).joinedload(Movement.facility))
        .order_by(ActorLink.id)
    ).all()
    facilities: list[tuple[Facility, ActorRole, Source | None]] = [
        (f, ActorRole.operator, None)
        for f in session.scalars(select(Facility).where(Facility.operator_actor_id == actor.id))
    ]
    movements, evidence, related = [], [], []
    for link in links:
        if link.target_actor_id == actor.id:
            related.append((link.actor, link.role, False))
        elif link.facility is not None:
            facilities.append((link.facility, link.role, link.source))
        elif link.movement is not None:
            movements.append((link.movement, link.role))
        elif link.evidence is not None:
            evidence.append((link.evidence, link.role))
        elif link.target_actor is not None:
            related.append((link.target_actor, link.role, True))
    facility_ids = {f.id for f, _role, _source in facilities}
    claims = (
        list(session.scalars(select(Claim).where(Claim.facility_id.in_(facility_ids))))
        if facility_ids
        else []
    )
    return Dossier(actor, facilities, movements, evidence, related, claims)
