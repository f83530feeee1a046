"""Child, Record and the child's status history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    insert,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.cases.enums import ChildStatus as ChildStatus  # re-exported
from ridni.linkage.scripts import Script, detect_script
from ridni.partial_date import PartialDate
from ridni.security.blind_index import record_tokens
from ridni.security.encryption import Encrypted, ring_of
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow

if TYPE_CHECKING:
    from ridni.evidence.models import Source
    from ridni.movements.models import Movement


class Sex(StrEnum):
    male = "M"
    female = "F"


class RecordKind(StrEnum):
    family_report = "family_report"
    camp_list = "camp_list"
    adoption_listing = "adoption_listing"
    return_list = "return_list"
    official_registry = "official_registry"
    media_report = "media_report"
    testimony = "testimony"
    other = "other"


class Child(Timestamped, Base):
    """One real person. Identity fields show the best current knowledge; records keep the rest."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str | None] = mapped_column(Encrypted("children.given_name"))
    family_name: Mapped[str | None] = mapped_column(Encrypted("children.family_name"))
    patronymic: Mapped[str | None] = mapped_column(Encrypted("children.patronymic"))
    sex: Mapped[Sex | None] = mapped_column(enum_type(Sex))
    birth_date: Mapped[PartialDate | None] = partial_date("birth_date", index=True)
    birth_place: Mapped[str | None] = mapped_column(Encrypted("children.birth_place"))
    origin_oblast: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[ChildStatus] = mapped_column(
        enum_type(ChildStatus), default=ChildStatus.reported, index=True
    )
    russian_citizenship_imposed: Mapped[bool] = mapped_column(default=False)
    adopted_or_guardianship_in_russia: Mapped[bool] = mapped_column(default=False)
    consent_tracing: Mapped[bool] = mapped_column(default=False)
    consent_share: Mapped[bool] = mapped_column(default=False)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str] = mapped_column(Encrypted("children.notes"), default="")
    # Optimistic locking: a stale edit fails instead of silently overwriting someone else's.
    version: Mapped[int] = mapped_column(default=1)

    records: Mapped[list[Record]] = relationship(back_populates="child")
    # passive_deletes: the database cascades these when a case is deleted (an undone merge).
    movements: Mapped[list[Movement]] = relationship(
        back_populates="child", order_by="Movement.sequence", passive_deletes=True
    )
    status_events: Mapped[list[ChildStatusEvent]] = relationship(
        back_populates="child", order_by="ChildStatusEvent.id", passive_deletes=True
    )
    changes: Mapped[list[ChildChange]] = relationship(
        back_populates="child", order_by="ChildChange.id", passive_deletes=True
    )

    __mapper_args__: Any = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it)

    @property
    def display_name(self) -> str:
        parts = [self.family_name, self.given_name, self.patronymic]
        return " ".join(p for p in parts if p) or "—"


class Record(Base):
    """What one source says about a child, exactly as written; never overwritten by matching."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("source_id", "source_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    # The row's identity inside its source (list row, listing URL…): re-imports add nothing.
    source_ref: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RecordKind] = mapped_column(enum_type(RecordKind))
    given_name: Mapped[str | None] = mapped_column(Encrypted("records.given_name"))
    family_name: Mapped[str | None] = mapped_column(Encrypted("records.family_name"))
    patronymic: Mapped[str | None] = mapped_column(Encrypted("records.patronymic"))
    name_script: Mapped[Script] = mapped_column(enum_type(Script))
    sex: Mapped[Sex | None] = mapped_column(enum_type(Sex))
    birth_date: Mapped[PartialDate | None] = partial_date("birth_date")
    birth_place: Mapped[str | None] = mapped_column(Encrypted("records.birth_place"))
    reported_on: Mapped[PartialDate | None] = partial_date("reported_on")
    details: Mapped[str] = mapped_column(Encrypted("records.details"), default="")
    # Who holds the record, and whether they let other organisations see it: records without
    # consent to share are never shown to users of other organisations (the consent gate).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    consent_share: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    child: Mapped[Child | None] = relationship(back_populates="records")
    source: Mapped[Source] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        parts = [self.family_name, self.given_name, self.patronymic]
        return " ".join(p for p in parts if p) or "—"


class ChildChange(Base):
    """One changed field of a child's case: who changed what, when and why."""

    __tablename__ = "child_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    # The case's version after this change: an edit based on an older version is stale.
    version: Mapped[int] = mapped_column()
    old_value: Mapped[str | None] = mapped_column(Encrypted("child_changes.old_value"))
    new_value: Mapped[str | None] = mapped_column(Encrypted("child_changes.new_value"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    child: Mapped[Child] = relationship(back_populates="changes")


class ChildStatusEvent(Base):
    """One status transition: who, when, why."""

    __tablename__ = "child_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ChildStatus | None] = mapped_column(enum_type(ChildStatus))
    to_status: Mapped[ChildStatus] = mapped_column(enum_type(ChildStatus))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    child: Mapped[Child] = relationship(back_populates="status_events")


class RecordToken(Base):
    """A keyed digest of one word of a record's names, in one of its spellings: what name
    search looks up, since the names themselves are encrypted."""

    __tablename__ = "record_tokens"
    # (token, record_id), not (token): searching two words intersects two sorted index-only
    # scans instead of probing the other word for every record of the rarer one (migration 0010).
    __table_args__ = (Index("ix_record_tokens_token_record_id", "token", "record_id", unique=True),)

    # No foreign key: its check locked the record once per token row, the larger half of what
    # a bulk import cost PostgreSQL. A trigger on records deletes a record's tokens with it
    # instead (migration 0012; a migration that rebuilds `records` on SQLite must recreate it).
    record_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # 64-bit keyed digest (security.encryption.blind_token; migration 0012).
    token: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


@event.listens_for(Record, "before_insert")
def _script(_mapper: object, _connection: object, record: Record) -> None:
    # A record built without a script (imports, the API) gets the one its letters show.
    if getattr(record, "name_script", None) is None:
        record.name_script = detect_script(record.given_name, record.family_name, record.patronymic)


@event.listens_for(Record, "after_insert")
def _tokens(_mapper: object, connection: Connection, record: Record) -> None:
    """Every record becomes findable in any script, however it was created (form, import,
    API): its blind-index tokens are derived here, never by the code that makes it."""
    ring = ring_of(connection.dialect)
    tokens = record_tokens(ring, record.given_name, record.family_name, record.patronymic)
    if tokens:
        connection.execute(
            insert(RecordToken),
            [{"record_id": record.id, "token": token} for token in sorted(tokens)],
        )
