"""Words for the statistics: column and breakdown names, row labels, plain definitions."""

from __future__ import annotations

from ridni.i18n import N_, gettext_
from ridni.labels import label
from ridni.stats.counts import NOT_RECORDED
from ridni.stats.publication import Breakdown, Row

COLUMN_LABELS = {
    "reported": N_("Reported, not yet verified"),
    "verified_missing": N_("Verified, still missing"),
    "located": N_("Located"),
    "returned": N_("Returned"),
    "deceased": N_("Deceased"),
    "children": N_("Children"),
    "total": N_("Total"),
}
BREAKDOWN_TITLES = {
    "origin_oblast": N_("By oblast of origin"),
    "destination": N_("By destination: country and region of the last known facility"),
    "facility_type": N_("By type of the last known facility"),
    "age_band": N_("By age today (years)"),
    "month_taken": N_("Children taken, by month"),
    "month_returned": N_("Children returned, by month"),
}
FIELD_LABELS = {
    "oblast": N_("Oblast of origin"),
    "country": N_("Country"),
    "region": N_("Region"),
    "facility_type": N_("Facility type"),
    "age_band": N_("Age"),
    "month": N_("Month"),
}
COUNTRIES = {
    "UA-occupied": N_("Occupied territory of Ukraine"),
    "UA": N_("Ukraine"),
    "RU": N_("Russia"),
    "BY": N_("Belarus"),
}
# Plain definitions, shown beside the figures (the public deserves to know why they differ).
DEFINITIONS = {
    "reported": N_(
        "Every child reported to the organisations using Ridni as deported or forcibly "
        "transferred: by families, witnesses, state lists or researchers. Reports found to "
        "describe the same child are counted once."
    ),
    "verified": N_(
        "Reports confirmed by a second, independent source or by a caseworker, including every "
        "child since located or returned. A report that is not yet verified is not false: it "
        "is waiting for a second source."
    ),
    "missing": N_("Reported or verified, but where the child is now is not known."),
    "located": N_(
        "Where the child is, is known (a facility, a family, a list), and the return is not "
        "yet complete."
    ),
    "returned": N_("Back in Ukraine: returned, or already reunited with their family."),
    "deceased": N_("Reported dead by a source a caseworker accepted."),
}


def country_label(code: str) -> str:
    return gettext_(COUNTRIES[code]) if code in COUNTRIES else code


def row_label(breakdown: Breakdown, row: Row) -> str:
    """A row key in words: "Russia — Rostov oblast", "Camp or sanatorium", "Not recorded"."""
    if not any(row.parts.values()):
        return gettext_("Not recorded")
    if breakdown.key == "destination":
        country = country_label(row.parts["country"])
        region = row.parts.get("region", "")
        return f"{country} — {region}" if region else country
    if breakdown.key == "facility_type":
        return label(row.parts["facility_type"])
    if breakdown.key == "age_band" and row.parts["age_band"] == "18+":
        return gettext_("18 or older")
    return next(iter(row.parts.values())) or NOT_RECORDED
