"""Actors and their dossiers: pages and JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from ridni.actors.models import Actor, ActorKind, ActorLink, ActorRole
from ridni.actors.service import (
    ActorIn,
    LinkIn,
    create_actor,
    dossier,
    get_actor,
    link_actor,
    list_actors,
)
from ridni.errors import RidniError
from ridni.facilities.problems import FieldError, FormLabels, read_id
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.web.auth import ApiUser, DbSession, PageUser, verify_csrf
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["actors"])

ActorId = Annotated[int, Path(ge=1, le=MAX_ID, description="The actor's identifier.")]


class ActorOut(BaseModel):
    id: int
    name: str
    kind: ActorKind
    position: str | None
    description: str
    country: str | None

    @classmethod
    def of(cls, actor: Actor) -> ActorOut:
        return cls(
            id=actor.id,
            name=actor.name,
            kind=actor.kind,
            position=actor.position,
            description=actor.description,
            country=actor.country,
        )


class LinkOut(LinkIn):
    id: int
    actor_id: int

    @classmethod
    def of(cls, link: ActorLink) -> LinkOut:
        return cls(
            id=link.id,
            actor_id=link.actor_id,
            role=link.role,
            facility_id=link.facility_id,
            movement_id=link.movement_id,
            evidence_id=link.evidence_id,
            target_actor_id=link.target_actor_id,
            source_id=link.source_id,
            notes=link.notes,
        )


class ActorDetail(ActorOut):
    links: list[LinkOut]


# The add-actor and link forms: the labels their fields show, for messages.
ACTOR_FORM = FormLabels(
    labels={
        "name": N_("Name"),
        "kind": N_("Kind"),
        "position": N_("Position"),
        "country": N_("Country (ISO code)"),
        "description": N_("Description"),
    },
    notes={"country": N_("Give the two-letter country code, e.g. UA.")},
)
LINK_FORM = FormLabels(
    labels={
        "role": N_("Role"),
        "target": N_("towards"),
        "target_id": N_("number"),
        "notes": N_("Notes"),
    },
    fields={
        "facility_id": "target_id",
        "movement_id": "target_id",
        "evidence_id": "target_id",
        "target_actor_id": "target_id",
    },
)


@pages.get("/actors", response_class=HTMLResponse)
def actors_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    return _list(request, session, q)


def _list(
    request: Request,
    session: DbSession,
    q: str = "",
    status: int = 200,
    values: dict[str, str] | None = None,
    refused: ValidationError | RidniError | None = None,
) -> Response:
    """The actors page; after a refusal, the add form comes back with what was typed and the
    message beside the field it names."""
    errors, error = ACTOR_FORM.refusal(refused) if refused is not None else ({}, None)
    return render(
        request,
        "actors/list.html",
        status_code=status,
        actors=list_actors(session, q),
        q=q,
        error=error,
        errors=errors,
        values=values or {},
        kinds=list(ActorKind),
    )


@pages.post("/actors", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def create_actor_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    name: Annotated[str, Form(max_length=300)],
    kind: Annotated[str, Form(max_length=32)],
    position: Annotated[str, Form(max_length=300)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "position": position,
        "country": country,
        "description": description,
    }
    try:
        data = ActorIn.model_validate(
            {
                "name": name,
                "kind": kind,
                "position": position or None,
                "country": country or None,
                "description": description,
            }
        )
        with session.begin_nested():  # a refused actor leaves no row behind
            actor = create_actor(session, data)
    except (ValidationError, RidniError) as exc:
        session.expire_all()
        return _list(request, session, "", 400, values, exc)
    return RedirectResponse(f"/actors/{actor.id}", status_code=303)


@pages.get("/actors/{actor_id}", response_class=HTMLResponse)
def dossier_page(
    request: Request, session: DbSession, user: PageUser, actor_id: ActorId
) -> Response:
    return _dossier(request, session, actor_id)


def _dossier(
    request: Request,
    session: DbSession,
    actor_id: int,
    status: int = 200,
    values: dict[str, str] | None = None,
    refused: ValidationError | RidniError | None = None,
) -> Response:
    """An actor's dossier; after a refused link, the link form comes back with what was typed
    and the message beside the field it names."""
    errors, error = LINK_FORM.refusal(refused) if refused is not None else ({}, None)
    return render(
        request,
        "actors/dossier.html",
        status_code=status,
        d=dossier(session, actor_id),
        roles=list(ActorRole),
        error=error,
        errors=errors,
        values=values or {},
    )


@pages.post(
    "/actors/{actor_id}/links", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
def link_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    actor_id: ActorId,
    role: Annotated[str, Form(max_length=32)],
    target: Annotated[str, Form(max_length=32)],
    target_id: Annotated[str, Form(max_length=20)],
    notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    fields = {"facility", "movement", "evidence", "actor"}
    values = {"role": role, "target": target, "target_id": target_id, "notes": notes}
    try:
        if target not in fields:
            raise FieldError("target", N_("choose what the actor is linked to"))
        key = "target_actor_id" if target == "actor" else f"{target}_id"
        data = LinkIn.model_validate(
            {"role": role, key: read_id(target_id, "target_id"), "notes": notes}
        )
        with session.begin_nested():  # a refused link leaves no row behind
            link_actor(session, actor_id, data)
    except (ValidationError, RidniError) as exc:
        session.expire_all()
        return _dossier(request, session, actor_id, 400, values, exc)
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)


@api.get("/actors", response_model=list[ActorOut], summary="Actors, by name")
def list_actors_api(
    session: DbSession, user: ApiUser, q: Annotated[str, Query(max_length=200)] = ""
) -> list[ActorOut]:
    return [ActorOut.of(a) for a in list_actors(session, q)]


@api.post(
    "/actors", response_model=ActorOut, status_code=201, summary="Add a person or organisation"
)
def create_actor_api(session: DbSession, user: ApiUser, data: ActorIn) -> ActorOut:
    return ActorOut.of(create_actor(session, data))


@api.get("/actors/{actor_id}", response_model=ActorDetail, summary="One actor with its links")
def read_actor_api(session: DbSession, user: ApiUser, actor_id: ActorId) -> ActorDetail:
    actor = get_actor(session, actor_id)
    return ActorDetail(
        **ActorOut.of(actor).model_dump(), links=[LinkOut.of(link) for link in actor.links]
    )


@api.post(
    "/actors/{actor_id}/links",
    response_model=LinkOut,
    status_code=201,
    summary="Link an actor to a facility, movement, evidence item or another actor",
)
def link_actor_api(session: DbSession, user: ApiUser, actor_id: ActorId, data: LinkIn) -> LinkOut:
    return LinkOut.of(link_actor(session, actor_id, data))
