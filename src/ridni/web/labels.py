"""Human labels for the values of domain enums, translated at render time."""

from __future__ import annotations

from enum import StrEnum

from ridni.web.i18n import N_, gettext_

LABELS: dict[str, str] = {
    # Child status
    "reported": N_("Reported"),
    "verified": N_("Verified"),
    "located": N_("Located"),
    "return_in_progress": N_("Return in progress"),
    "returned": N_("Returned"),
    "reunited": N_("Reunited"),
    "deceased": N_("Deceased"),
    "closed_duplicate": N_("Closed (duplicate)"),
    # Sex
    "M": N_("Male"),
    "F": N_("Female"),
    # Record kinds
    "family_report": N_("Family report"),
    "camp_list": N_("Camp list"),
    "adoption_listing": N_("Adoption listing"),
    "return_list": N_("Return list"),
    "official_registry": N_("Official registry"),
    "media_report": N_("Media report"),
    "testimony": N_("Testimony"),
    "other": N_("Other"),
    # Scripts
    "ukrainian": N_("Ukrainian Cyrillic"),
    "russian": N_("Russian Cyrillic"),
    "cyrillic": N_("Cyrillic"),
    "latin": N_("Latin"),
    "mixed": N_("Mixed scripts"),
    "unknown": N_("Unknown"),
    # Movement kinds
    "taken": N_("Taken"),
    "transfer": N_("Moved to facility"),
    "placement": N_("Placed"),
    "adoption": N_("Adopted / guardianship"),
    "return": N_("Returned home"),
    # Precision
    "day": N_("exact day"),
    "month": N_("month and year only"),
    "year": N_("year only"),
}


def label(value: StrEnum | str | None) -> str:
    """The translated label of an enum value; unknown values are shown as they are."""
    if value is None:
        return "—"
    key = value.value if isinstance(value, StrEnum) else value
    return gettext_(LABELS[key]) if key in LABELS else key
