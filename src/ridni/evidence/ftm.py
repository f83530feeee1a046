"""FollowTheMoney export: facilities, actors, their links and documents, one entity per line.

FtM is what investigative tools (Aleph, OpenSanctions' tooling) read. Children never appear:
no Person entity is made for a child, a movement contributes only the actor's role towards a
facility, and no claim text is exported (it may name a child).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.actors.models import Actor, ActorKind, ActorLink, ActorRole
from ridni.evidence.models import Evidence
from ridni.facilities.models import Facility

PREFIX = "ridni"
Entity = dict[str, Any]


def _id(kind: str, number: int | str) -> str:
    return f"{PREFIX}-{kind}-{number}"


def _entity(schema: str, ident: str, **properties: list[str] | None) -> Entity:
    kept = {key: [v for v in values if v] for key, values in properties.items() if values}
    return {"id": ident, "schema": schema, "properties": {k: v for k, v in kept.items() if v}}


def _facility(facility: Facility) -> Iterator[Entity]:
    address_id = _id("address", facility.id)
    full = ", ".join(p for p in (facility.settlement, facility.territory, facility.country) if p)
    yield _entity(
        "Address",
        address_id,
        full=[full],
        city=[facility.settlement or ""],
        region=[facility.territory or ""],
        country=[facility.country.lower()],
        latitude=[str(facility.latitude)] if facility.latitude is not None else None,
        longitude=[str(facility.longitude)] if facility.longitude is not None else None,
    )
    yield _entity(
        "Organization",
        _id("facility", facility.id),
        name=[facility.name],
        alias=[n.name for n in facility.other_names],
        country=[facility.country.lower()],
        address=[full],
        addressEntity=[address_id],
        classification=[facility.kind.value],
        sector=[a.value for a in facility.activity_values],
        incorporationDate=[facility.active_from.iso()] if facility.active_from else None,
        dissolutionDate=[facility.active_to.iso()] if facility.active_to else None,
        notes=[facility.notes],
    )
    if facility.operator_actor_id is not None:
        yield _entity(
            "UnknownLink",
            _id("operator", facility.id),
            subject=[_id("actor", facility.operator_actor_id)],
            object=[_id("facility", facility.id)],
            role=[ActorRole.operator.value],
        )


def _actor(actor: Actor) -> Entity:
    if actor.kind is ActorKind.person:
        return _entity(
            "Person",
            _id("actor", actor.id),
            name=[actor.name],
            position=[actor.position or ""],
            country=[actor.country.lower()] if actor.country else None,
            description=[actor.description],
        )
    return _entity(
        "Organization",
        _id("actor", actor.id),
        name=[actor.name],
        country=[actor.country.lower()] if actor.country else None,
        description=[actor.description],
    )


def _link(link: ActorLink, kinds: dict[int, ActorKind]) -> Entity | None:
    subject = _id("actor", link.actor_id)
    if link.target_actor_id is not None:
        if kinds.get(link.target_actor_id) is ActorKind.organisation:
            return _entity(
                "Membership",
                _id("link", link.id),
                member=[subject],
                organization=[_id("actor", link.target_actor_id)],
                role=[link.role.value],
                description=[link.notes],
            )
        target = _id("actor", link.target_actor_id)
    elif link.facility_id is not None:
        target = _id("facility", link.facility_id)
    elif link.movement is not None and link.movement.facility_id is not None:
        # A transport of a child becomes "actor ↔ facility": the child stays out of the export.
        target = _id("facility", link.movement.facility_id)
    elif link.evidence_id is not None:
        return _entity(
            "Documentation",
            _id("link", link.id),
            document=[_id("document", link.evidence_id)],
            entity=[subject],
            role=[link.role.value],
        )
    else:
        return None
    return _entity(
        "UnknownLink",
        _id("link", link.id),
        subject=[subject],
        object=[target],
        role=[link.role.value],
    )


def _document(evidence: Evidence) -> Iterator[Entity]:
    yield _entity(
        "Document",
        _id("document", evidence.id),
        title=[evidence.title],
        contentHash=[evidence.sha256 or ""],
        fileName=[evidence.files[0].filename] if evidence.files else None,
        mimeType=[evidence.media_type or ""],
        fileSize=[str(evidence.size_bytes)] if evidence.size_bytes else None,
        sourceUrl=[evidence.url or ""],
        retrievedAt=[evidence.captured_at.strftime("%Y-%m-%dT%H:%M:%S")]
        if evidence.captured_at
        else None,
    )
    if evidence.facility_id is not None:
        yield _entity(
            "Documentation",
            _id("documents", evidence.id),
            document=[_id("document", evidence.id)],
            entity=[_id("facility", evidence.facility_id)],
        )


def ftm_entities(session: Session) -> Iterator[Entity]:
    actors = list(session.scalars(select(Actor).order_by(Actor.id)))
    kinds = {a.id: a.kind for a in actors}
    for actor in actors:
        yield _actor(actor)
    for facility in session.scalars(select(Facility).order_by(Facility.id)):
        yield from _facility(facility)
    for evidence in session.scalars(select(Evidence).order_by(Evidence.id)):
        yield from _document(evidence)
    for link in session.scalars(select(ActorLink).order_by(ActorLink.id)):
        entity = _link(link, kinds)
        if entity is not None:
            yield entity


def ftm_lines(session: Session) -> Iterator[str]:
    for entity in ftm_entities(session):
        yield json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"
