"""The fields of a tracing report and their validation, shared by the public form and the API.

The fields follow what Ukraine's information bureau asks of families. Messages are English
source strings marked for translation; the web layer shows them next to the field in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ridni.cases.models import Sex
from ridni.form_input import without_controls
from ridni.partial_date import MAX_YEAR, MIN_YEAR, PartialDate

MAX_NAME = 200
MAX_TEXT = 2000
MAX_PLACE = 300
EARLIEST_BIRTH_YEAR = 1990

RELATIONS = (
    "mother",
    "father",
    "grandparent",
    "sibling",
    "other_relative",
    "guardian",
    "witness",
    "other",
)
NAME_FIELDS = ("given_name", "family_name", "patronymic")
MULTILINE = ("circumstances", "distinguishing_marks")
TEXT_LIMITS = {
    "given_name": MAX_NAME,
    "family_name": MAX_NAME,
    "patronymic": MAX_NAME,
    "birth_place": MAX_PLACE,
    "residence": MAX_PLACE,
    "taken_from": MAX_PLACE,
    "accompanied_by": MAX_PLACE,
    "last_known_location": MAX_PLACE,
    "circumstances": MAX_TEXT,
    "distinguishing_marks": MAX_TEXT,
    "inquirer_name": MAX_NAME,
    "inquirer_contact": MAX_PLACE,
}


def N_(message: str) -> str:
    return message


@dataclass
class Report:
    """A validated report: one sought child and the person asking."""

    given_name: str
    family_name: str
    patronymic: str
    sex: Sex | None
    birth_date: PartialDate
    birth_place: str
    residence: str
    taken_from: str
    taken_on: PartialDate | None
    circumstances: str
    accompanied_by: str
    last_known_location: str
    distinguishing_marks: str
    inquirer_name: str
    inquirer_relation: str
    inquirer_contact: str
    consent_tracing: bool
    consent_share: bool


@dataclass
class Validation:
    report: Report | None
    errors: dict[str, str] = field(default_factory=dict)


def read_date(
    values: Mapping[str, str], prefix: str, errors: dict[str, str], *, required: bool
) -> PartialDate | None:
    parts = [values.get(f"{prefix}_{p}", "").strip() for p in ("year", "month", "day")]
    year, month, day = parts
    if not any(parts):
        if required:
            errors[f"{prefix}_year"] = N_("Give at least the year.")
        return None
    if not year:
        errors[f"{prefix}_year"] = N_("Give the year as well.")
        return None
    if day and not month:
        errors[f"{prefix}_month"] = N_("A day needs its month.")
        return None
    if not all(p.isascii() and p.isdigit() for p in parts if p):
        errors[f"{prefix}_year"] = N_("Use digits for day, month and year.")
        return None
    if len(year) > 4 or not MIN_YEAR <= int(year) <= MAX_YEAR:
        # A year of two digits ("12") or outside MIN_YEAR..MAX_YEAR (the message says them)
        # was "This date does not exist.", under the day when one was given.
        errors[f"{prefix}_year"] = N_("Give the year in full, between 1900 and 2100.")
        return None
    try:
        if len(month) > 2 or len(day) > 2:
            raise ValueError("too many digits")
        value = PartialDate.of(int(year), int(month) if month else None, int(day) if day else None)
    except (ValueError, OverflowError):
        errors[f"{prefix}_day" if day else f"{prefix}_month"] = N_("This date does not exist.")
        return None
    if value.value > date.today():
        errors[f"{prefix}_year"] = N_("This date is in the future.")
        return None
    return value


def validate(values: Mapping[str, str]) -> Validation:
    """Check raw form values; return a report, or a message per field that is wrong."""
    errors: dict[str, str] = {}
    text = {
        name: without_controls(values.get(name, ""), lines=name in MULTILINE).strip()
        for name in TEXT_LIMITS
    }
    for name, limit in TEXT_LIMITS.items():
        if len(text[name]) > limit:
            errors[name] = N_("This is too long.")
    for name in ("given_name", "family_name", "inquirer_name", "inquirer_contact"):
        if not text[name]:
            errors[name] = N_("This is needed.")
    for name in NAME_FIELDS:
        if text[name] and not any(char.isalpha() for char in text[name]):
            errors[name] = N_("A name needs letters.")
    sex_text = values.get("sex", "").strip()
    if sex_text not in ("", "M", "F"):
        errors["sex"] = N_("Choose one of the options.")
    relation = values.get("inquirer_relation", "").strip()
    if relation not in RELATIONS:
        errors["inquirer_relation"] = N_("Choose one of the options.")
    birth = read_date(values, "birth", errors, required=True)
    if birth is not None and birth.year < EARLIEST_BIRTH_YEAR:
        errors["birth_year"] = N_("Ridni traces children: the year seems too early.")
    taken = read_date(values, "taken", errors, required=False)
    if birth is not None and taken is not None and taken.value < birth.value:
        errors["taken_year"] = N_("The child was taken before being born: check both dates.")
    consent_tracing = values.get("consent_tracing") in ("on", "true", "1", "yes")
    if not consent_tracing:
        errors["consent_tracing"] = N_("We can only search with your consent.")
    if errors or birth is None:
        return Validation(None, errors)
    report = Report(
        given_name=text["given_name"],
        family_name=text["family_name"],
        patronymic=text["patronymic"],
        sex=Sex(sex_text) if sex_text else None,
        birth_date=birth,
        birth_place=text["birth_place"],
        residence=text["residence"],
        taken_from=text["taken_from"],
        taken_on=taken,
        circumstances=text["circumstances"],
        accompanied_by=text["accompanied_by"],
        last_known_location=text["last_known_location"],
        distinguishing_marks=text["distinguishing_marks"],
        inquirer_name=text["inquirer_name"],
        inquirer_relation=relation,
        inquirer_contact=text["inquirer_contact"],
        consent_tracing=consent_tracing,
        consent_share=values.get("consent_share") in ("on", "true", "1", "yes"),
    )
    return Validation(report)
