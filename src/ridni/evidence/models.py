"""Source, Evidence, CustodyEvent and Claim."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.evidence.enums import EvidenceKind as EvidenceKind  # re-exported
from ridni.facilities.models import Activity
from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow

if TYPE_CHECKING:
    from ridni.facilities.models import Facility


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


class CustodyAction(StrEnum):
    collected = "collected"
    transferred = "transferred"
    viewed = "viewed"
    analysed = "analysed"
    exported = "exported"


class FileRole(StrEnum):
    """What a stored file is to its evidence: the item itself, or a web capture's parts."""

    original = "original"
    html = "html"
    screenshot = "screenshot"
    attachment = "attachment"


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
    description: Mapped[str] = mapped_column(Text, default="")
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="SET NULL"), index=True
    )
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

    # Hash of the newest custody entry: deleting the last entry breaks this link.
    custody_head: Mapped[str | None] = mapped_column(String(64))

    custody: Mapped[list[CustodyEvent]] = relationship(
        back_populates="evidence", order_by="CustodyEvent.id"
    )
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="evidence", order_by="EvidenceFile.id", lazy="selectin"
    )
    source: Mapped[Source | None] = relationship(lazy="joined")
    facility: Mapped[Facility | None] = relationship()


class EvidenceFile(Base):
    """One stored file of an evidence item, kept immutable under its SHA-256."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[FileRole] = mapped_column(enum_type(FileRole))
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Relative to the data directory, so a moved data directory still verifies.
    stored_path: Mapped[str] = mapped_column(String(1000))

    evidence: Mapped[Evidence] = relationship(back_populates="files")


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
    # Who, as a name that survives the user account (a username, or "ridni evidence verify").
    actor: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # Digest over the files' SHA-256 when this entry was written: ties the log to the content.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
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
    # What a quantity counts ("facilities holding children"), so counts of one thing compare.
    measure: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    # A part of a total another claim states: the parts of one total must add up to it.
    part_of_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )
    activity: Mapped[Activity | None] = mapped_column(enum_type(Activity))
    credibility: Mapped[InformationCredibility] = mapped_column(
        enum_type(InformationCredibility), default=InformationCredibility.cannot_be_judged
    )

    source: Mapped[Source] = relationship(lazy="joined")
    evidence: Mapped[Evidence | None] = relationship()
    facility: Mapped[Facility | None] = relationship()
    part_of: Mapped[Claim | None] = relationship(remote_side=[id])
