"""TracingRequest and Trace."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import enum_type, partial_date

if TYPE_CHECKING:
    from ridni.cases.models import Record


class RequestStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    closed = "closed"


class TracingRequest(Timestamped, Base):
    """A family's request. Inquirer contacts are personal data (encrypted at rest, see issue 6)."""

    __tablename__ = "tracing_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Hash of the private status token given to the family; the token itself is never stored.
    status_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    inquirer_name: Mapped[str] = mapped_column(String(300))
    inquirer_relation: Mapped[str | None] = mapped_column(String(100))
    inquirer_contact: Mapped[str | None] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus), default=RequestStatus.open
    )
    consent_tracing: Mapped[bool] = mapped_column(default=False)
    consent_share: Mapped[bool] = mapped_column(default=False)

    traces: Mapped[list[Trace]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )


class Trace(Timestamped, Base):
    """One sought child. Identity lives in a family-report Record so matching treats all alike."""

    __tablename__ = "traces"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("tracing_requests.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="RESTRICT"))
    taken_from: Mapped[str | None] = mapped_column(String(300))
    taken_on: Mapped[PartialDate | None] = partial_date("taken_on")
    circumstances: Mapped[str] = mapped_column(Text, default="")
    accompanied_by: Mapped[str | None] = mapped_column(String(300))
    last_known_location: Mapped[str | None] = mapped_column(String(300))
    distinguishing_marks: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[TracingRequest] = relationship(back_populates="traces")
    record: Mapped[Record] = relationship()
