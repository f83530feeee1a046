"""Checks on a facility before it is saved: a plausible place, and not a second copy of one."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.errors import RidniError
from ridni.facilities.borders import atlas
from ridni.facilities.models import Facility
from ridni.facilities.problems import NOT_A_NUMBER, FieldError, plain
from ridni.i18n import N_
from ridni.linkage.keys import search_key

# Two records of one place: close together (the same town) and similarly named in some script.
DUPLICATE_KM = 5.0
DUPLICATE_SIMILARITY = 70.0


class DuplicateFacilityError(RidniError):
    """The facility looks like one already registered; offered for merge instead of saved."""

    exit_code = 6

    def __init__(self, candidates: list[Facility]) -> None:
        super().__init__(
            N_("this looks like a facility already registered: {names}"),
            N_("merge the new name into it, or confirm that it is a different place"),
            names="; ".join(f"#{f.id} {f.name}" for f in candidates),
        )
        self.candidates = candidates


def check_location(country: str, latitude: float | None, longitude: float | None) -> None:
    """Coordinates in range and inside the stated country (which catches swapped lat/lon)."""
    if (latitude is None) != (longitude is None):
        raise FieldError(
            "longitude" if longitude is None else "latitude",
            N_("give both latitude and longitude, or neither"),
        )
    if latitude is None or longitude is None:
        return
    for name, value in (("latitude", latitude), ("longitude", longitude)):
        if not math.isfinite(value):  # NaN or Infinity in a JSON body
            raise FieldError(name, NOT_A_NUMBER, value=value)
    if not -90 <= latitude <= 90:
        raise FieldError(
            "latitude",
            N_("latitude {value} is outside −90…90"),
            N_("latitude comes first"),
            value=latitude,
        )
    if not -180 <= longitude <= 180:
        raise FieldError("longitude", N_("longitude {value} is outside −180…180"), value=longitude)
    places = atlas()
    if places.contains(country, latitude, longitude):
        return
    found = places.country_at(latitude, longitude)
    hint = (
        N_("latitude and longitude look swapped")
        if places.contains(country, longitude, latitude)
        else N_("check the coordinates and the country")
    )
    values = {
        "latitude": latitude,
        "longitude": longitude,
        "country": country,
        "country_name": places.name(country),
    }
    if found is None:
        message = N_(
            "the point {latitude}, {longitude} lies at sea, not in {country_name} ({country})"
        )
        raise FieldError("latitude", message, hint, **values)
    raise FieldError(
        "latitude",
        N_(
            "the point {latitude}, {longitude} lies in {found_name} ({found}), "
            "not in {country_name} ({country})"
        ),
        hint,
        found=found,
        found_name=places.name(found),
        **values,
    )


def check_country(country: str) -> str:
    code = country.strip().upper()
    if code not in atlas().countries:
        raise FieldError(
            "country",
            N_("unknown country code “{value}”"),
            N_("use ISO 3166-1 alpha-2, e.g. UA"),
            value=plain(country),
        )
    return code


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty for 'the same town'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


_BRACKETED = re.compile(r"\[[^\]]*\]")


def name_key(*names: str) -> str:
    """Every spelling of every name; bracketed notes such as "[SYNTHETIC]" are not the name."""
    cleaned = (_BRACKETED.sub(" ", name).strip() for name in names)
    return " | ".join(search_key(name, None) for name in cleaned if name)


def _similarity(key_a: str, key_b: str) -> float:
    spellings_a = [s for s in key_a.split(" | ") if s]
    spellings_b = [s for s in key_b.split(" | ") if s]
    return max((fuzz.token_set_ratio(a, b) for a in spellings_a for b in spellings_b), default=0.0)


@dataclass(frozen=True, slots=True)
class Place:
    name_key: str
    country: str
    settlement: str | None
    latitude: float | None
    longitude: float | None


def likely_duplicates(session: Session, place: Place, exclude: int | None = None) -> list[Facility]:
    """Registered facilities in the same place whose names are spelt alike in some script."""
    candidates = session.scalars(
        select(Facility).where(Facility.country == place.country, Facility.id != (exclude or 0))
    )
    found = []
    for facility in candidates:
        if not _same_place(place, facility):
            continue
        if _similarity(place.name_key, facility.name_key) >= DUPLICATE_SIMILARITY:
            found.append(facility)
    return found


def _same_place(place: Place, facility: Facility) -> bool:
    if (
        place.latitude is not None
        and place.longitude is not None
        and facility.latitude is not None
        and facility.longitude is not None
    ):
        km = distance_km(place.latitude, place.longitude, facility.latitude, facility.longitude)
        return km <= DUPLICATE_KM
    if place.settlement and facility.settlement:
        return _similarity(name_key(place.settlement), name_key(facility.settlement)) >= 85
    return False
