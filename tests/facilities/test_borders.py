"""The map's borders show Ukraine within its internationally recognised borders."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from ridni.facilities.borders import NEAR_DEGREES, atlas, borders_geojson

# (town, latitude, longitude): public geography.
IN_UKRAINE = [
    ("Simferopol", 44.952, 34.102),
    ("Sevastopol", 44.617, 33.525),
    ("Kerch", 45.357, 36.468),
    ("Donetsk", 48.016, 37.803),
    ("Luhansk", 48.574, 39.307),
    ("Mariupol", 47.097, 37.543),
    ("Melitopol", 46.849, 35.365),
]
OUTSIDE_UKRAINE = [
    ("Taganrog", 47.236, 38.897, "RU"),
    ("Rostov-on-Don", 47.236, 39.702, "RU"),
    ("Belgorod", 50.596, 36.587, "RU"),
    ("Minsk", 53.904, 27.562, "BY"),
]


@pytest.mark.parametrize(("town", "lat", "lon"), IN_UKRAINE)
def test_crimea_and_occupied_towns_are_in_ukraine(town: str, lat: float, lon: float) -> None:
    assert atlas().country_at(lat, lon) == "UA", town
    assert atlas().contains("UA", lat, lon)
    assert not atlas().contains("RU", lat, lon)


@pytest.mark.parametrize(("town", "lat", "lon", "country"), OUTSIDE_UKRAINE)
def test_russian_and_belarusian_towns_are_not(
    town: str, lat: float, lon: float, country: str
) -> None:
    assert atlas().country_at(lat, lon) == country, town
    assert not atlas().contains("UA", lat, lon)


def _map_outline(code: str) -> object:
    features = borders_geojson()["features"]
    return next(shape(f["geometry"]) for f in features if f["properties"]["code"] == code)


def test_the_outline_sent_to_the_browser_draws_the_same_border() -> None:
    """Simplified for the browser, coastal towns may sit a few km off the drawn coast; the
    nearest country is still Ukraine, and Russia's outline stays far away."""
    ukraine, russia = _map_outline("UA"), _map_outline("RU")
    for town, lat, lon in IN_UKRAINE:
        point = Point(lon, lat)
        assert ukraine.distance(point) < NEAR_DEGREES, town  # type: ignore[attr-defined]
        assert not russia.contains(point), town  # type: ignore[attr-defined]
        assert russia.distance(point) > 0.15, town  # type: ignore[attr-defined]
    for town, lat, lon, _country in OUTSIDE_UKRAINE:
        assert not ukraine.contains(Point(lon, lat)), town  # type: ignore[attr-defined]


def test_the_browser_file_is_small() -> None:
    import json

    assert len(json.dumps(borders_geojson(), separators=(",", ":"))) < 1_000_000
