"""Tracing requests for family reports that arrived without one (loaded lists, the demo)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.models import Child, Record, RecordKind
from ridni.tracing.intake import token_hash
from ridni.tracing.matching import match_sought
from ridni.tracing.models import Channel, Trace, TracingRequest
from ridni.tracing.registry_index import RegistryIndex


def open_requests(
    session: Session,
    index: RegistryIndex,
    *,
    inquirer: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Give every family report without a trace a request, and match it; return
    (requests opened, candidates found)."""
    traced = select(Trace.record_id)
    reports = list(
        session.scalars(
            select(Record).where(Record.kind == RecordKind.family_report, Record.id.not_in(traced))
        )
    )
    index.refresh(session)
    candidates = 0
    for done, record in enumerate(reports, start=1):
        child = session.get(Child, record.child_id) if record.child_id else None
        request = TracingRequest(
            status_token_hash=token_hash(secrets.token_urlsafe(24)),
            channel=Channel.import_file,
            inquirer_name=inquirer,
            organisation_id=record.organisation_id,
            consent_tracing=child.consent_tracing if child else True,
            consent_share=record.consent_share,
        )
        session.add(request)
        session.flush()
        session.add(Trace(request_id=request.id, record_id=record.id))
        candidates += len(match_sought(session, index, record))
        if progress and (done % 100 == 0 or done == len(reports)):
            progress(done, len(reports))
    session.flush()
    return len(reports), candidates
