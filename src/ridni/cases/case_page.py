"""Everything the case page shows beside the child's own fields."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.lifecycle import allowed_next
from ridni.cases.models import Child, ChildStatus
from ridni.returns.models import ReturnOperation, return_children
from ridni.tracing.models import MatchCandidate, Trace, TracingRequest
from ridni.tracing.queue import Viewer, for_records, sees_everything


@dataclass(frozen=True)
class CaseExtras:
    requests: list[TracingRequest]
    candidates: list[MatchCandidate]
    returns: list[ReturnOperation]
    next_statuses: list[ChildStatus]
    held_here: bool  # the viewer's organisation holds the case (or none does): it may change it
    openable_requests: frozenset[int]  # requests the viewer may open (its organisation's)


def requests_of(session: Session, child: Child) -> list[TracingRequest]:
    """The tracing requests whose traces are records of ``child``."""
    record_ids = [record.id for record in child.records]
    if not record_ids:
        return []
    return list(
        session.scalars(
            select(TracingRequest)
            .join(Trace, Trace.request_id == TracingRequest.id)
            .where(Trace.record_id.in_(record_ids))
            .distinct()
            .order_by(TracingRequest.id)
        )
    )


def returns_of(session: Session, child: Child) -> list[ReturnOperation]:
    """The return operations that brought ``child`` back, oldest first."""
    return list(
        session.scalars(
            select(ReturnOperation)
            .join(return_children, return_children.c.return_id == ReturnOperation.id)
            .where(return_children.c.child_id == child.id)
            .order_by(ReturnOperation.id)
        )
    )


def case_extras(session: Session, child: Child, viewer: Viewer) -> CaseExtras:
    record_ids = [record.id for record in child.records]
    requests = requests_of(session, child)
    returns = returns_of(session, child)
    return CaseExtras(
        requests=requests,
        candidates=for_records(session, viewer, record_ids),
        returns=returns,
        next_statuses=allowed_next(child.status),
        held_here=holds(viewer, child.organisation_id),
        openable_requests=frozenset(
            r.id
            for r in requests
            if sees_everything(viewer) or r.organisation_id == viewer.organisation_id
        ),
    )


def holds(viewer: Viewer, organisation_id: int | None) -> bool:
    """Whether ``viewer`` may change a case held by ``organisation_id``: another organisation
    sees a shared case but does not rewrite it, nor withdraw the family's consent to share."""
    return sees_everything(viewer) or organisation_id in (None, viewer.organisation_id)
