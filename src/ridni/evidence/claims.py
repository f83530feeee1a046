"""Claims: one statement one source makes, so every fact shown can say who says so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.models import Child
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Claim, ClaimKind, Evidence, InformationCredibility, Source
from ridni.facilities.models import Activity, Facility
from ridni.facilities.problems import FieldError, on_field
from ridni.i18n import N_
from ridni.ids import MAX_ID
from ridni.partial_date import PartialDate, parse_optional
from ridni.storage.base import Base


class ClaimIn(BaseModel):
    source_id: int = Field(ge=1, le=MAX_ID)
    kind: ClaimKind
    statement: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ]
    evidence_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    child_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    facility_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    on_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    quantity: int | None = Field(default=None, ge=0, le=MAX_ID)
    measure: str | None = Field(default=None, max_length=200, description="What is counted")
    region: str | None = Field(default=None, max_length=200)
    part_of_claim_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    activity: Activity | None = None
    credibility: InformationCredibility = InformationCredibility.cannot_be_judged


def _require(condition: bool, field: str, message: str, **values: object) -> None:
    if not condition:
        raise FieldError(field, message, None, **values)


def _named(
    session: Session, model: type[Base], ident: int | None, field: str, message: str
) -> None:
    """What the claim names by its id exists (an id not given names nothing)."""
    if ident is not None:
        _require(session.get(model, ident) is not None, field, message, value=ident)


def _date(text: str | None) -> PartialDate | None:
    """The claim's date: readable, and not in the future (a source reports what happened)."""
    try:
        on_date = parse_optional(text)
    except InputError as exc:
        raise on_field("on_date", exc) from None
    if on_date is not None and on_date.value > datetime.now(UTC).date():
        raise FieldError(
            "on_date",
            N_("the date {value} is in the future"),
            N_("check the year"),
            value=on_date,
        )
    return on_date


def create_claim(session: Session, data: ClaimIn) -> Claim:
    """Check the claim says what its kind needs, and that everything it names exists."""
    _named(session, Source, data.source_id, "source_id", N_("no source with id {value}"))
    _named(session, Evidence, data.evidence_id, "evidence_id", N_("no evidence with id {value}"))
    _named(session, Child, data.child_id, "child_id", N_("no child with id {value}"))
    _named(session, Facility, data.facility_id, "facility_id", N_("no facility with id {value}"))
    on_date = _date(data.on_date)
    if data.kind is ClaimKind.child_at_facility:
        _require(
            data.child_id is not None and data.facility_id is not None and on_date is not None,
            "kind",
            N_("a claim that a child was at a facility names the child, the facility and the date"),
        )
    if data.kind is ClaimKind.facility_activity:
        _require(
            data.facility_id is not None and data.activity is not None,
            "kind",
            N_("a claim about a facility's activity names the facility and the activity"),
        )
    if data.kind is ClaimKind.quantity:
        _require(
            data.quantity is not None and bool(data.measure),
            "quantity",
            N_("a quantity claim gives the number and what it counts"),
        )
    if data.part_of_claim_id is not None:
        total = session.get(Claim, data.part_of_claim_id)
        _require(
            total is not None and total.kind is ClaimKind.quantity,
            "part_of_claim_id",
            N_("a part must belong to a quantity claim"),
        )
        _require(
            data.kind is ClaimKind.quantity and total is not None and total.measure == data.measure,
            "part_of_claim_id",
            N_("a part counts the same thing as its total"),
        )
    claim = Claim(
        source_id=data.source_id,
        evidence_id=data.evidence_id,
        kind=data.kind,
        statement=data.statement.strip(),
        child_id=data.child_id,
        facility_id=data.facility_id,
        on_date=on_date,
        quantity=data.quantity,
        measure=(data.measure or "").strip() or None,
        region=(data.region or "").strip() or None,
        part_of_claim_id=data.part_of_claim_id,
        activity=data.activity,
        credibility=data.credibility,
    )
    session.add(claim)
    session.flush()
    return claim


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(N_("no claim with id {value}"), value=claim_id)
    return claim


def list_claims(
    session: Session, *, facility_id: int | None = None, kind: ClaimKind | None = None
) -> list[Claim]:
    query = select(Claim).order_by(Claim.id)
    if facility_id is not None:
        query = query.where(Claim.facility_id == facility_id)
    if kind is not None:
        query = query.where(Claim.kind == kind)
    return list(session.scalars(query).all())
