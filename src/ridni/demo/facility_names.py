"""Invented facility names and profiles, each marked [SYNTHETIC]."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ridni.demo.places import Destination

_WORDS = (
    "Ромашка",
    "Берёзка",
    "Солнечный",
    "Орлёнок",
    "Звёздочка",
    "Дружба",
    "Радуга",
    "Чайка",
    "Юность",
    "Патриот",
    "Жемчужина",
    "Ласточка",
    "Колосок",
    "Родник",
    "Маяк",
    "Светлячок",
    "Алые паруса",
    "Сосновый бор",
    "Лесная сказка",
    "Голубая волна",
    "Заря",
    "Восход",
    "Гвардеец",
    "Юнармеец",
    "Надежда",
    "Исток",
    "Парус",
    "Кедр",
    "Сокол",
    "Факел",
)
# kind: (name pattern, weight, activities with the probability each is present)
_KINDS: dict[str, tuple[str, int, dict[str, float]]] = {
    "camp_sanatorium": (
        "ДОЛ «{word}»",
        40,
        {"re_education": 0.8, "military_training": 0.2, "citizenship_processing": 0.15},
    ),
    "cadet_school": (
        "Кадетский корпус «{word}»",
        8,
        {"military_training": 1.0, "re_education": 0.9},
    ),
    "military_base": (
        "Военно-патриотический центр «{word}»",
        3,
        {"military_training": 1.0, "re_education": 0.7},
    ),
    "medical": ("Детская больница «{word}»", 6, {"medical": 1.0, "re_education": 0.2}),
    "religious": ("Приют при монастыре «{word}»", 3, {"re_education": 0.6}),
    "school_university": (
        "Школа-интернат «{word}»",
        12,
        {"re_education": 0.9, "citizenship_processing": 0.3},
    ),
    "hotel": ("Гостиница «{word}»", 4, {"citizenship_processing": 0.3}),
    "family_centre_orphanage": (
        "Детский дом «{word}»",
        24,
        {"adoption_placement": 0.7, "citizenship_processing": 0.4, "re_education": 0.5},
    ),
}


@dataclass(frozen=True, slots=True)
class FacilityProfile:
    name: str
    kind: str
    activities: tuple[str, ...]
    government_level: str


def facility_profile(rng: random.Random, place: Destination, used: set[str]) -> FacilityProfile:
    kind = rng.choices(list(_KINDS), weights=[spec[1] for spec in _KINDS.values()])[0]
    pattern, _weight, activities = _KINDS[kind]
    base = pattern.format(word=rng.choice(_WORDS)) + f", {place.russian}"
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base} №{number}"
    used.add(name)
    chosen = tuple(a for a, p in activities.items() if rng.random() < p)
    if place.occupied:
        level = "occupation_authority"
    else:
        level = rng.choices(
            ["federal", "regional", "municipal", "private"], weights=[20, 50, 20, 10]
        )[0]
    return FacilityProfile(f"{name} [SYNTHETIC]", kind, chosen, level)
