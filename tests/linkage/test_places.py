"""Birth places in any language resolve to one place, renamed towns included."""

from __future__ import annotations

import pytest

from ridni.linkage.places import distance_km, place_keys, resolve


@pytest.mark.parametrize(
    "names",
    [
        ("Харків", "Харьков", "Kharkiv", "Kharkov", "м. Харків"),
        ("Бахмут", "Артёмовск", "Артемовск", "Bakhmut", "Artemovsk"),
        ("Дніпро", "Днепропетровск", "Dnipro"),
        ("Кропивницький", "Кировоград", "Kropyvnytskyi"),
        ("Олешки", "Алешки", "Oleshky"),
        ("Покровськ", "Красноармейск"),
        ("Слов'янськ", "Славянск", "Sloviansk"),
    ],
)
def test_names_of_one_town_resolve_alike(names: tuple[str, ...]) -> None:
    places = {resolve(name) for name in names}
    assert len(places) == 1
    assert None not in places


def test_ukrainian_town_wins_over_a_namesake_in_russia() -> None:
    place = resolve("Покровськ")
    assert place is not None
    assert place.name == "Pokrovsk"
    assert place.latitude is not None
    assert 47 < place.latitude < 49


def test_distance_between_resolved_places() -> None:
    kherson, oleshky = place_keys("Херсон"), place_keys("Алешки")
    assert kherson is not None
    assert oleshky is not None
    km = distance_km(kherson, oleshky)
    assert km is not None
    assert 5 < km < 30


def test_unknown_text_is_kept_for_fuzzy_comparison() -> None:
    keys = place_keys("Зеленопільська сільрада біля ставу")
    assert keys is not None
    assert keys.place_id == ""
    assert keys.text
