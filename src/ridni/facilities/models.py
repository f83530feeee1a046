"""Facility with its other names and activities."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, Float, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow

if TYPE_CHECKING:
    from ridni.accounts.models import User
    from ridni.actors.models import Actor
    from ridni.evidence.models import Source


class FacilityKind(StrEnum):
    """The eight kinds researchers found; extend by adding a member and a migration-free value."""

    camp_sanatorium = "camp_sanatorium"
    cadet_school = "cadet_school"
    military_base = "military_base"
    medical = "medical"
    religious = "religious"
    school_university = "school_university"
    hotel = "hotel"
    family_centre_orphanage = "family_centre_orphanage"
    other = "other"


class Activity(StrEnum):
    re_education = "re_education"
    military_training = "military_training"
    citizenship_processing = "citizenship_processing"
    adoption_placement = "adoption_placement"
    medical = "medical"


class GovernmentLevel(StrEnum):
    federal = "federal"
    regional = "regional"
    municipal = "municipal"
    occupation_authority = "occupation_authority"
    private = "private"
    unknown = "unknown"


class Confidence(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


# Which sources document a facility at all (claims say what each source states about it).
facility_sources = Table(
    "facility_sources",
    Base.metadata,
    Column("facility_id", ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
)


class Facility(Timestamped, Base):
    __tablename__ = "facilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[FacilityKind] = mapped_column(enum_type(FacilityKind), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    settlement: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    # Territory such as "Crimea" or "Donetsk oblast"; occupied status is explicit, never inferred.
    territory: Mapped[str | None] = mapped_column(String(200))
    occupied_territory: Mapped[bool] = mapped_column(default=False)
    operator_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    government_level: Mapped[GovernmentLevel] = mapped_column(
        enum_type(GovernmentLevel), default=GovernmentLevel.unknown
    )
    active_from: Mapped[PartialDate | None] = partial_date("active_from")
    active_to: Mapped[PartialDate | None] = partial_date("active_to")
    min_children: Mapped[int | None] = mapped_column()
    confidence: Mapped[Confidence] = mapped_column(enum_type(Confidence), default=Confidence.low)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Every name's spellings across scripts (ridni.linkage.keys), so "Romashka" finds "Ромашка".
    name_key: Mapped[str] = mapped_column(Text, default="")
    # Moves on with every edit or merge: an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    other_names: Mapped[list[FacilityName]] = relationship(
        back_populates="facility", cascade="all, delete-orphan"
    )
    activities: Mapped[list[FacilityActivity]] = relationship(
        back_populates="facility", cascade="all, delete-orphan", lazy="selectin"
    )
    operator: Mapped[Actor | None] = relationship(lazy="joined")
    sources: Mapped[list[Source]] = relationship(secondary=facility_sources)

    @property
    def activity_values(self) -> list[Activity]:
        return sorted((a.activity for a in self.activities), key=lambda a: a.value)


class FacilityName(Base):
    """Another name of a facility, in any language or script."""

    __tablename__ = "facility_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str | None] = mapped_column(String(8))

    facility: Mapped[Facility] = relationship(back_populates="other_names")


class FacilityActivity(Base):
    __tablename__ = "facility_activities"

    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True
    )
    activity: Mapped[Activity] = mapped_column(enum_type(Activity), primary_key=True)

    facility: Mapped[Facility] = relationship(back_populates="activities")


class FacilityChange(Base):
    """One changed field of a facility: who changed what, when and why."""

    __tablename__ = "facility_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(64))
    # The facility's version after this change: an edit based on an older version is stale.
    version: Mapped[int] = mapped_column()
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(lazy="joined")
