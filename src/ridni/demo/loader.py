"""Load a synthetic dataset into a database, in one transaction: all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.accounts.models import Organisation, OrganisationKind
from ridni.cases.models import Child, ChildStatus, ChildStatusEvent, Record, RecordKind, Sex
from ridni.demo.dataset import Dataset, SyntheticChild, SyntheticRecord
from ridni.demo.investigations import add_investigations
from ridni.evidence.models import Source, SourceKind, SourceReliability
from ridni.facilities.checks import name_key
from ridni.facilities.models import (
    Activity,
    Confidence,
    Facility,
    FacilityActivity,
    FacilityKind,
    GovernmentLevel,
)
from ridni.linkage.contract import PersonRow
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import parse_optional
from ridni.returns.models import ReturnKind, ReturnOperation
from ridni.storage.engine import Database

Phase = Callable[[str, int], None]


@dataclass(frozen=True)
class LoadSummary:
    children: int
    records: int
    facilities: int
    movements: int
    returns: int


def load_dataset(db: Database, dataset: Dataset, phase: Phase | None = None) -> LoadSummary:
    report = phase or (lambda _name, _count: None)
    with db.session() as session:
        loader = _Loader(session, report)
        return loader.load(dataset)


class _Loader:
    def __init__(self, session: Session, report: Phase) -> None:
        self.session = session
        self.report = report
        self.organisations: dict[str, Organisation] = {}
        self.sources: dict[str, Source] = {}
        self.facilities: dict[str, Facility] = {}
        self.children: dict[str, Child] = {}

    def load(self, data: Dataset) -> LoadSummary:
        self._organisations({c.organisation for c in data.children})
        self._sources(data)
        self._facilities(data)
        self._children(data.children)
        records = self._records(data)
        movements = self._movements(data)
        self._returns(data)
        add_investigations(self.session, data.seed, list(self.facilities.values()), movements)
        return LoadSummary(
            len(data.children),
            records,
            len(data.facilities),
            len(data.movements),
            len(data.returns),
        )

    def _organisations(self, names: set[str]) -> None:
        for name in sorted(names):
            existing = self.session.scalar(select(Organisation).where(Organisation.name == name))
            if existing is None:
                kind = (
                    OrganisationKind.information_bureau
                    if "Bureau" in name
                    else OrganisationKind.ngo
                )
                existing = Organisation(name=name, kind=kind, country="UA")
                self.session.add(existing)
            self.organisations[name] = existing
        self.session.flush()

    def _sources(self, data: Dataset) -> None:
        for source in data.sources:
            model = Source(
                title=source.title,
                kind=SourceKind(source.kind),
                publisher=source.publisher or None,
                reliability=SourceReliability(source.reliability),
                notes="Synthetic demo source — not real data.",
            )
            organisation = self.organisations.get(source.publisher)
            model.organisation_id = organisation.id if organisation else None
            self.sources[source.source_id] = model
        self.session.add_all(self.sources.values())
        self.session.flush()
        self.report("sources", len(self.sources))

    def _facilities(self, data: Dataset) -> None:
        for facility in data.facilities:
            model = Facility(
                name=facility.name,
                kind=FacilityKind(facility.kind),
                latitude=facility.latitude,
                longitude=facility.longitude,
                settlement=facility.settlement,
                country=facility.country,
                territory=facility.territory or None,
                occupied_territory=facility.occupied,
                government_level=GovernmentLevel(facility.government_level),
                active_from=parse_optional(facility.active_from),
                min_children=facility.min_children,
                confidence=Confidence(facility.confidence),
                notes="Synthetic demo facility — invented name at a real town's coordinates.",
                name_key=name_key(facility.name),
            )
            model.activities = [
                FacilityActivity(activity=Activity(a)) for a in facility.activities.split(";") if a
            ]
            self.facilities[facility.facility_id] = model
        self.session.add_all(self.facilities.values())
        self.session.flush()
        self.report("facilities", len(self.facilities))

    def _children(self, children: list[SyntheticChild]) -> None:
        for child in children:
            status = ChildStatus(child.status)
            model = Child(
                given_name=child.given_name,
                family_name=child.family_name,
                patronymic=child.patronymic or None,
                sex=Sex(child.sex) if child.sex else None,
                birth_date=parse_optional(child.birth_date),
                birth_place=child.birth_place or None,
                origin_oblast=child.origin_oblast or None,
                status=status,
                russian_citizenship_imposed=child.russian_citizenship_imposed,
                adopted_or_guardianship_in_russia=child.adopted_or_guardianship_in_russia,
                consent_tracing=child.consent_tracing,
                consent_share=child.consent_share,
                organisation_id=self.organisations[child.organisation].id,
            )
            model.status_events = [
                ChildStatusEvent(to_status=status, reason="Loaded from synthetic demo data")
            ]
            self.children[child.child_id] = model
        self.session.add_all(self.children.values())
        self.session.flush()
        self.report("children", len(self.children))

    def _records(self, data: Dataset) -> int:
        rows: dict[str, PersonRow] = {row.record_id: row for row in data.family + data.registry}
        children = {child.child_id: child for child in data.children}
        models = []
        for truth in data.records:
            row = rows[truth.record_id]
            models.append(
                Record(
                    child_id=self.children[truth.child_id].id if truth.linked else None,
                    source_id=self.sources[truth.source_id].id,
                    source_ref=row.record_id,
                    kind=RecordKind(truth.kind),
                    given_name=row.given_name or None,
                    family_name=row.family_name or None,
                    patronymic=row.patronymic or None,
                    sex=Sex(row.sex) if row.sex else None,
                    birth_date=parse_optional(row.birth_date),
                    birth_place=row.birth_place or None,
                    **self._holder(truth, children),
                )
            )
        self.session.add_all(models)
        self.session.flush()
        self.report("records", len(models))
        return len(models)

    def _holder(
        self, truth: SyntheticRecord, children: dict[str, SyntheticChild]
    ) -> dict[str, Any]:
        """Families' reports belong to the organisation they reported to, shared only with
        their consent; Russian-side lists are public documents anyone may match against."""
        if truth.side != "family":
            return {"organisation_id": None, "consent_share": True}
        child = children[truth.child_id]
        return {
            "organisation_id": self.organisations[child.organisation].id,
            "consent_share": child.consent_share,
        }

    def _movements(self, data: Dataset) -> list[Movement]:
        models = []
        for movement in data.movements:
            facility = self.facilities.get(movement.facility_id)
            source = self.sources.get(movement.source_id)
            models.append(
                Movement(
                    child_id=self.children[movement.child_id].id,
                    sequence=movement.sequence,
                    kind=MovementKind(movement.kind),
                    on_date=parse_optional(movement.on_date),
                    from_place=self._place(movement.from_place),
                    facility_id=facility.id if facility else None,
                    to_place=movement.to_place or None,
                    source_id=source.id if source else None,
                )
            )
        self.session.add_all(models)
        self.session.flush()
        self.report("movements", len(models))
        return models

    def _place(self, text: str) -> str | None:
        facility = self.facilities.get(text)
        return facility.name if facility else (text or None)

    def _returns(self, data: Dataset) -> None:
        for operation in data.returns:
            model = ReturnOperation(
                name=operation.name,
                kind=ReturnKind(operation.kind),
                on_date=parse_optional(operation.on_date),
                mediator=operation.mediator or None,
                notes="Synthetic demo return operation.",
            )
            model.children = [self.children[c] for c in operation.child_ids.split(";") if c]
            self.session.add(model)
        self.session.flush()
        self.report("returns", len(data.returns))
