"""The audit trail for system administrators: filter by who, what, which record, when."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ridni.audit.actions import action_words, entities_matching, entity_words, matching
from ridni.audit.chain import verify
from ridni.audit.models import AuditEvent
from ridni.form_input import CleanText
from ridni.i18n import gettext_ as _
from ridni.security.matrix import PERMISSIONS
from ridni.web.auth import DbSession, get_settings
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["audit"])


class AuditFilter(BaseModel):
    # Control characters typed or pasted into a filter are dropped, as anywhere text comes in
    # (PostgreSQL refuses a NUL in a query: it was a 500).
    actor: CleanText = ""
    action: CleanText = ""
    entity_type: CleanText = ""
    entity_id: CleanText = ""
    since: date | None = None
    until: date | None = None


def _conditions(chosen: AuditFilter, *, by_words: bool = False) -> list[ColumnElement[bool]]:
    """``by_words``: the action filter also finds the actions whose words (the page's, in the
    reader's language) contain the text."""
    conditions: list[ColumnElement[bool]] = []
    if chosen.actor:
        conditions.append(AuditEvent.actor.contains(chosen.actor, autoescape=True))
    if chosen.action:
        recorded = AuditEvent.action.contains(chosen.action, autoescape=True)
        worded = matching(chosen.action) if by_words else []
        conditions.append(or_(recorded, AuditEvent.action.in_(worded)) if worded else recorded)
    if chosen.entity_type:
        exact = AuditEvent.entity_type == chosen.entity_type
        kinds = entities_matching(chosen.entity_type) if by_words else []
        conditions.append(or_(exact, AuditEvent.entity_type.in_(kinds)) if kinds else exact)
    if chosen.entity_id:
        conditions.append(AuditEvent.entity_id == chosen.entity_id)
    if chosen.since:
        conditions.append(AuditEvent.at >= datetime.combine(chosen.since, time(), UTC))
    if chosen.until and chosen.until < date.max:  # 9999-12-31 leaves no day after it
        conditions.append(
            AuditEvent.at < datetime.combine(chosen.until + timedelta(days=1), time(), UTC)
        )
    return conditions


def find(
    session: Session, chosen: AuditFilter, limit: int, offset: int, *, by_words: bool = False
) -> tuple[list[AuditEvent], int]:
    where = _conditions(chosen, by_words=by_words)
    total = session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0
    items = session.scalars(
        select(AuditEvent).where(*where).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    ).all()
    return list(items), total


Text = Annotated[str, Query(max_length=200)]


def _chosen(
    actor: Text = "",
    action: Text = "",
    entity_type: Text = "",
    entity_id: Text = "",
    since: date | None = None,
    until: date | None = None,
) -> AuditFilter:
    """The filters the page or the API call chose, from its query."""
    return AuditFilter(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        since=since,
        until=until,
    )


Chosen = Annotated[AuditFilter, Depends(_chosen)]


def _described(event: AuditEvent) -> str:
    """What the event's permission allows, in the reader's language ("" when it names none)."""
    permission = (event.detail or {}).get("permission")
    if not isinstance(permission, str) or permission not in PERMISSIONS:
        return ""
    return _(PERMISSIONS[permission].description)


def _words(event: AuditEvent) -> str | None:
    """The action in words; a retry answered with what an earlier request made (an API
    client's Idempotency-Key sent again) says that it saved nothing."""
    words = action_words(event.action)
    replayed = (event.detail or {}).get("replayed_request")
    if words is None or replayed is None:
        return words
    return _("%(action)s — sent again: nothing new was saved (request %(id)s)") % {
        "action": words,
        "id": replayed,
    }


@pages.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: DbSession,
    chosen: Chosen,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    per_page = get_settings(request).page_size
    items, total = find(session, chosen, per_page, (page - 1) * per_page, by_words=True)
    checked, problems = verify(session)
    return render(
        request,
        "audit/events.html",
        items=items,
        described={e.id: _described(e) for e in items},
        words={e.id: _words(e) for e in items},
        entities={e.id: entity_words(e.entity_type) for e in items},
        total=total,
        chosen=chosen,
        page=page,
        pages=max(1, -(-total // per_page)),
        checked=checked,
        problems=[_(problem.template).format(**problem.values) for problem in problems],
        # The filters, for the pager's links: page 2 is page 2 of what was chosen.
        pager_query=urlencode(
            [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
        ),
    )


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str | None
    entity_id: str | None
    ip_address: str | None
    reason: str
    detail: dict[str, Any]


class EventsOut(BaseModel):
    items: list[EventOut]
    total: int


@api.get("/audit", response_model=EventsOut, summary="Audit events, newest first")
def audit_events(
    session: DbSession,
    chosen: Chosen,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000_000)] = 0,
) -> EventsOut:
    items, total = find(session, chosen, limit, offset)
    return EventsOut(
        items=[
            EventOut(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                ip_address=e.ip_address,
                reason=e.reason,
                detail=e.detail,
            )
            for e in items
        ],
        total=total,
    )
