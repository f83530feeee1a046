"""TracingRequest, Trace, and the match candidates a trace's record has."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Select,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.security.encryption import Encrypted
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow
from ridni.tracing.enums import CloseReason as CloseReason  # re-exported
from ridni.tracing.enums import Decision as Decision  # re-exported

if TYPE_CHECKING:
    from ridni.cases.models import Record
    from ridni.evidence.models import Evidence

# Photos a family sent with a trace, kept as evidence (SHA-256, custody log).
trace_photos = Table(
    "trace_photos",
    Base.metadata,
    Column("trace_id", ForeignKey("traces.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", ForeignKey("evidence.id", ondelete="RESTRICT"), primary_key=True),
)


class RequestStatus(StrEnum):
    open = "open"
    closed = "closed"


class Channel(StrEnum):
    """How a request reached Ridni."""

    public_form = "public_form"
    caseworker = "caseworker"
    import_file = "import"


class TracingRequest(Timestamped, Base):
    """A family's request. Inquirer contacts are personal data (encrypted at rest, see issue 6)."""

    __tablename__ = "tracing_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Hash of the private status token given to the family; the token itself is never stored.
    status_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Hash of the report form's submission key: the same form sent twice is one request.
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), default=Channel.caseworker)
    inquirer_name: Mapped[str] = mapped_column(Encrypted("tracing_requests.inquirer_name"))
    inquirer_relation: Mapped[str | None] = mapped_column(String(100))
    inquirer_contact: Mapped[str | None] = mapped_column(
        Encrypted("tracing_requests.inquirer_contact")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus), default=RequestStatus.open, index=True
    )
    consent_tracing: Mapped[bool] = mapped_column(default=False)
    consent_share: Mapped[bool] = mapped_column(default=False)
    # Set while closed; who closed it and their note are in the audit trail.
    closed_reason: Mapped[CloseReason | None] = mapped_column(enum_type(CloseReason))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    traces: Mapped[list[Trace]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Trace.id"
    )


class IdempotencyKey(Base):
    """An API client's ``Idempotency-Key`` for ``POST /api/v1/tracing-requests``: the same key
    sent again by the same user returns the request it made instead of making another. Kept
    for :data:`ridni.tracing.idempotency.KEPT` (then deleted, and the key may be used again)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Keys are the caller's: another user's same key is another key.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64))
    # What the body said (its values, as read): the key sent with other values is refused.
    body_hash: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("tracing_requests.id", ondelete="CASCADE"), index=True
    )
    # The family's status token, so a retry that never saw the first answer still gets it.
    # Encrypted, and deleted with the key; the request itself keeps only the token's hash.
    status_token: Mapped[str | None] = mapped_column(Encrypted("idempotency_keys.status_token"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    request: Mapped[TracingRequest] = relationship()


class Trace(Timestamped, Base):
    """One sought child. Identity lives in a family-report Record so matching treats all alike."""

    __tablename__ = "traces"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("tracing_requests.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="RESTRICT"))
    residence: Mapped[str | None] = mapped_column(Encrypted("traces.residence"))
    taken_from: Mapped[str | None] = mapped_column(Encrypted("traces.taken_from"))
    taken_on: Mapped[PartialDate | None] = partial_date("taken_on")
    circumstances: Mapped[str] = mapped_column(Encrypted("traces.circumstances"), default="")
    accompanied_by: Mapped[str | None] = mapped_column(Encrypted("traces.accompanied_by"))
    last_known_location: Mapped[str | None] = mapped_column(Encrypted("traces.last_known_location"))
    distinguishing_marks: Mapped[str] = mapped_column(
        Encrypted("traces.distinguishing_marks"), default=""
    )

    request: Mapped[TracingRequest] = relationship(back_populates="traces")
    record: Mapped[Record] = relationship(lazy="joined")
    photos: Mapped[list[Evidence]] = relationship(secondary=trace_photos)


def sought_record_ids(status: RequestStatus = RequestStatus.open) -> Select[int]:
    """Ids of the records the requests in ``status`` seek: open ones are what matching
    compares new records with. One row per trace (each trace has its own record)."""
    return (
        select(Trace.record_id)
        .join(TracingRequest, TracingRequest.id == Trace.request_id)
        .where(TracingRequest.status == status)
    )


class CandidateState(StrEnum):
    open = "open"
    confirmed = "confirmed"
    rejected = "rejected"
    unsure = "unsure"
    # Answered by other judgements (A=B and B≠C answers A≠C): never asked, reopened on undo.
    implied = "implied"


class MatchCandidate(Timestamped, Base):
    """A registry record the engine thinks may be the sought child; a person decides."""

    __tablename__ = "match_candidates"
    __table_args__ = (
        UniqueConstraint("sought_record_id", "found_record_id"),
        Index("ix_match_candidates_queue", "state", "probability"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sought_record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    found_record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), index=True
    )
    probability: Mapped[float] = mapped_column(Float)
    # Per field: {"level": "...", "weight": bits} — what the side-by-side view explains.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[CandidateState] = mapped_column(
        enum_type(CandidateState), default=CandidateState.open
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sought: Mapped[Record] = relationship(foreign_keys=[sought_record_id], lazy="joined")
    found: Mapped[Record] = relationship(foreign_keys=[found_record_id], lazy="joined")
    decisions: Mapped[list[MatchDecision]] = relationship(
        back_populates="candidate", order_by="MatchDecision.id", cascade="all, delete-orphan"
    )


class MatchDecision(Base):
    """Every judgement on a candidate, kept: confirm, reject, unsure and undo."""

    __tablename__ = "match_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("match_candidates.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(enum_type(Decision))
    from_state: Mapped[CandidateState] = mapped_column(enum_type(CandidateState))
    to_state: Mapped[CandidateState] = mapped_column(enum_type(CandidateState))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # What the decision changed (records moved between children, status set), so undo can
    # reverse exactly that and nothing else.
    effects: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    candidate: Mapped[MatchCandidate] = relationship(back_populates="decisions")
