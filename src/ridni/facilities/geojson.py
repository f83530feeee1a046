"""Facilities as a GeoJSON FeatureCollection: the map's data and a download for GIS tools."""

from __future__ import annotations

from typing import Any

from ridni.facilities.models import Facility


def facility_feature(facility: Facility) -> dict[str, Any] | None:
    if facility.latitude is None or facility.longitude is None:
        return None
    return {
        "type": "Feature",
        "id": facility.id,
        # GeoJSON order is longitude, latitude (RFC 7946).
        "geometry": {"type": "Point", "coordinates": [facility.longitude, facility.latitude]},
        "properties": {
            "id": facility.id,
            "name": facility.name,
            "kind": facility.kind.value,
            "country": facility.country,
            "territory": facility.territory,
            "occupied_territory": facility.occupied_territory,
            "activities": [a.value for a in facility.activity_values],
            "active_from": facility.active_from.iso() if facility.active_from else None,
            "active_to": facility.active_to.iso() if facility.active_to else None,
            "min_children": facility.min_children,
            "confidence": facility.confidence.value,
            "url": f"/facilities/{facility.id}",
        },
    }


def facilities_geojson(facilities: list[Facility]) -> dict[str, Any]:
    features = [f for f in (facility_feature(x) for x in facilities) if f is not None]
    return {"type": "FeatureCollection", "features": features}
