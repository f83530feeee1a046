"""JSON shapes of the movement API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ridni.evidence.contradictions import Contradiction, ContradictionKind
from ridni.form_input import MAX_VERSION
from ridni.ids import MAX_ID
from ridni.movements.enums import MAX_STEP
from ridni.movements.models import Movement, MovementAction, MovementChange, MovementKind


class FacilityRef(BaseModel):
    id: int
    name: str
    country: str


class SourceRef(BaseModel):
    id: int
    title: str


class MovementOut(BaseModel):
    id: int
    sequence: int = Field(description="The step's place in the chain: 1, 2, 3…")
    kind: MovementKind
    on_date: str | None
    from_place: str | None
    facility: FacilityRef | None
    to_place: str | None
    source: SourceRef | None
    notes: str
    version: int = Field(description="Send it back with a correction; a stale one is refused.")

    @classmethod
    def of(cls, movement: Movement, *, names: bool = True) -> MovementOut:
        """``names`` false for those who see cases without names or places (analysts): the
        free-text places and notes stay out; facilities are institutions and stay in."""
        facility, source = movement.facility, movement.source
        return cls(
            id=movement.id,
            sequence=movement.sequence,
            kind=movement.kind,
            on_date=movement.on_date.iso() if movement.on_date else None,
            from_place=movement.from_place if names else None,
            facility=FacilityRef(id=facility.id, name=facility.name, country=facility.country)
            if facility
            else None,
            to_place=movement.to_place if names else None,
            source=SourceRef(id=source.id, title=source.title) if source else None,
            notes=movement.notes if names else "",
            version=movement.version,
        )


class ContradictionOut(BaseModel):
    kind: ContradictionKind
    message: str
    movement_ids: list[int]

    @classmethod
    def of(cls, found: Contradiction) -> ContradictionOut:
        return cls(kind=found.kind, message=found.message, movement_ids=list(found.movement_ids))


class ChainOut(BaseModel):
    movements: list[MovementOut]
    contradictions: list[ContradictionOut] = Field(
        description="Dates that run backwards, two places on one date: kept, and shown."
    )


class RecordedOut(MovementOut):
    contradictions: list[ContradictionOut] = Field(
        description="The child's contradictions after this change (empty when none)."
    )


class MovementChangeOut(BaseModel):
    movement_id: int
    action: MovementAction
    field: str | None
    version: int
    old_value: str | None
    new_value: str | None
    at: datetime
    user_id: int | None
    reason: str

    @classmethod
    def of(cls, change: MovementChange) -> MovementChangeOut:
        return cls(
            movement_id=change.movement_id,
            action=change.action,
            field=change.field,
            version=change.version,
            old_value=change.old_value,
            new_value=change.new_value,
            at=change.at,
            user_id=change.user_id,
            reason=change.reason,
        )


class MovementPatch(BaseModel):
    """The version you read, why, and only the fields to correct."""

    version: int = Field(ge=1, le=MAX_VERSION)
    reason: str = Field(min_length=1, max_length=2000)
    kind: MovementKind | None = None
    on_date: str | None = Field(default=None, max_length=10)
    from_place: str | None = Field(default=None, max_length=300)
    facility_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    to_place: str | None = Field(default=None, max_length=300)
    source_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    notes: str | None = Field(default=None, max_length=5000)
    after_step: int | None = Field(default=None, ge=0, le=MAX_STEP)


class WithdrawalIn(BaseModel):
    version: int = Field(ge=1, le=MAX_VERSION)
    reason: str = Field(min_length=1, max_length=2000)


class StaleOut(BaseModel):
    detail: str
    changes: list[MovementChangeOut]
