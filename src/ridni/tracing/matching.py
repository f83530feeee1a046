"""Turning the engine's live candidates into questions for caseworkers.

A trace's family record is matched against the registry when it is saved; a new registry record
is matched against every open trace. Pairs a person has already answered, directly or through
other answers (A=B and B≠C answers A≠C), are never asked again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ridni.cases.models import Record
from ridni.linkage.live import Candidate, Matcher
from ridni.tracing.models import (
    CandidateState,
    MatchCandidate,
    RequestStatus,
    Trace,
    TracingRequest,
)
from ridni.tracing.registry_index import SOUGHT_KINDS, RegistryIndex, person_row

TOP_K = 10
# Recall first: a child missed here is a child not found. Weak candidates rank low, not out.
MIN_PROBABILITY = 0.01


def cluster(session: Session, record: Record) -> list[int]:
    """The records known to describe the same child as ``record`` (itself included)."""
    if record.child_id is None:
        return [record.id]
    return list(session.scalars(select(Record.id).where(Record.child_id == record.child_id)))


def answered(session: Session, sought: Record, found: Record) -> bool:
    """Whether judgements already answer "is ``found`` the child ``sought`` describes?"."""
    if sought.child_id is not None and sought.child_id == found.child_id:
        return True
    left, right = cluster(session, sought), cluster(session, found)
    rejected = session.scalar(
        select(MatchCandidate.id)
        .where(
            MatchCandidate.state == CandidateState.rejected,
            or_(
                and_(
                    MatchCandidate.sought_record_id.in_(left),
                    MatchCandidate.found_record_id.in_(right),
                ),
                and_(
                    MatchCandidate.sought_record_id.in_(right),
                    MatchCandidate.found_record_id.in_(left),
                ),
            ),
        )
        .limit(1)
    )
    return rejected is not None


def _explanation(candidate: Candidate) -> dict[str, object]:
    return {
        field: {"level": evidence.level, "weight": round(evidence.weight, 3)}
        for field, evidence in candidate.evidence.items()
    }


def _keep(
    session: Session, sought: Record, found: Record, scored: Candidate
) -> MatchCandidate | None:
    existing = session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.sought_record_id == sought.id,
            MatchCandidate.found_record_id == found.id,
        )
    )
    if existing is not None:
        if existing.state in (CandidateState.open, CandidateState.implied):
            existing.probability = scored.match_probability
            existing.explanation = _explanation(scored)
            existing.state = (
                CandidateState.implied if answered(session, sought, found) else CandidateState.open
            )
        return existing
    if answered(session, sought, found):
        return None
    candidate = MatchCandidate(
        sought_record_id=sought.id,
        found_record_id=found.id,
        probability=scored.match_probability,
        explanation=_explanation(scored),
        state=CandidateState.open,
    )
    session.add(candidate)
    return candidate


def match_sought(session: Session, index: RegistryIndex, sought: Record) -> list[MatchCandidate]:
    """Find registry records that may be the child ``sought`` describes; keep them as questions."""
    kept = []
    for scored in index.candidates(session, sought, k=TOP_K):
        if scored.match_probability < MIN_PROBABILITY:
            continue
        found = session.get(Record, int(scored.record_id))
        if found is None:
            continue
        candidate = _keep(session, sought, found, scored)
        if candidate is not None:
            kept.append(candidate)
    session.flush()
    return sorted(kept, key=lambda c: -c.probability)


def match_request(
    session: Session, index: RegistryIndex, request: TracingRequest
) -> list[MatchCandidate]:
    found: list[MatchCandidate] = []
    for trace in request.traces:
        found += match_sought(session, index, trace.record)
    return found


def match_new_records(session: Session, records: Iterable[Record]) -> list[MatchCandidate]:
    """Match newly added registry records against every open trace; new questions result."""
    fresh = [r for r in records if r.kind not in SOUGHT_KINDS]
    if not fresh:
        return []
    sought = list(
        session.scalars(
            select(Record)
            .join(Trace, Trace.record_id == Record.id)
            .join(TracingRequest, TracingRequest.id == Trace.request_id)
            .where(TracingRequest.status == RequestStatus.open)
        )
    )
    if not sought:
        return []
    # Open traces are few next to the registry: index them, and ask from the new record's side.
    matcher = Matcher.from_rows(person_row(r) for r in sought)
    by_id = {str(r.id): r for r in sought}
    kept = []
    for record in fresh:
        for scored in matcher.candidates(person_row(record), k=TOP_K):
            if scored.match_probability < MIN_PROBABILITY:
                continue
            candidate = _keep(session, by_id[scored.record_id], record, scored)
            if candidate is not None:
                kept.append(candidate)
    session.flush()
    return kept
