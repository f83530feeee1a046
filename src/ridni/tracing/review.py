"""Caseworkers' judgements on candidates: confirm, reject, unsure — and undo, exactly.

Confirming links the found record to the sought child (merging two cases if the found record
already had one); the first confirmed sighting in a registry list moves the case to "located".
Each decision stores what it changed, so undo reverses that and nothing else, and refuses when
later decisions built on it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ridni.cases.lifecycle import change_status
from ridni.cases.models import Child, ChildStatus, ChildStatusEvent, Record, RecordKind
from ridni.errors import InputError, NotFoundError
from ridni.i18n import N_
from ridni.storage.types import utcnow
from ridni.tracing.matching import answered
from ridni.tracing.models import CandidateState, Decision, MatchCandidate, MatchDecision

SIGHTINGS = frozenset(
    {
        RecordKind.camp_list,
        RecordKind.adoption_listing,
        RecordKind.official_registry,
        RecordKind.return_list,
    }
)
_TARGET = {
    Decision.confirm: CandidateState.confirmed,
    Decision.reject: CandidateState.rejected,
    Decision.unsure: CandidateState.unsure,
}


T = TypeVar("T", Child, Record)


def _existing(session: Session, model: type[T], key: int) -> T:
    found = session.get(model, key)
    if found is None:
        raise NotFoundError(f"{model.__tablename__} {key} no longer exists")
    return found


def get_candidate(session: Session, candidate_id: int) -> MatchCandidate:
    candidate = session.get(MatchCandidate, candidate_id)
    if candidate is None:
        raise NotFoundError(f"no match candidate with id {candidate_id}")
    return candidate


def repeats_last(candidate: MatchCandidate, decision: Decision, user_id: int | None) -> bool:
    """Whether ``decision`` is this reviewer's last word on ``candidate`` already: the same
    form or request sent twice (a double click, a retry after a timeout), to be answered as
    the first copy was and saved nothing more (an undo is never a repeat)."""
    last = candidate.decisions[-1] if candidate.decisions else None
    return (
        decision is not Decision.undo
        and last is not None
        and (last.decision, last.user_id) == (decision, user_id)
    )


def decide(
    session: Session,
    candidate: MatchCandidate,
    decision: Decision,
    *,
    user_id: int | None,
    reason: str = "",
) -> MatchDecision:
    if decision is Decision.undo:
        return undo(session, candidate, user_id=user_id, reason=reason)
    if candidate.state not in (CandidateState.open, CandidateState.unsure):
        raise InputError(
            N_("this candidate has been decided already ({state})"),
            N_("undo that decision first if it was wrong"),
            state=candidate.state,
        )
    effects: dict[str, Any] = {}
    if decision is Decision.confirm:
        effects = _link(session, candidate, user_id=user_id)
    return _decided(session, candidate, decision, _TARGET[decision], user_id, reason, effects)


def _decided(
    session: Session,
    candidate: MatchCandidate,
    decision: Decision,
    to_state: CandidateState,
    user_id: int | None,
    reason: str,
    effects: dict[str, Any],
) -> MatchDecision:
    """The decision logged and the candidate moved to ``to_state`` by whom and when; then
    the questions around it settled again."""
    record = MatchDecision(
        decision=decision,
        from_state=candidate.state,
        to_state=to_state,
        user_id=user_id,
        reason=reason.strip(),
        effects=effects,
    )
    candidate.state = to_state
    candidate.decided_by = user_id
    candidate.decided_at = utcnow()
    candidate.decisions.append(record)
    session.flush()
    resettle(session, candidate)
    return record


def _link(session: Session, candidate: MatchCandidate, *, user_id: int | None) -> dict[str, Any]:
    sought, found = candidate.sought, candidate.found
    effects: dict[str, Any] = {}
    child = sought.child
    if child is None:  # a sought record without a case: the found one's case becomes it
        if found.child is None:
            child = Child(
                given_name=sought.given_name,
                family_name=sought.family_name,
                patronymic=sought.patronymic,
                sex=sought.sex,
                birth_date=sought.birth_date,
                birth_place=sought.birth_place,
                organisation_id=sought.organisation_id,
            )
            session.add(child)
            session.flush()
            effects["created_child"] = child.id
        else:
            child = found.child
        sought.child_id = child.id
        effects["linked"] = [sought.id]
    if found.child_id is None:
        found.child_id = child.id
        effects.setdefault("linked", []).append(found.id)
    elif found.child_id != child.id:
        effects.update(_merge(session, found.child_id, child, user_id=user_id))
    effects["child"] = child.id
    if found.kind in SIGHTINGS and child.status in (ChildStatus.reported, ChildStatus.verified):
        before = child.status
        source = found.source.title if found.source else "a registry list"
        change_status(
            session,
            child,
            ChildStatus.located,
            user_id=user_id,
            reason=f"match confirmed with record {found.id} ({source})",
        )
        effects["status"] = [before.value, ChildStatus.located.value]
    session.flush()
    return effects


def _merge(
    session: Session, duplicate_id: int, child: Child, *, user_id: int | None
) -> dict[str, Any]:
    """Move every record of case ``duplicate_id`` to ``child``; close the duplicate case."""
    duplicate = _existing(session, Child, duplicate_id)
    moved = list(session.scalars(select(Record).where(Record.child_id == duplicate_id)))
    for record in moved:
        record.child_id = child.id
    before = duplicate.status
    duplicate.status = ChildStatus.closed_duplicate
    session.add(
        ChildStatusEvent(
            child_id=duplicate_id,
            from_status=before,
            to_status=ChildStatus.closed_duplicate,
            user_id=user_id,
            reason=f"merged into case {child.id}",
            at=utcnow(),
        )
    )
    return {
        "moved": [r.id for r in moved],
        "from_child": duplicate_id,
        "from_child_status": before.value,
    }


def undo(
    session: Session, candidate: MatchCandidate, *, user_id: int | None, reason: str
) -> MatchDecision:
    if not reason.strip():
        raise InputError(N_("undoing a decision needs a reason"), N_("say why it was wrong"))
    if candidate.state in (CandidateState.open, CandidateState.implied):
        raise InputError(
            N_("this candidate has not been decided ({state}): there is nothing to undo"),
            state=candidate.state,
        )
    last = next(d for d in reversed(candidate.decisions) if d.to_state == candidate.state)
    if candidate.state is CandidateState.confirmed:
        _unlink(session, last.effects, user_id=user_id, reason=reason)
    return _decided(
        session, candidate, Decision.undo, CandidateState.open, user_id, reason, {"undid": last.id}
    )


def _unlink(session: Session, effects: dict[str, Any], *, user_id: int | None, reason: str) -> None:
    child_id = effects["child"]
    linked = [session.get(Record, rid) for rid in effects.get("linked", [])]
    moved = [session.get(Record, rid) for rid in effects.get("moved", [])]
    if any(r is None or r.child_id != child_id for r in linked + moved):
        raise InputError(
            N_("later decisions moved these records again"),
            N_("undo the later decisions on this case first"),
        )
    child = _existing(session, Child, child_id)
    if "status" in effects:
        before, after = (ChildStatus(s) for s in effects["status"])
        if child.status is after:
            _set_status(session, child, before, user_id, f"undo: {reason}")
    for record in linked:
        if record is not None:
            record.child_id = None
    if "from_child" in effects:
        duplicate = _existing(session, Child, effects["from_child"])
        for record in moved:
            if record is not None:
                record.child_id = duplicate.id
        _set_status(
            session,
            duplicate,
            ChildStatus(effects["from_child_status"]),
            user_id,
            f"undo of merge into case {child_id}: {reason}",
        )
    if "created_child" in effects:
        session.flush()
        session.delete(child)


def _set_status(
    session: Session, child: Child, to: ChildStatus, user_id: int | None, reason: str
) -> None:
    session.add(
        ChildStatusEvent(
            child_id=child.id,
            from_status=child.status,
            to_status=to,
            user_id=user_id,
            reason=reason,
            at=utcnow(),
        )
    )
    child.status = to


def resettle(session: Session, decided: MatchCandidate) -> int:
    """Re-examine questions touching the cases involved: answered ones leave the queue, and
    ones an undo un-answered come back. Returns how many changed."""
    session.flush()
    records = {decided.sought_record_id, decided.found_record_id}
    for record_id in list(records):
        record = session.get(Record, record_id)
        if record is not None and record.child_id is not None:
            records.update(
                session.scalars(select(Record.id).where(Record.child_id == record.child_id))
            )
    touching = session.scalars(
        select(MatchCandidate).where(
            MatchCandidate.state.in_((CandidateState.open, CandidateState.implied)),
            or_(
                MatchCandidate.sought_record_id.in_(records),
                MatchCandidate.found_record_id.in_(records),
            ),
        )
    )
    changed = 0
    for other in touching:
        state = (
            CandidateState.implied
            if answered(session, other.sought, other.found)
            else CandidateState.open
        )
        if state is not other.state:
            other.state = state
            changed += 1
    session.flush()
    return changed
