"""Words for the movement history, translated at render time."""

from __future__ import annotations

import json

from ridni.i18n import N_, gettext_
from ridni.labels import label

ACTIONS = {
    "recorded": N_("Recorded"),
    "corrected": N_("Corrected"),
    "withdrawn": N_("Withdrawn"),
}
FIELDS = {
    "kind": N_("Kind"),
    "on_date": N_("Date"),
    "from_place": N_("From"),
    "facility_id": N_("Facility"),
    "to_place": N_("To"),
    "source_id": N_("Source"),
    "notes": N_("Notes"),
}


def action_label(action: str) -> str:
    return gettext_(ACTIONS[action]) if action in ACTIONS else action


def movement_field_label(name: str | None) -> str:
    return gettext_(FIELDS[name]) if name and name in FIELDS else (name or "")


# Free text that may name a family's town: hidden from those who see no names or places.
PRIVATE = ("from_place", "to_place", "notes")


def described(value: str | None, field: str | None = None, names: bool = True) -> str:
    """A history value for people: a whole movement (recorded, withdrawn) reads as one line."""
    if not names and field in PRIVATE:
        return "·" if value else "—"
    if not value or not value.startswith("{"):
        return value or "—"
    try:
        fields = json.loads(value)
    except ValueError:
        return value
    parts = []
    for name, text in fields.items():
        if text and (names or name not in PRIVATE):
            shown = label(text) if name == "kind" else f"#{text}" if name.endswith("_id") else text
            parts.append(f"{movement_field_label(name)}: {shown}")
    return "; ".join(parts)
