"""Who may see which candidates (the consent gate), and the review queue.

Caseworkers see the candidates of their own organisation's traces. A found record held by
another organisation is shown only if that record may be shared: records without consent to
share are never shown to users of other organisations (Primero's rule).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from ridni.cases.models import Record
from ridni.errors import NotFoundError
from ridni.tracing.models import (
    CandidateState,
    MatchCandidate,
    RequestStatus,
    sought_record_ids,
)


class Viewer(Protocol):
    @property
    def organisation_id(self) -> int | None: ...

    @property
    def roles(self) -> tuple[str, ...]: ...


def sees_everything(viewer: Viewer) -> bool:
    return "system_admin" in viewer.roles


def record_visible(viewer: Viewer, record: type[Record] | Record = Record) -> ColumnElement[bool]:
    """SQL condition: ``record`` may be shown to ``viewer``."""
    if sees_everything(viewer):
        return true()
    table = record if isinstance(record, type) else type(record)
    return or_(
        table.organisation_id.is_(None),
        table.organisation_id == viewer.organisation_id,
        table.consent_share.is_(True),
    )


def may_see(viewer: Viewer, record: Record) -> bool:
    return (
        sees_everything(viewer)
        or record.organisation_id is None
        or record.organisation_id == viewer.organisation_id
        or record.consent_share
    )


def _visible(viewer: Viewer) -> tuple[Select[MatchCandidate], ColumnElement[bool]]:
    sought, found = aliased(Record), aliased(Record)
    query = (
        select(MatchCandidate)
        .join(sought, sought.id == MatchCandidate.sought_record_id)
        .join(found, found.id == MatchCandidate.found_record_id)
    )
    if sees_everything(viewer):
        return query, and_(true())
    condition = and_(
        sought.organisation_id == viewer.organisation_id,
        or_(
            found.organisation_id.is_(None),
            found.organisation_id == viewer.organisation_id,
            found.consent_share.is_(True),
        ),
    )
    return query, condition


def visible_candidate(session: Session, viewer: Viewer, candidate_id: int) -> MatchCandidate:
    """The candidate if ``viewer`` may see it; otherwise as if it did not exist."""
    query, condition = _visible(viewer)
    candidate = session.scalar(query.where(MatchCandidate.id == candidate_id, condition))
    if candidate is None:
        raise NotFoundError(f"no match candidate with id {candidate_id}")
    return candidate


def queue(
    session: Session,
    viewer: Viewer,
    *,
    states: tuple[CandidateState, ...] = (CandidateState.open,),
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[MatchCandidate], int]:
    """Questions waiting for this viewer, most probable first, and how many there are.
    Questions about a child whose request is closed wait until it is reopened."""
    query, condition = _visible(viewer)
    where = and_(
        condition,
        MatchCandidate.state.in_(states),
        MatchCandidate.sought_record_id.not_in(sought_record_ids(RequestStatus.closed)),
    )
    total = session.scalar(select(func.count()).select_from(query.where(where).subquery())) or 0
    items = session.scalars(
        query.where(where)
        .order_by(MatchCandidate.probability.desc(), MatchCandidate.id)
        .limit(limit)
        .offset(offset)
    ).unique()
    return list(items), total


def next_candidate(session: Session, viewer: Viewer) -> MatchCandidate:
    items, _total = queue(session, viewer, limit=1)
    if not items:
        raise NotFoundError("the review queue is empty")
    return items[0]


def for_records(session: Session, viewer: Viewer, record_ids: list[int]) -> list[MatchCandidate]:
    """Every visible candidate involving these records, in any state, most probable first."""
    if not record_ids:
        return []
    query, condition = _visible(viewer)
    return list(
        session.scalars(
            query.where(
                condition,
                or_(
                    MatchCandidate.sought_record_id.in_(record_ids),
                    MatchCandidate.found_record_id.in_(record_ids),
                ),
            ).order_by(MatchCandidate.probability.desc())
        ).unique()
    )
