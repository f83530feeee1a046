"""Words for a facility's change history, translated at render time."""

from __future__ import annotations

from ridni.facilities.problems import FormLabels
from ridni.i18n import N_, gettext_
from ridni.labels import label

FIELDS = {
    "name": N_("Name"),
    "other_names": N_("Other names"),
    "kind": N_("Type"),
    "country": N_("Country"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "settlement": N_("Settlement"),
    "territory": N_("Territory or region"),
    "occupied_territory": N_("In occupied Ukraine"),
    "activities": N_("Activities"),
    "government_level": N_("Level of government"),
    "operator_actor_id": N_("Operator"),
    "active_from": N_("Active from"),
    "active_to": N_("Active to"),
    "min_children": N_("Children documented (at least)"),
    "confidence": N_("Confidence"),
    "source_ids": N_("Sources"),
    "notes": N_("Notes"),
    "merged": N_("Merged with a duplicate"),
}
_ENUMS = ("kind", "government_level", "confidence")


def facility_field_label(name: str) -> str:
    return gettext_(FIELDS[name]) if name in FIELDS else name


def shown(field: str, value: str | None) -> str:
    """A history value as people read it: labels for types, activities and yes/no."""
    if value is None:
        return "—"
    if field in _ENUMS:
        return label(value)
    if field == "activities":
        return "; ".join(label(part) for part in value.split("; "))
    if field == "occupied_territory":
        return gettext_("yes") if value == "yes" else gettext_("no")
    return value


# The registration and edit forms: their labels, and what a country refusal says.
FORM = FormLabels(
    labels={
        **FIELDS,
        "activity": FIELDS["activities"],
        "other_name": N_("Another name (other language or script)"),
        "reason": N_("Why (which source says so)"),
    },
    fields={"activities": "activity"},
    notes={"country": N_("Give the two-letter country code, e.g. UA.")},
)
