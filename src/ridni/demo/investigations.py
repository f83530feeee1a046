"""Synthetic investigative material for the demo: actors, claims and evidence records.

Derived deterministically from the loaded facilities and movements (seeded by the dataset's
seed), so the facility, evidence, claims and actor pages have content. Every name says
[SYNTHETIC]; the counts report carries a deliberate "parts do not add up" contradiction so the
claims page shows what one looks like.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from ridni.actors.models import Actor, ActorKind, ActorLink, ActorRole
from ridni.evidence.custody import append
from ridni.evidence.models import (
    Claim,
    ClaimKind,
    CustodyAction,
    Evidence,
    EvidenceKind,
    InformationCredibility,
    Source,
    SourceKind,
    SourceReliability,
)
from ridni.facilities.models import Facility
from ridni.movements.models import Movement

MEASURE = "facilities holding deported children"
COUNTRY_NAMES = {"RU": "Russia", "BY": "Belarus", "UA": "occupied Ukraine"}


def add_investigations(
    session: Session, seed: int, facilities: list[Facility], movements: list[Movement]
) -> int:
    """Add actors, links, claims and evidence; returns how many claims were made."""
    rng = random.Random(seed * 7919 + 5)
    report = Source(
        title="Research report on facilities [SYNTHETIC]",
        kind=SourceKind.research_report,
        publisher="Synthetic research lab",
        reliability=SourceReliability.B,
        notes="Synthetic demo source — not real data.",
    )
    session.add(report)
    session.flush()
    agencies = _agencies(session, facilities)
    _officials(session, rng, agencies)
    claims = _count_claims(session, report, facilities)
    claims += _activity_claims(session, rng, report, facilities)
    claims += _placement_claims(session, movements)
    _evidence(session, rng, report, facilities)
    session.flush()
    return claims


def _agencies(session: Session, facilities: list[Facility]) -> dict[str, Actor]:
    agencies: dict[str, Actor] = {}
    for facility in facilities:
        key = facility.territory or facility.country
        if key not in agencies:
            agencies[key] = Actor(
                name=f"Department of education and youth, {key} [SYNTHETIC]",
                kind=ActorKind.organisation,
                country=facility.country,
                description="Synthetic demo organisation — invented.",
            )
            session.add(agencies[key])
    session.flush()
    for facility in facilities:
        facility.operator_actor_id = agencies[facility.territory or facility.country].id
    return agencies


def _officials(session: Session, rng: random.Random, agencies: dict[str, Actor]) -> None:
    for number, agency in enumerate(agencies.values(), start=1):
        person = Actor(
            name=f"Official {number} [SYNTHETIC]",
            kind=ActorKind.person,
            position="Head of department",
            country=agency.country,
            description="Synthetic demo person — invented.",
        )
        session.add(person)
        session.flush()
        session.add(
            ActorLink(
                actor_id=person.id, role=ActorRole.official_in_charge, target_actor_id=agency.id
            )
        )
        if rng.random() < 0.5:
            session.add(
                ActorLink(actor_id=person.id, role=ActorRole.funder, target_actor_id=agency.id)
            )


def _count_claims(session: Session, report: Source, facilities: list[Facility]) -> int:
    counts = Counter(f.country for f in facilities)
    total = Claim(
        source_id=report.id,
        kind=ClaimKind.quantity,
        statement=f"{sum(counts.values()) + 1} {MEASURE} in total",
        quantity=sum(counts.values()) + 1,  # deliberately off by one: a visible contradiction
        measure=MEASURE,
        credibility=InformationCredibility.probably_true,
    )
    session.add(total)
    session.flush()
    for country, count in sorted(counts.items()):
        region = COUNTRY_NAMES.get(country, country)
        session.add(
            Claim(
                source_id=report.id,
                kind=ClaimKind.quantity,
                statement=f"{count} {MEASURE} in {region}",
                quantity=count,
                measure=MEASURE,
                region=region,
                part_of_claim_id=total.id,
                credibility=InformationCredibility.probably_true,
            )
        )
    return 1 + len(counts)


def _activity_claims(
    session: Session, rng: random.Random, report: Source, facilities: list[Facility]
) -> int:
    made = 0
    for facility in facilities:
        for activity in facility.activity_values:
            session.add(
                Claim(
                    source_id=report.id,
                    kind=ClaimKind.facility_activity,
                    statement=f"The facility runs {activity.value.replace('_', ' ')}",
                    facility_id=facility.id,
                    activity=activity,
                    credibility=rng.choice(list(InformationCredibility)[:3]),
                )
            )
            made += 1
    return made


def _placement_claims(session: Session, movements: list[Movement]) -> int:
    made = 0
    for movement in movements[:200]:
        if movement.facility_id and movement.on_date and movement.source_id:
            session.add(
                Claim(
                    source_id=movement.source_id,
                    kind=ClaimKind.child_at_facility,
                    statement="The child is on the facility's list",
                    child_id=movement.child_id,
                    facility_id=movement.facility_id,
                    on_date=movement.on_date,
                    credibility=InformationCredibility.possibly_true,
                )
            )
            made += 1
    return made


def _evidence(
    session: Session, rng: random.Random, report: Source, facilities: list[Facility]
) -> None:
    """Evidence records without files (the demo ships no documents), each with custody."""
    start = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    for number, facility in enumerate(facilities[:12], start=1):
        evidence = Evidence(
            title=f"Capture of the facility's public page {number} [SYNTHETIC]",
            kind=EvidenceKind.web_capture,
            description="Synthetic demo record: metadata only, no file.",
            source_id=report.id,
            facility_id=facility.id,
            url=f"https://example.org/synthetic/facility-{number}",
            captured_at=start + timedelta(days=rng.randint(0, 400)),
            collector="Demo analyst",
            tool="Synthetic capture tool 1.0",
            reliability=rng.choice([SourceReliability.B, SourceReliability.C]),
            credibility=rng.choice(list(InformationCredibility)[:3]),
        )
        session.add(evidence)
        session.flush()
        append(session, evidence, CustodyAction.collected, actor="Demo analyst", reason="demo")
