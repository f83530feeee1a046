"""JSON shapes of the tracing API (and thus of its OpenAPI documentation); the family's report
itself is in ``report_json``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from ridni.cases.models import ChildStatus, Record, RecordKind, Sex
from ridni.form_input import CleanText
from ridni.ids import MAX_ID
from ridni.tracing.models import CandidateState, Channel, CloseReason, Decision, MatchCandidate
from ridni.tracing.side_by_side import compare


class RecordOut(BaseModel):
    id: int
    child_id: int | None
    source: str
    kind: RecordKind
    given_name: str | None
    family_name: str | None
    patronymic: str | None
    sex: Sex | None
    birth_date: str | None
    birth_place: str | None

    @classmethod
    def of(cls, record: Record) -> RecordOut:
        return cls(
            id=record.id,
            child_id=record.child_id,
            source=record.source.title,
            kind=record.kind,
            given_name=record.given_name,
            family_name=record.family_name,
            patronymic=record.patronymic,
            sex=record.sex,
            birth_date=record.birth_date.iso() if record.birth_date else None,
            birth_place=record.birth_place,
        )


class FieldOut(BaseModel):
    field: str
    sought: str
    found: str
    level: str
    weight: float = Field(description="Bits: +1 doubles the odds of a match, −1 halves them.")


class DecisionOut(BaseModel):
    decision: Decision
    from_state: CandidateState
    to_state: CandidateState
    at: datetime
    user_id: int | None
    reason: str


class CandidateOut(BaseModel):
    id: int
    probability: float
    state: CandidateState
    sought: RecordOut
    found: RecordOut
    fields: list[FieldOut]
    decisions: list[DecisionOut]

    @classmethod
    def of(cls, candidate: MatchCandidate) -> CandidateOut:
        return cls(
            id=candidate.id,
            probability=candidate.probability,
            state=candidate.state,
            sought=RecordOut.of(candidate.sought),
            found=RecordOut.of(candidate.found),
            fields=[
                FieldOut(
                    field=r.field, sought=r.sought, found=r.found, level=r.level, weight=r.weight
                )
                for r in compare(candidate)
            ],
            decisions=[
                DecisionOut(
                    decision=d.decision,
                    from_state=d.from_state,
                    to_state=d.to_state,
                    at=d.at,
                    user_id=d.user_id,
                    reason=d.reason,
                )
                for d in candidate.decisions
            ],
        )


class QueueOut(BaseModel):
    items: list[CandidateOut]
    total: int


class TraceOut(BaseModel):
    id: int
    record: RecordOut
    taken_from: str | None
    taken_on: str | None
    last_known_location: str | None


class RequestOut(BaseModel):
    id: int
    channel: Channel
    status: str
    created_at: datetime
    inquirer_name: str
    inquirer_relation: str | None
    inquirer_contact: str | None = Field(
        default=None, description="Always empty here: ask for it with a reason (…/contact)."
    )
    consent_tracing: bool
    consent_share: bool
    closed_reason: CloseReason | None = None
    closed_at: datetime | None = None
    traces: list[TraceOut]
    status_token: str | None = Field(
        default=None, description="Only in the answer to creation: the family's private link token."
    )

    @classmethod
    def of(cls, item: Any, token: str | None = None) -> RequestOut:
        return cls(
            id=item.id,
            channel=item.channel,
            status=item.status.value,
            created_at=item.created_at,
            inquirer_name=item.inquirer_name,
            inquirer_relation=item.inquirer_relation,
            # Never here, not even to its creator: a contact is revealed with a reason (…/contact),
            # and the answer to a creation is also replayed to retries.
            inquirer_contact=None,
            consent_tracing=item.consent_tracing,
            consent_share=item.consent_share,
            closed_reason=item.closed_reason,
            closed_at=item.closed_at,
            status_token=token,
            traces=[
                TraceOut(
                    id=t.id,
                    record=RecordOut.of(t.record),
                    taken_from=t.taken_from,
                    taken_on=t.taken_on.iso() if t.taken_on else None,
                    last_known_location=t.last_known_location,
                )
                for t in item.traces
            ],
        )


Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
    Field(description="Why, for the audit trail."),
]


class CloseIn(BaseModel):
    reason: CloseReason
    note: Note


class ReopenIn(BaseModel):
    note: Note
    consent_renewed: bool = Field(
        default=False, description="Required when the request was closed for withdrawn consent."
    )


class ContactIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="Goes into the audit trail.")


class ContactOut(BaseModel):
    contact: str | None


class DecisionIn(BaseModel):
    decision: Decision
    reason: str = Field(default="", max_length=2000)


class RegistryRecordIn(BaseModel):
    """One entry of a Russian-side list, typed in by a caseworker."""

    source_id: int = Field(ge=1, le=MAX_ID)
    source_ref: CleanText = Field(
        min_length=1,
        max_length=200,
        description="The entry's identity in its source (row, listing URL).",
    )
    kind: RecordKind = RecordKind.camp_list
    given_name: CleanText = Field(default="", max_length=200)
    family_name: CleanText = Field(default="", max_length=200)
    patronymic: CleanText = Field(default="", max_length=200)
    sex: Sex | None = None
    birth_date: str = Field(default="", max_length=10)
    birth_place: CleanText = Field(default="", max_length=300)
    consent_share: bool = Field(default=True, description="Other organisations may see it.")


class EntryOut(BaseModel):
    record: RecordOut
    new_candidates: int


class FamilyStatusOut(BaseModel):
    received_on: str
    statuses: list[ChildStatus]
