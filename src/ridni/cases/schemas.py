"""JSON shapes of the case API (and thus of its OpenAPI documentation)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ridni.cases.models import Child, ChildStatus, Record, RecordKind, Sex
from ridni.linkage.scripts import Script
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate


def _iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


class ChildSummary(BaseModel):
    id: int
    given_name: str | None
    family_name: str | None
    patronymic: str | None
    sex: Sex | None
    birth_date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY: as precise as known")
    birth_place: str | None
    origin_oblast: str | None
    status: ChildStatus
    record_count: int

    @classmethod
    def of(cls, child: Child, record_count: int, *, names: bool = True) -> ChildSummary:
        """``names`` false for roles that see no names or places (analysts)."""
        return cls(
            id=child.id,
            given_name=child.given_name if names else None,
            family_name=child.family_name if names else None,
            patronymic=child.patronymic if names else None,
            sex=child.sex,
            birth_date=_iso(child.birth_date),
            birth_place=child.birth_place if names else None,
            origin_oblast=child.origin_oblast,
            status=child.status,
            record_count=record_count,
        )


class ChildList(BaseModel):
    items: list[ChildSummary]
    total: int
    page: int
    per_page: int
    pages: int


class SourceRef(BaseModel):
    id: int
    title: str
    kind: str
    reliability: str


class RecordOut(BaseModel):
    id: int
    kind: RecordKind
    source: SourceRef
    source_ref: str
    given_name: str | None
    family_name: str | None
    patronymic: str | None
    name_script: Script
    sex: Sex | None
    birth_date: str | None
    birth_place: str | None

    @classmethod
    def of(cls, record: Record, *, names: bool = True) -> RecordOut:
        source = record.source
        return cls(
            id=record.id,
            kind=record.kind,
            source=SourceRef(
                id=source.id,
                title=source.title,
                kind=source.kind.value,
                reliability=source.reliability.value,
            ),
            source_ref=record.source_ref,
            given_name=record.given_name if names else None,
            family_name=record.family_name if names else None,
            patronymic=record.patronymic if names else None,
            name_script=record.name_script,
            sex=record.sex,
            birth_date=_iso(record.birth_date),
            birth_place=record.birth_place if names else None,
        )


class FacilityRef(BaseModel):
    id: int
    name: str
    country: str


class MovementOut(BaseModel):
    sequence: int
    kind: MovementKind
    on_date: str | None
    from_place: str | None
    facility: FacilityRef | None
    to_place: str | None

    @classmethod
    def of(cls, movement: Movement, *, names: bool = True) -> MovementOut:
        """Free-text places can name a family's town: hidden with the names."""
        facility = movement.facility
        return cls(
            sequence=movement.sequence,
            kind=movement.kind,
            on_date=_iso(movement.on_date),
            from_place=movement.from_place if names else None,
            facility=FacilityRef(id=facility.id, name=facility.name, country=facility.country)
            if facility
            else None,
            to_place=movement.to_place if names else None,
        )


class StatusChange(BaseModel):
    from_status: ChildStatus | None
    to_status: ChildStatus
    at: datetime
    reason: str


class ChildDetail(ChildSummary):
    version: int = Field(description="Send it back with an edit; a stale edit is refused.")
    russian_citizenship_imposed: bool
    adopted_or_guardianship_in_russia: bool
    consent_tracing: bool
    consent_share: bool
    records: list[RecordOut]
    movements: list[MovementOut]
    status_history: list[StatusChange]

    @classmethod
    def of_child(cls, child: Child, *, names: bool = True) -> ChildDetail:
        summary = ChildSummary.of(child, len(child.records), names=names)
        return cls(
            **summary.model_dump(),
            version=child.version,
            russian_citizenship_imposed=child.russian_citizenship_imposed,
            adopted_or_guardianship_in_russia=child.adopted_or_guardianship_in_russia,
            consent_tracing=child.consent_tracing,
            consent_share=child.consent_share,
            records=[RecordOut.of(r, names=names) for r in child.records],
            movements=[MovementOut.of(m, names=names) for m in child.movements],
            status_history=[
                StatusChange(
                    from_status=e.from_status, to_status=e.to_status, at=e.at, reason=e.reason
                )
                for e in child.status_events
            ],
        )
