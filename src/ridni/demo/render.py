"""How a family and how a registry write one child: the distortions matching must see through.

Each function returns the contract row and the list of distortions applied, so benchmarks can
tell which phenomena a matcher misses. Rates are tuned to what caseworkers describe: Russian
lists mostly Russify names, many drop the patronymic, adoption listings show a surname initial
or a new surname, dates lose precision or swap day and month.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ridni.demo.names import Identity, NameFactory, to_latin, to_russian, typo
from ridni.demo.places import Town
from ridni.linkage.contract import PersonRow
from ridni.partial_date import PartialDate

# Every distortion the generator can apply; truth.csv lists them per record.
VARIANTS = (
    "ukrainian",
    "russian_cyrillic",
    "latin_from_russian",
    "latin_from_ukrainian",
    "surname_initial",
    "adoption_surname",
    "adoption_patronymic",
    "no_patronymic",
    "typo",
    "names_swapped",
    "date_exact",
    "date_swapped",
    "date_shifted",
    "date_year_month",
    "date_year",
    "date_year_off",
    "date_missing",
    "place_ukrainian",
    "place_russian",
    "place_latin",
    "place_missing",
    "sex_missing",
    "duplicate_report",
)


@dataclass(frozen=True, slots=True)
class Rendering:
    row: PersonRow
    variants: tuple[str, ...]


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def render_date(rng: random.Random, birth: date, weights: Mapping[str, float]) -> tuple[str, str]:
    kind = _pick(rng, weights)
    if kind == "date_swapped" and (birth.day > 12 or birth.day == birth.month):
        kind = "date_exact"
    if kind == "date_exact":
        return birth.isoformat(), kind
    if kind == "date_swapped":
        return date(birth.year, birth.day, birth.month).isoformat(), kind
    if kind == "date_shifted":
        shift = rng.choice([-3, -2, -1, 1, 2, 3])
        return (birth + timedelta(days=shift)).isoformat(), kind
    if kind == "date_year_month":
        return PartialDate.of(birth.year, birth.month).iso(), kind
    if kind == "date_year":
        return PartialDate.of(birth.year).iso(), kind
    if kind == "date_year_off":
        year = birth.year + rng.choice([-1, 1])
        day = min(birth.day, 28)
        return date(year, birth.month, day).isoformat(), kind
    return "", "date_missing"


FAMILY_DATES = {"date_exact": 92, "date_year_month": 4, "date_year": 4}
REGISTRY_DATES = {
    "date_exact": 55,
    "date_swapped": 6,
    "date_shifted": 7,
    "date_year_month": 12,
    "date_year": 8,
    "date_year_off": 5,
    "date_missing": 7,
}


def family_report(
    rng: random.Random, record_id: str, who: Identity, birth: date, town: Town
) -> Rendering:
    """A parent's report: Ukrainian Cyrillic, mostly complete."""
    variants = ["ukrainian"]
    given, family, patronymic = who.given_name, who.family_name, who.patronymic
    if rng.random() < 0.15:
        patronymic = ""
        variants.append("no_patronymic")
    if rng.random() < 0.03:
        given = typo(rng, given)
        variants.append("typo")
    birth_text, date_kind = render_date(rng, birth, FAMILY_DATES)
    variants.append(date_kind)
    place = town.ukrainian
    if rng.random() < 0.05:
        place = ""
        variants.append("place_missing")
    else:
        variants.append("place_ukrainian")
    row = PersonRow(record_id, given, family, patronymic, who.sex, birth_text, place)
    return Rendering(row, tuple(variants))


def registry_entry(
    rng: random.Random,
    names: NameFactory,
    record_id: str,
    who: Identity,
    birth: date,
    town: Town,
    *,
    adoption: bool,
) -> Rendering:
    """How a Russian-side list writes the child: other script, other orthography, less detail."""
    variants: list[str] = []
    given, family, patronymic = who.given_name, who.family_name, who.patronymic
    if adoption and rng.random() < 0.6:
        family = names.russian_surname(who.sex)
        variants.append("adoption_surname")
        if rng.random() < 0.5:
            patronymic = names.russian_patronymic(who.sex)
            variants.append("adoption_patronymic")
    script = _pick(
        rng,
        {
            "russian_cyrillic": 55,
            "latin_from_russian": 15,
            "latin_from_ukrainian": 10,
            "ukrainian": 20,
        },
    )
    if "adoption_surname" in variants and script == "ukrainian":
        script = "russian_cyrillic"
    variants.append(script)
    if script in ("russian_cyrillic", "latin_from_russian"):
        given = to_russian(given, "first")
        patronymic = to_russian(patronymic, "patronymic")
        if "adoption_surname" not in variants:
            family = to_russian(family, "last")
    if script.startswith("latin"):
        table = names.latin_table(russian=script == "latin_from_russian")
        given, family, patronymic = (to_latin(n, table) for n in (given, family, patronymic))
    if rng.random() < (0.4 if adoption else 0.05):
        family = family[:1] + "."
        variants.append("surname_initial")
    if rng.random() < 0.35:
        patronymic = ""
        variants.append("no_patronymic")
    if rng.random() < 0.08:
        if rng.random() < 0.5:
            given = typo(rng, given)
        else:
            family = typo(rng, family)
        variants.append("typo")
    if rng.random() < 0.03:
        given, family = family, given
        variants.append("names_swapped")
    birth_text, date_kind = render_date(rng, birth, REGISTRY_DATES)
    variants.append(date_kind)
    place_kind = _pick(
        rng, {"place_russian": 45, "place_ukrainian": 15, "place_latin": 10, "place_missing": 30}
    )
    place = {
        "place_russian": town.russian,
        "place_ukrainian": town.ukrainian,
        "place_latin": town.latin,
        "place_missing": "",
    }[place_kind]
    variants.append(place_kind)
    sex = who.sex
    if rng.random() < 0.10:
        sex = ""
        variants.append("sex_missing")
    row = PersonRow(record_id, given, family, patronymic, sex, birth_text, place)
    return Rendering(row, tuple(variants))
