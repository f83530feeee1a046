"""Claims: one statement one source makes, so every fact shown can say who says so."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.models import Child
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Claim, ClaimKind, Evidence, InformationCredibility, Source
from ridni.facilities.models import Activity, Facility
from ridni.partial_date import parse_optional


class ClaimIn(BaseModel):
    source_id: int = Field(ge=1)
    kind: ClaimKind
    statement: str = Field(min_length=1, max_length=5000)
    evidence_id: int | None = Field(default=None, ge=1)
    child_id: int | None = Field(default=None, ge=1)
    facility_id: int | None = Field(default=None, ge=1)
    on_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    quantity: int | None = Field(default=None, ge=0)
    measure: str | None = Field(default=None, max_length=200, description="What is counted")
    region: str | None = Field(default=None, max_length=200)
    part_of_claim_id: int | None = Field(default=None, ge=1)
    activity: Activity | None = None
    credibility: InformationCredibility = InformationCredibility.cannot_be_judged


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InputError(message)


def create_claim(session: Session, data: ClaimIn) -> Claim:
    """Check the claim says what its kind needs, and that everything it names exists."""
    _require(session.get(Source, data.source_id) is not None, f"no source with id {data.source_id}")
    if data.evidence_id is not None:
        _require(session.get(Evidence, data.evidence_id) is not None, "no such evidence")
    if data.child_id is not None:
        _require(session.get(Child, data.child_id) is not None, f"no child with id {data.child_id}")
    if data.facility_id is not None:
        _require(
            session.get(Facility, data.facility_id) is not None,
            f"no facility with id {data.facility_id}",
        )
    on_date = parse_optional(data.on_date)
    if data.kind is ClaimKind.child_at_facility:
        _require(
            data.child_id is not None and data.facility_id is not None and on_date is not None,
            "a claim that a child was at a facility names the child, the facility and the date",
        )
    if data.kind is ClaimKind.facility_activity:
        _require(
            data.facility_id is not None and data.activity is not None,
            "a claim about a facility's activity names the facility and the activity",
        )
    if data.kind is ClaimKind.quantity:
        _require(
            data.quantity is not None and bool(data.measure),
            "a quantity claim gives the number and what it counts",
        )
    if data.part_of_claim_id is not None:
        total = session.get(Claim, data.part_of_claim_id)
        _require(
            total is not None and total.kind is ClaimKind.quantity,
            "a part must belong to a quantity claim",
        )
        _require(
            data.kind is ClaimKind.quantity and total is not None and total.measure == data.measure,
            "a part counts the same thing as its total",
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
        raise NotFoundError(f"no claim with id {claim_id}")
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
