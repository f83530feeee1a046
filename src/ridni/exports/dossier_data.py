"""Everything a child's dossier shows, gathered once: identity, records, movements,
facilities, status history, tracing requests, returns and the evidence with its hashes."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ridni.accounts.models import Organisation
from ridni.cases.case_page import requests_of, returns_of
from ridni.cases.models import Child
from ridni.cases.service import get_child
from ridni.errors import NotFoundError
from ridni.evidence.models import Claim, Evidence
from ridni.exports.access import Exporter
from ridni.facilities.models import Facility
from ridni.returns.models import ReturnOperation
from ridni.tracing.models import TracingRequest


@dataclass
class LinkedEvidence:
    evidence: Evidence
    why: list[str] = field(default_factory=list)  # how it concerns the child


@dataclass
class DossierData:
    child: Child
    organisation: str | None
    facilities: list[Facility]
    requests: list[TracingRequest]
    returns: list[ReturnOperation]
    evidence: list[LinkedEvidence]
    evidence_shown: bool  # false for roles without evidence.read: the section says so


def in_scope(child: Child, exporter: Exporter) -> bool:
    """The case list's record scope (security.guard._check_scope), for the CLI too."""
    if exporter.every_organisation:
        return True
    return child.organisation_id in (None, exporter.organisation_id) or child.consent_share


def gather(session: Session, child_id: int, exporter: Exporter) -> DossierData:
    child = get_child(session, child_id)
    if not in_scope(child, exporter):
        raise NotFoundError(f"no child with id {child_id}")
    organisation = (
        session.get(Organisation, child.organisation_id) if child.organisation_id else None
    )
    facility_ids = sorted({m.facility_id for m in child.movements if m.facility_id})
    facilities = (
        list(
            session.scalars(
                select(Facility)
                .where(Facility.id.in_(facility_ids))
                .options(selectinload(Facility.other_names), selectinload(Facility.activities))
                .order_by(Facility.name)
            )
        )
        if facility_ids
        else []
    )
    requests = requests_of(session, child)
    returns = returns_of(session, child)
    shown = exporter.may("evidence.read")
    evidence = _evidence(session, child, facilities) if shown else []
    return DossierData(
        child=child,
        organisation=organisation.name if organisation else None,
        facilities=facilities,
        requests=requests,
        returns=returns,
        evidence=evidence,
        evidence_shown=shown,
    )


def _evidence(session: Session, child: Child, facilities: list[Facility]) -> list[LinkedEvidence]:
    """Evidence a claim about the child cites, evidence from the sources of its records and
    movements, and evidence about the facilities it was held at."""
    found: dict[int, LinkedEvidence] = {}

    def add(evidence: Evidence, why: str) -> None:
        linked = found.setdefault(evidence.id, LinkedEvidence(evidence))
        if why not in linked.why:
            linked.why.append(why)

    claimed = select(Claim.evidence_id).where(
        Claim.child_id == child.id, Claim.evidence_id.is_not(None)
    )
    source_ids = {r.source_id for r in child.records} | {
        m.source_id for m in child.movements if m.source_id
    }
    facility_names = {f.id: f.name for f in facilities}
    conditions = [Evidence.id.in_(claimed)]
    if source_ids:
        conditions.append(Evidence.source_id.in_(source_ids))
    if facility_names:
        conditions.append(Evidence.facility_id.in_(facility_names))
    rows = session.scalars(
        select(Evidence)
        .where(or_(*conditions))
        .options(selectinload(Evidence.files))
        .order_by(Evidence.id)
    )
    claimed_ids = set(session.scalars(claimed))
    for evidence in rows:
        if evidence.id in claimed_ids:
            add(evidence, "claim")
        if evidence.source_id in source_ids:
            add(evidence, "source")
        if evidence.facility_id in facility_names:
            add(evidence, "facility")
    return list(found.values())
