"""The fields a list export may carry, and which of them are personal data.

A field is *personal* when it names the child or a place that can identify a family: the
same fields the case list hides from roles without ``names.read`` (analysts). Choosing one
makes the whole export personal: it needs ``names.read``, a reason, and an encrypted archive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ridni.errors import InputError, RidniError
from ridni.i18n import N_


@dataclass(frozen=True)
class ExportField:
    name: str  # the column header: stable, machine-readable
    label: str  # for people (translated at render time)
    personal: bool = False
    # What else must be looked up for this column: "organisation", "movement" or "records".
    needs: str = ""


FIELDS: dict[str, ExportField] = {
    field.name: field
    for field in (
        ExportField("id", N_("Case number")),
        ExportField("family_name", N_("Family name"), personal=True),
        ExportField("given_name", N_("Given name"), personal=True),
        ExportField("patronymic", N_("Patronymic"), personal=True),
        ExportField("sex", N_("Sex")),
        ExportField("birth_date", N_("Birth date (as precise as known)")),
        ExportField("birth_date_precision", N_("Birth date precision")),
        ExportField("birth_place", N_("Birth place"), personal=True),
        ExportField("origin_oblast", N_("Oblast of origin")),
        ExportField("status", N_("Status")),
        ExportField("russian_citizenship_imposed", N_("Russian citizenship imposed")),
        ExportField("adopted_or_guardianship_in_russia", N_("Adoption or guardianship in Russia")),
        ExportField("consent_tracing", N_("Consent to tracing")),
        ExportField("consent_share", N_("Consent to share with other organisations")),
        ExportField("organisation", N_("Organisation"), needs="organisation"),
        ExportField("last_facility", N_("Last known facility"), needs="movement"),
        ExportField(
            "last_facility_country", N_("Country of the last known facility"), needs="movement"
        ),
        ExportField("last_seen", N_("Date of the last recorded movement"), needs="movement"),
        ExportField("record_count", N_("Number of records"), needs="records"),
    )
}
# What the form ticks by default: enough for a return negotiation's list.
DEFAULT_FIELDS = (
    "id",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "origin_oblast",
    "status",
)


class UnknownField(InputError):
    """A field name the catalogue does not have (answered 422)."""


class FieldNotAllowed(RidniError):
    """A personal field asked for by a role that may not see names or places (answered 403)."""

    exit_code = 6


def choose_fields(names: Iterable[str], *, names_allowed: bool) -> list[ExportField]:
    """The chosen fields in the order given, each once; unknown or forbidden ones refused."""
    chosen: list[ExportField] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        field = FIELDS.get(name)
        if field is None:
            raise UnknownField(
                N_("unknown field {name!r}"),
                N_("known fields: {fields}"),
                name=name,
                fields=", ".join(FIELDS.keys()),
            )
        if field.personal and not names_allowed:
            raise FieldNotAllowed(
                N_("your role may not export names or places ({name})"),
                N_("choose fields without names or places: {fields}"),
                name=name,
                fields=", ".join(allowed_fields(False)),
            )
        if field not in chosen:
            chosen.append(field)
    if not chosen:
        raise UnknownField(N_("no field chosen"), N_("choose at least one field, e.g. id,status"))
    return chosen


def allowed_fields(names_allowed: bool) -> list[str]:
    return [name for name, field in FIELDS.items() if names_allowed or not field.personal]


def is_personal(fields: Iterable[ExportField]) -> bool:
    return any(field.personal for field in fields)
