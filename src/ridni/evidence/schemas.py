"""JSON shapes of the evidence, custody and claims API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ridni.evidence.contradictions import Contradiction, ContradictionKind
from ridni.evidence.models import (
    Claim,
    ClaimKind,
    CustodyAction,
    CustodyEvent,
    Evidence,
    EvidenceKind,
    FileRole,
    InformationCredibility,
    SourceReliability,
)


class FileOut(BaseModel):
    id: int
    role: FileRole
    filename: str
    media_type: str
    size_bytes: int
    sha256: str


class CustodyOut(BaseModel):
    id: int
    action: CustodyAction
    at: datetime
    actor: str
    reason: str
    hash: str | None

    @classmethod
    def of(cls, event: CustodyEvent) -> CustodyOut:
        return cls(
            id=event.id,
            action=event.action,
            at=event.at,
            actor=event.actor,
            reason=event.reason,
            hash=event.hash,
        )


class EvidenceOut(BaseModel):
    id: int
    title: str
    kind: EvidenceKind
    description: str
    sha256: str | None
    url: str | None
    captured_at: datetime | None
    collector: str | None
    tool: str | None
    source_id: int | None
    facility_id: int | None
    reliability: SourceReliability
    credibility: InformationCredibility
    files: list[FileOut]
    custody: list[CustodyOut]

    @classmethod
    def of(cls, evidence: Evidence) -> EvidenceOut:
        return cls(
            id=evidence.id,
            title=evidence.title,
            kind=evidence.kind,
            description=evidence.description,
            sha256=evidence.sha256,
            url=evidence.url,
            captured_at=evidence.captured_at,
            collector=evidence.collector,
            tool=evidence.tool,
            source_id=evidence.source_id,
            facility_id=evidence.facility_id,
            reliability=evidence.reliability,
            credibility=evidence.credibility,
            files=[
                FileOut(
                    id=f.id,
                    role=f.role,
                    filename=f.filename,
                    media_type=f.media_type,
                    size_bytes=f.size_bytes,
                    sha256=f.sha256,
                )
                for f in evidence.files
            ],
            custody=[CustodyOut.of(e) for e in evidence.custody],
        )


class CustodyIn(BaseModel):
    action: CustodyAction
    reason: str = Field(min_length=1, max_length=5000)


class ReliabilityIn(BaseModel):
    reliability: SourceReliability


class CredibilityIn(BaseModel):
    credibility: InformationCredibility


class ClaimOut(BaseModel):
    id: int
    kind: ClaimKind
    statement: str
    source_id: int
    source_reliability: SourceReliability
    credibility: InformationCredibility
    evidence_id: int | None
    child_id: int | None
    facility_id: int | None
    on_date: str | None
    quantity: int | None
    measure: str | None
    region: str | None
    part_of_claim_id: int | None

    @classmethod
    def of(cls, claim: Claim) -> ClaimOut:
        return cls(
            id=claim.id,
            kind=claim.kind,
            statement=claim.statement,
            source_id=claim.source_id,
            source_reliability=claim.source.reliability,
            credibility=claim.credibility,
            evidence_id=claim.evidence_id,
            child_id=claim.child_id,
            facility_id=claim.facility_id,
            on_date=claim.on_date.iso() if claim.on_date else None,
            quantity=claim.quantity,
            measure=claim.measure,
            region=claim.region,
            part_of_claim_id=claim.part_of_claim_id,
        )


class ContradictionOut(BaseModel):
    kind: ContradictionKind
    message: str
    claim_ids: list[int]
    movement_ids: list[int]
    child_id: int | None
    facility_ids: list[int]

    @classmethod
    def of(cls, found: Contradiction) -> ContradictionOut:
        return cls(
            kind=found.kind,
            message=found.message,
            claim_ids=list(found.claim_ids),
            movement_ids=list(found.movement_ids),
            child_id=found.child_id,
            facility_ids=list(found.facility_ids),
        )
