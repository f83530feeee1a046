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
from ridni.tracing.closing import refuse_if_closed
from ridni.tracing.models import (
    CandidateState,
    MatchCandidate,
    TracingRequest,
    sought_record_ids,
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


def stored_explanation(candidate: Candidate) -> dict[str, object]:
    """What a candidate keeps as its explanation: per field, agreement level and weight."""
    return {
        field: {"level": evidence.level, "weight": round(evidence.weight, 3)}
        for field, evidence in candidate.evidence.items()
    }


def _answered_among(session: Session, sought: Record, found: list[Record]) -> set[int]:
    """Which of ``found`` judgements already answer for ``sought`` — in three queries, not
    three per candidate: this runs on every report, against the top candidates."""
    left = set(cluster(session, sought))
    rejected_with: set[int] = set()
    for a, b in session.execute(
        select(MatchCandidate.sought_record_id, MatchCandidate.found_record_id).where(
            MatchCandidate.state == CandidateState.rejected,
            or_(
                MatchCandidate.sought_record_id.in_(left), MatchCandidate.found_record_id.in_(left)
            ),
        )
    ):
        rejected_with.add(b if a in left else a)
    children = {record.child_id for record in found if record.child_id is not None}
    members: dict[int, set[int]] = {}
    if children:
        for record_id, child_id in session.execute(
            select(Record.id, Record.child_id).where(Record.child_id.in_(children))
        ):
            if child_id is not None:
                members.setdefault(child_id, set()).add(record_id)
    answered_ids = set()
    for record in found:
        same_child = sought.child_id is not None and record.child_id == sought.child_id
        group = members.get(record.child_id, {record.id}) if record.child_id else {record.id}
        if same_child or group & rejected_with:
            answered_ids.add(record.id)
    return answered_ids


def _keep_all(session: Session, sought: Record, scored: list[Candidate]) -> list[MatchCandidate]:
    """Store the engine's candidates for ``sought`` as questions, updating open ones."""
    scored = [c for c in scored if c.match_probability >= MIN_PROBABILITY]
    if not scored:
        return []
    ids = [int(c.record_id) for c in scored]
    found = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))}
    existing = {
        c.found_record_id: c
        for c in session.scalars(
            select(MatchCandidate).where(
                MatchCandidate.sought_record_id == sought.id,
                MatchCandidate.found_record_id.in_(ids),
            )
        )
    }
    settled = _answered_among(session, sought, list(found.values()))
    kept = []
    for item in scored:
        record_id = int(item.record_id)
        if record_id not in found:
            continue
        state = CandidateState.implied if record_id in settled else CandidateState.open
        candidate = existing.get(record_id)
        if candidate is None:
            if state is CandidateState.implied:
                continue
            candidate = MatchCandidate(
                sought_record_id=sought.id,
                found_record_id=record_id,
                probability=item.match_probability,
                explanation=stored_explanation(item),
                state=state,
            )
            session.add(candidate)
        elif candidate.state in (CandidateState.open, CandidateState.implied):
            candidate.probability = item.match_probability
            candidate.explanation = stored_explanation(item)
            candidate.state = state
        kept.append(candidate)
    session.flush()
    return sorted(kept, key=lambda c: -c.probability)


def match_sought(session: Session, index: RegistryIndex, sought: Record) -> list[MatchCandidate]:
    """Find registry records that may be the child ``sought`` describes; keep them as questions."""
    return _keep_all(session, sought, index.candidates(session, sought, k=TOP_K))


def match_request(
    session: Session, index: RegistryIndex, request: TracingRequest
) -> list[MatchCandidate]:
    refuse_if_closed(request)
    found: list[MatchCandidate] = []
    for trace in request.traces:
        found += match_sought(session, index, trace.record)
    return found


def match_new_records(session: Session, records: Iterable[Record]) -> list[MatchCandidate]:
    """Match newly added registry records against every open trace; new questions result."""
    fresh = [r for r in records if r.kind not in SOUGHT_KINDS]
    if not fresh:
        return []
    sought = list(session.scalars(select(Record).where(Record.id.in_(sought_record_ids()))))
    if not sought:
        return []
    # Open traces are few next to the registry: index them, and ask from the new record's side.
    matcher = Matcher.from_rows(person_row(r) for r in sought)
    by_id = {str(r.id): r for r in sought}
    per_sought: dict[str, list[Candidate]] = {}
    for record in fresh:
        for scored in matcher.candidates(person_row(record), k=TOP_K):
            # The same evidence, seen from the sought record's side.
            per_sought.setdefault(scored.record_id, []).append(
                Candidate(str(record.id), scored.match_probability, scored.evidence)
            )
    kept = []
    for sought_id, scored_list in per_sought.items():
        kept += _keep_all(session, by_id[sought_id], scored_list)
    return kept
