"""JSON shapes of the facility API; `FacilityIn` is also what the web form fills in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from ridni.facilities.models import (
    Activity,
    Confidence,
    Facility,
    FacilityChange,
    FacilityKind,
    GovernmentLevel,
)
from ridni.form_input import MAX_VERSION, cleaned_value
from ridni.ids import MAX_ID

# A name is trimmed; one of only spaces is no name and is refused (422), never saved empty.
# Cleaned first (control and invisible characters), so a name of only those is blank.
Name = Annotated[
    Annotated[str, StringConstraints(min_length=1, max_length=300)], BeforeValidator(cleaned_value)
]


class OtherName(BaseModel):
    name: Name
    language: str | None = Field(default=None, max_length=8, description="e.g. uk, ru, en")


class FacilityIn(BaseModel):
    name: Name
    kind: FacilityKind
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2: UA, RU, BY")
    latitude: float | None = None
    longitude: float | None = None
    settlement: str | None = Field(default=None, max_length=200)
    territory: str | None = Field(default=None, max_length=200)
    occupied_territory: bool = Field(
        default=False, description="Stated explicitly, never inferred from the coordinates."
    )
    government_level: GovernmentLevel = GovernmentLevel.unknown
    operator_actor_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    active_from: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    active_to: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    min_children: int | None = Field(default=None, ge=0, le=1_000_000)
    confidence: Confidence = Confidence.low
    activities: list[Activity] = Field(default_factory=list)
    other_names: list[OtherName] = Field(default_factory=list, max_length=50)
    source_ids: list[int] = Field(default_factory=list, max_length=200)
    notes: str = Field(default="", max_length=20_000)
    confirm_not_duplicate: bool = Field(
        default=False,
        description="Save even though a similar facility exists nearby (after checking it).",
    )


class Ref(BaseModel):
    id: int
    name: str


class FacilitySummary(BaseModel):
    id: int
    name: str
    kind: FacilityKind
    country: str
    settlement: str | None
    territory: str | None
    occupied_territory: bool
    latitude: float | None
    longitude: float | None
    activities: list[Activity]
    active_from: str | None
    active_to: str | None
    min_children: int | None
    confidence: Confidence

    @classmethod
    def of(cls, facility: Facility) -> FacilitySummary:
        return cls(
            id=facility.id,
            name=facility.name,
            kind=facility.kind,
            country=facility.country,
            settlement=facility.settlement,
            territory=facility.territory,
            occupied_territory=facility.occupied_territory,
            latitude=facility.latitude,
            longitude=facility.longitude,
            activities=facility.activity_values,
            active_from=facility.active_from.iso() if facility.active_from else None,
            active_to=facility.active_to.iso() if facility.active_to else None,
            min_children=facility.min_children,
            confidence=facility.confidence,
        )


class FacilityDetail(FacilitySummary):
    other_names: list[OtherName]
    government_level: GovernmentLevel
    operator: Ref | None
    sources: list[Ref]
    notes: str
    version: int = Field(description="Send it back with an edit; a stale edit is refused.")

    @classmethod
    def of_facility(cls, facility: Facility) -> FacilityDetail:
        operator = facility.operator
        return cls(
            **FacilitySummary.of(facility).model_dump(),
            other_names=[OtherName(name=n.name, language=n.language) for n in facility.other_names],
            government_level=facility.government_level,
            operator=Ref(id=operator.id, name=operator.name) if operator else None,
            sources=[Ref(id=s.id, name=s.title) for s in facility.sources],
            notes=facility.notes,
            version=facility.version,
        )


class FacilityList(BaseModel):
    items: list[FacilitySummary]
    total: int
    page: int
    per_page: int
    pages: int


class Duplicate(BaseModel):
    detail: str
    candidates: list[FacilitySummary]


class MergeIn(BaseModel):
    into: int = Field(
        ge=1, le=MAX_ID, description="The facility that stays; this one's names move to it."
    )


class FacilityPatch(BaseModel):
    """The version you read, optionally why, and only the fields to change."""

    version: int = Field(ge=1, le=MAX_VERSION)
    reason: str = Field(default="", max_length=2000, description="Why; which source says so.")
    name: Name | None = None
    kind: FacilityKind | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    latitude: float | None = None
    longitude: float | None = None
    settlement: str | None = Field(default=None, max_length=200)
    territory: str | None = Field(default=None, max_length=200)
    occupied_territory: bool | None = None
    government_level: GovernmentLevel | None = None
    operator_actor_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    active_from: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    active_to: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    min_children: int | None = Field(default=None, ge=0, le=1_000_000)
    confidence: Confidence | None = None
    activities: list[Activity] | None = None
    other_names: list[OtherName] | None = Field(default=None, max_length=50)
    source_ids: list[int] | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=20_000)
    confirm_not_duplicate: bool = False


class FacilityChangeOut(BaseModel):
    field: str
    version: int
    old_value: str | None
    new_value: str | None
    at: datetime
    user_id: int | None
    username: str | None
    reason: str

    @classmethod
    def of(cls, change: FacilityChange) -> FacilityChangeOut:
        return cls(
            field=change.field,
            version=change.version,
            old_value=change.old_value,
            new_value=change.new_value,
            at=change.at,
            user_id=change.user_id,
            username=change.user.username if change.user else None,
            reason=change.reason,
        )


class StaleFacility(BaseModel):
    detail: str
    changes: list[FacilityChangeOut]
