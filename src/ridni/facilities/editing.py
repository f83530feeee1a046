"""Editing a registered facility: the checks of registering, every changed field logged, a stale
edit refused (nothing merged, nothing overwritten) — as for cases (ridni.cases.editing)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ridni.cases.editing import as_text
from ridni.errors import RidniError
from ridni.facilities.models import Facility, FacilityActivity, FacilityChange, FacilityName
from ridni.facilities.schemas import FacilityIn, OtherName
from ridni.facilities.service import Checked, check_input, get_facility
from ridni.i18n import N_


class StaleFacilityEdit(RidniError):
    """Someone changed the facility after the editor opened it; nothing of this edit was saved."""

    exit_code = 6

    def __init__(self, facility_id: int, based_on: int, changes: list[FacilityChange]) -> None:
        super().__init__(
            N_("facility {facility_id} was changed by someone else since version {based_on}"),
            N_("review their changes, then make yours again"),
            facility_id=facility_id,
            based_on=based_on,
        )
        self.changes = changes


def _names(names: list[OtherName]) -> str | None:
    return "; ".join(f"{n.name} [{n.language}]" if n.language else n.name for n in names) or None


# How each editable field reads in the history: from the input, and from the saved facility.
FIELDS: dict[str, tuple[Callable[[FacilityIn, Checked], object], Callable[[Facility], object]]] = {
    "name": (lambda d, c: d.name.strip(), lambda f: f.name),
    "other_names": (
        lambda d, c: _names(d.other_names),
        lambda f: _names(
            [OtherName.model_construct(name=n.name, language=n.language) for n in f.other_names]
        ),
    ),
    "kind": (lambda d, c: d.kind, lambda f: f.kind),
    "country": (lambda d, c: c.country, lambda f: f.country),
    "latitude": (lambda d, c: d.latitude, lambda f: f.latitude),
    "longitude": (lambda d, c: d.longitude, lambda f: f.longitude),
    "settlement": (lambda d, c: d.settlement, lambda f: f.settlement),
    "territory": (lambda d, c: d.territory, lambda f: f.territory),
    "occupied_territory": (lambda d, c: d.occupied_territory, lambda f: f.occupied_territory),
    "activities": (
        lambda d, c: "; ".join(sorted({a.value for a in d.activities})),
        lambda f: "; ".join(a.value for a in f.activity_values),
    ),
    "government_level": (lambda d, c: d.government_level, lambda f: f.government_level),
    "operator_actor_id": (
        lambda d, c: c.operator.id if c.operator else None,
        lambda f: f.operator_actor_id,
    ),
    "active_from": (lambda d, c: c.active_from, lambda f: f.active_from),
    "active_to": (lambda d, c: c.active_to, lambda f: f.active_to),
    "min_children": (lambda d, c: d.min_children, lambda f: f.min_children),
    "confidence": (lambda d, c: d.confidence, lambda f: f.confidence),
    "source_ids": (
        lambda d, c: "; ".join(f"#{s.id}" for s in sorted(c.sources, key=lambda s: s.id)),
        lambda f: "; ".join(f"#{s.id}" for s in sorted(f.sources, key=lambda s: s.id)),
    ),
    "notes": (lambda d, c: d.notes.strip(), lambda f: f.notes.strip()),
}


def as_input(facility: Facility) -> FacilityIn:
    """The facility as it stands, in the shape an edit changes. Not validated again: a facility
    saved before a rule existed (an empty name) must still open in its edit form to be repaired;
    the edit itself is validated."""
    return FacilityIn.model_construct(
        name=facility.name,
        kind=facility.kind,
        country=facility.country,
        latitude=facility.latitude,
        longitude=facility.longitude,
        settlement=facility.settlement,
        territory=facility.territory,
        occupied_territory=facility.occupied_territory,
        government_level=facility.government_level,
        operator_actor_id=facility.operator_actor_id,
        active_from=facility.active_from.iso() if facility.active_from else None,
        active_to=facility.active_to.iso() if facility.active_to else None,
        min_children=facility.min_children,
        confidence=facility.confidence,
        activities=facility.activity_values,
        other_names=[
            OtherName.model_construct(name=n.name, language=n.language)
            for n in facility.other_names
        ],
        source_ids=sorted(s.id for s in facility.sources),
        notes=facility.notes,
        confirm_not_duplicate=False,
    )


def changes_since(session: Session, facility_id: int, version: int) -> list[FacilityChange]:
    return list(
        session.scalars(
            select(FacilityChange)
            .where(FacilityChange.facility_id == facility_id, FacilityChange.version > version)
            .order_by(FacilityChange.id)
        )
    )


def history(session: Session, facility_id: int) -> list[FacilityChange]:
    return list(
        session.scalars(
            select(FacilityChange)
            .where(FacilityChange.facility_id == facility_id)
            .order_by(FacilityChange.id)
        )
    )


def edit_facility(
    session: Session,
    facility_id: int,
    data: FacilityIn,
    *,
    based_on_version: int,
    user_id: int | None,
    reason: str = "",
) -> list[FacilityChange]:
    """Make the facility say ``data`` if nobody changed it since ``based_on_version``."""
    facility = get_facility(session, facility_id)
    if facility.version != based_on_version:
        raise StaleFacilityEdit(
            facility.id, based_on_version, changes_since(session, facility.id, based_on_version)
        )
    # Only a new name or place can make it look like another facility: an edit of its notes is
    # not held up by a near-duplicate someone already confirmed to be a different place.
    moved = _place(data) != _place(as_input(facility))
    checked = check_input(session, data, exclude=facility.id, duplicates=moved)
    old = {name: as_text(read(facility)) for name, (_new, read) in FIELDS.items()}
    new = {name: as_text(make(data, checked)) for name, (make, _read) in FIELDS.items()}
    changed = [name for name in FIELDS if old[name] != new[name]]
    if not changed:
        return []
    version = _claim_version(session, facility, based_on_version)
    _apply(facility, data, checked)
    entries = [
        FacilityChange(
            facility_id=facility.id,
            field=name,
            version=version,
            old_value=old[name],
            new_value=new[name],
            user_id=user_id,
            reason=reason.strip(),
        )
        for name in changed
    ]
    session.add_all(entries)
    session.flush()
    return entries


def _place(data: FacilityIn) -> tuple[object, ...]:
    return (
        data.name.strip(),
        _names(data.other_names),
        data.country.strip().upper(),
        data.settlement or None,
        data.latitude,
        data.longitude,
    )


def _claim_version(session: Session, facility: Facility, based_on: int) -> int:
    """Move the version on in one conditional UPDATE: of two concurrent edits, one is stale."""
    claimed = session.execute(
        update(Facility)
        .where(Facility.id == facility.id, Facility.version == based_on)
        .values(version=based_on + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(facility)
        raise StaleFacilityEdit(
            facility.id, based_on, changes_since(session, facility.id, based_on)
        )
    session.expire(facility, ["version"])
    return based_on + 1


def _apply(facility: Facility, data: FacilityIn, checked: Checked) -> None:
    facility.name = data.name.strip()
    facility.kind = data.kind
    facility.country = checked.country
    facility.latitude = data.latitude
    facility.longitude = data.longitude
    facility.settlement = data.settlement or None
    facility.territory = data.territory or None
    facility.occupied_territory = data.occupied_territory
    facility.government_level = data.government_level
    facility.operator_actor_id = checked.operator.id if checked.operator else None
    facility.active_from = checked.active_from
    facility.active_to = checked.active_to
    facility.min_children = data.min_children
    facility.confidence = data.confidence
    facility.notes = data.notes.strip()
    facility.name_key = checked.name_key
    facility.sources = checked.sources
    # Rows that stay are kept (their keys are their values): only the difference is written.
    wanted = set(data.activities)
    facility.activities = [a for a in facility.activities if a.activity in wanted] + [
        FacilityActivity(activity=a)
        for a in sorted(wanted - {a.activity for a in facility.activities})
    ]
    names = [(n.name.strip(), n.language or None) for n in data.other_names]
    kept = [n for n in facility.other_names if (n.name, n.language) in names]
    have = {(n.name, n.language) for n in kept}
    facility.other_names = kept + [
        FacilityName(name=name, language=language)
        for name, language in dict.fromkeys(names)
        if (name, language) not in have
    ]
