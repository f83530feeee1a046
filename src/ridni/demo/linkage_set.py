"""Synthetic family and registry lists for measuring record linkage, at documented rates.

Unlike :func:`ridni.demo.generator.generate` (a whole demo database), this draws only the two
lists a linkage run sees and their ground truth, fast enough for a million records, at rates
at least as hard as those caseworkers describe (benchmarks/linkage/README.md lists them).
Every person is invented; only town names are real geography.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from faker.providers.person.uk_UA import Provider as UkrainianNames
from names_translator.dicts import default_dicts
from translitua import translit

from ridni.demo.names import Identity, NameFactory, to_russian, typo
from ridni.demo.places import Town, origin_towns
from ridni.demo.render import render_date
from ridni.linkage.contract import PersonRow

_SWAPPABLE = 11 / 30.44


@dataclass(frozen=True, slots=True)
class Rates:
    """Probabilities of each distortion; the defaults are the benchmark's."""

    sibling: float = 0.20  # share of children with a sibling in the data
    twice_reported: float = 0.05  # reported by two relatives
    found_in_registry: float = 0.70  # sought children some registry lists
    twice_listed: float = 0.10  # of those, listed by two sources
    distractors: float = 4.0  # registry children nobody seeks, per sought child
    # registry side
    given_ukrainian: float = 0.12
    adoption_surname: float = 0.15
    surname_initial: float = 0.08
    date_swapped: float = 0.05
    date_shifted: float = 0.07
    date_partial: float = 0.08
    date_different: float = 0.04
    patronymic_missing: float = 0.40
    place_missing: float = 0.30
    sex_missing: float = 0.10
    latin_russian: float = 0.25
    typo: float = 0.04
    names_swapped: float = 0.02
    # family side
    family_latin_ukrainian: float = 0.30
    family_date_partial: float = 0.10
    family_typo: float = 0.05
    family_patronymic_missing: float = 0.30
    family_place_missing: float = 0.05


@dataclass(slots=True)
class LinkageSet:
    family: list[PersonRow] = field(default_factory=list)
    registry: list[PersonRow] = field(default_factory=list)
    child_of: dict[str, str] = field(default_factory=dict)  # record_id → child_id
    variants: dict[str, str] = field(default_factory=dict)  # record_id → ";"-joined


@dataclass(frozen=True, slots=True)
class _Child:
    child_id: str
    who: Identity
    birth: date
    town: Town
    sought: bool


@cache
def _long_tail_surnames() -> tuple[str, ...]:
    # The dictionary's 118k Ukrainian surnames; masculine forms only, feminised on demand.
    keys = default_dicts().as_dict("last")
    return tuple(sorted(k.capitalize() for k in keys if k.isalpha() and not k.endswith(("а", "я"))))


def generate_linkage_set(sought: int, seed: int, rates: Rates | None = None) -> LinkageSet:
    """Two lists: one family report per sought child, registry entries for some of them and
    for ``rates.distractors`` times as many children nobody is looking for."""
    return _Builder(seed, rates or Rates()).build(sought)


class _Builder:
    def __init__(self, seed: int, rates: Rates) -> None:
        self.rng = random.Random(seed)
        self.rates = rates
        self.names = NameFactory(self.rng, seed)
        self.towns, self.town_weights = origin_towns()
        common = UkrainianNames.last_names_male
        # Zipf weights: a handful of surnames are very common, most are rare.
        self.common = list(common)
        self.rng.shuffle(self.common)
        self.common_weights = [1.0 / (rank + 1) for rank in range(len(self.common))]
        self.out = LinkageSet()
        self.counter = {"F": 0, "R": 0}

    def build(self, sought: int) -> LinkageSet:
        total = sought + round(sought * self.rates.distractors)
        children: list[_Child] = []
        while len(children) < total:
            children.extend(self._family(len(children), sought))
        for child in children[:total]:
            self._records(child)
        return self.out

    def _surname(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choices(self.common, weights=self.common_weights)[0]
        return self.rng.choice(_long_tail_surnames())

    def _family(self, start: int, sought: int) -> list[_Child]:
        rng = self.rng
        # Families of two make `sibling` of the children siblings: 2q / (1 + q) = sibling.
        pair = self.rates.sibling / (2 - self.rates.sibling)
        size = 2 if rng.random() < pair else 1
        surname, father = self._surname(), self.names.father()
        town = rng.choices(self.towns, weights=self.town_weights)[0]
        first = date(rng.randint(2006, 2021), 1, 1) + timedelta(days=rng.randint(0, 364))
        twins = rng.random() < 0.08
        members = []
        for index in range(size):
            birth = first if index == 0 or twins else first + timedelta(rng.randint(300, 2500))
            number = start + index + 1
            who = self.names.child(surname, father, rng.choice("MF"))
            members.append(_Child(f"C{number:07d}", who, birth, town, number <= sought))
        return members

    def _next(self, prefix: str) -> str:
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:07d}"

    def _keep(self, side: list[PersonRow], child: _Child, row: PersonRow, kinds: list[str]) -> None:
        side.append(row)
        self.out.child_of[row.record_id] = child.child_id
        self.out.variants[row.record_id] = ";".join(kinds)

    def _records(self, child: _Child) -> None:
        rates, rng = self.rates, self.rng
        if child.sought:
            for _ in range(2 if rng.random() < rates.twice_reported else 1):
                self._keep(self.out.family, child, *self._family_row(child))
            if rng.random() >= rates.found_in_registry:
                return
            listings = 2 if rng.random() < rates.twice_listed else 1
        else:
            listings = 1
        for _ in range(listings):
            self._keep(self.out.registry, child, *self._registry_row(child))

    def _family_row(self, child: _Child) -> tuple[PersonRow, list[str]]:
        rates, rng, who = self.rates, self.rng, child.who
        kinds = ["ukrainian"]
        given, family, patronymic = who.given_name, who.family_name, who.patronymic
        if rng.random() < rates.family_patronymic_missing:
            patronymic, kinds = "", [*kinds, "no_patronymic"]
        if rng.random() < rates.family_typo:
            given, kinds = typo(rng, given), [*kinds, "typo"]
        if rng.random() < rates.family_latin_ukrainian:
            table = self.names.latin_table(russian=False)
            given, family, patronymic = (translit(n, table) for n in (given, family, patronymic))
            kinds.append("latin_from_ukrainian")
        partial = rates.family_date_partial / 2
        birth, date_kind = render_date(
            rng,
            child.birth,
            {"date_exact": 1 - 2 * partial, "date_year_month": partial, "date_year": partial},
        )
        place = "" if rng.random() < rates.family_place_missing else child.town.ukrainian
        row = PersonRow(self._next("F"), given, family, patronymic, who.sex, birth, place)
        return row, [*kinds, date_kind]

    def _registry_row(self, child: _Child) -> tuple[PersonRow, list[str]]:
        rates, rng, who = self.rates, self.rng, child.who
        kinds: list[str] = []
        given = who.given_name
        if rng.random() >= rates.given_ukrainian:
            given = to_russian(given, "first")
        else:
            kinds.append("given_ukrainian")
        patronymic = to_russian(who.patronymic, "patronymic")
        roll = rng.random()
        if roll < rates.adoption_surname:
            family = self.names.russian_surname(who.sex)
            kinds.append("adoption_surname")
        else:
            family = to_russian(who.family_name, "last")
            if roll < rates.adoption_surname + rates.surname_initial:
                family = family[:1] + "."
                kinds.append("surname_initial")
        if rng.random() < rates.patronymic_missing:
            patronymic, kinds = "", [*kinds, "no_patronymic"]
        if rng.random() < rates.typo:
            if rng.random() < 0.5 or family.endswith("."):
                given = typo(rng, given)
            else:
                family = typo(rng, family)
            kinds.append("typo")
        if rng.random() < rates.latin_russian:
            table = self.names.latin_table(russian=True)
            given, family, patronymic = (translit(n, table) for n in (given, family, patronymic))
            kinds.append("latin_from_russian")
        if rng.random() < rates.names_swapped:
            given, family = family, given
            kinds.append("names_swapped")
        birth, date_kind = self._registry_date(child.birth)
        place, place_kind = self._registry_place(child.town)
        sex = "" if rng.random() < rates.sex_missing else who.sex
        row = PersonRow(self._next("R"), given, family, patronymic, sex, birth, place)
        return row, [*kinds, date_kind, place_kind]

    def _registry_date(self, birth: date) -> tuple[str, str]:
        rates, rng = self.rates, self.rng
        roll = rng.random()
        if roll < rates.date_different:
            other = birth + timedelta(days=rng.choice([-1, 1]) * rng.randint(30, 900))
            return other.isoformat(), "date_different"
        weights = {
            # Only a day of 1–12 that differs from the month can be swapped (about 36% of
            # dates); asking more often keeps the realised rate at the one required.
            "date_swapped": min(0.5, rates.date_swapped / _SWAPPABLE),
            "date_shifted": rates.date_shifted,
            "date_year_month": rates.date_partial / 2,
            "date_year": rates.date_partial / 2,
        }
        weights["date_exact"] = 1 - sum(weights.values())
        return render_date(rng, birth, weights)

    def _registry_place(self, town: Town) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < self.rates.place_missing:
            return "", "place_missing"
        kind = rng.choices(
            ["place_russian", "place_ukrainian", "place_latin"], weights=[70, 15, 15]
        )[0]
        return {
            "place_russian": town.russian,
            "place_ukrainian": town.ukrainian,
            "place_latin": town.latin,
        }[kind], kind
