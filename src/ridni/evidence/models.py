"""Source, Evidence, CustodyEvent and Claim."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow


class SourceReliability(StrEnum):
    """Admiralty grade of the source: A completely reliable … E unreliable, F cannot be judged."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class InformationCredibility(StrEnum):
    """Admiralty grade of the information: 1 confirmed … 5 improbable, 6 cannot be judged."""

    confirmed = "1"
    probably_true = "2"
    possibly_true = "3"
    doubtful = "4"
    improbable = "5"
    cannot_be_judged = "6"


class SourceKind(StrEnum):
    family_report = "family_report"
    state_portal = "state_portal"
    ngo_list = "ngo_list"
    camp_list = "camp_list"
    adoption_listing = "adoption_listing"
    return_list = "return_list"
    research_report = "research_report"
    media = "media"
    testimony = "testimony"
    web_capture = "web_capture"
    other = "other"


class EvidenceKind(StrEnum):
    document = "document"
    testimony = "testimony"
    photo = "photo"
    video = "video"
    audio = "audio"
    web_capture = "web_capture"
    other = "other"


class CustodyAction(StrEnum):
    collected = "collected"
    transferred = "transferred"
    viewed = "viewed"
    analysed = "analysed"
    exported = "exported"


class ClaimKind(StrEnum):
    child_at_facility = "child_at_facility"
    facility_activity = "facility_activity"
    quantity = "quantity"
    movement = "movement"
    other = "other"


class Source(Timestamped, Base):
    """Who says something: a list, a listing site, a report, a family, a witness."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[SourceKind] = mapped_column(enum_type(SourceKind))
    publisher: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_on: Mapped[PartialDate | None] = partial_date("published_on")
    reliability: Mapped[SourceReliability] = mapped_column(
        enum_type(SourceReliability), default=SourceReliability.F
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class Evidence(Timestamped, Base):
    """One item of evidence; the original file is stored immutable, apart from working copies."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[EvidenceKind] = mapped_column(enum_type(EvidenceKind))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    media_type: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    original_path: Mapped[str | None] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    collector: Mapped[str | None] = mapped_column(String(200))
    tool: Mapped[str | None] = mapped_column(String(200))
    reliability: Mapped[SourceReliability] = mapped_column(
        enum_type(SourceReliability), default=SourceReliability.F
    )
    credibility: Mapped[InformationCredibility] = mapped_column(
        enum_type(InformationCredibility), default=InformationCredibility.cannot_be_judged
    )

    custody: Mapped[list[CustodyEvent]] = relationship(
        back_populates="evidence", order_by="CustodyEvent.id"
    )


class CustodyEvent(Base):
    """Append-only chain-of-custody entry; each stores the hash of the one before."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="RESTRICT"), index=True
    )
    action: Mapped[CustodyAction] = mapped_column(enum_type(CustodyAction))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    evidence: Mapped[Evidence] = relationship(back_populates="custody")


class Claim(Timestamped, Base):
    """One statement a source makes, so every fact shown can say who says so."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ClaimKind] = mapped_column(enum_type(ClaimKind))
    statement: Mapped[str] = mapped_column(Text)
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), index=True
    )
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    on_date: Mapped[PartialDate | None] = partial_date("on_date")
    quantity: Mapped[int | None] = mapped_column()
    region: Mapped[str | None] = mapped_column(String(200))
    credibility: Mapped[InformationCredibility] = mapped_column(
        enum_type(InformationCredibility), default=InformationCredibility.cannot_be_judged
    )

    source: Mapped[Source] = relationship()
