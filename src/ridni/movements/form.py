"""The movement form (case page and correction page): reading it, and its messages per field.

Like the tracing report and the case edit form, problems are kept per form field as English
source strings marked with ``N_``; the page translates them into the reader's language. Rules
that need the database or the child (a date in the future or before the birth, an unknown
facility) stay in ``service.check``, which names the field it refuses (``MovementFieldError``)
and also refuses an empty movement, whichever way it comes in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ridni.i18n import N_, gettext_
from ridni.ids import MAX_ID
from ridni.movements.enums import MAX_STEP
from ridni.movements.models import MovementKind
from ridni.movements.service import NOTHING_GIVEN_NOTE, MovementIn

FORM_FIELDS = ("kind", "on_date", "from_place", "facility", "to_place", "source", "after", "notes")
# The form's field for each input of ``MovementIn``; the others have the same name.
FORM_NAMES = {"facility_id": "facility", "source_id": "source", "after_step": "after"}
# The labels the form shows (movements/_fields.html), so a message names the field as seen.
LABELS = {
    "kind": N_("What happened"),
    "on_date": N_("Date (YYYY-MM-DD, YYYY-MM or YYYY)"),
    "from_place": N_("From (place)"),
    "facility": N_("To facility (name or number)"),
    "to_place": N_("Or to a place that is not a facility"),
    "source": N_("Source (title or number)"),
    "after": N_("Place in the chain"),
    "notes": N_("Notes"),
    "reason": N_("Why (required)"),
}
TEXT_LIMITS = {"from_place": 300, "to_place": 300, "notes": 5000}
MAX_DATE = 10
_REF = re.compile(r"#\s*([0-9]{1,18})\s*$|^\s*([0-9]{1,18})\s*$")


def _ref(text: str) -> int | None:
    """A facility or source chosen from the list ("Name #12") or given by number ("12");
    0 when the text is neither, or a number no record can have (past :data:`MAX_ID`)."""
    found = _REF.search(text)
    number = int(found.group(1) or found.group(2)) if found else 0
    return number if number <= MAX_ID else 0


def read_form(values: Mapping[str, str]) -> tuple[MovementIn | None, dict[str, str]]:
    """The form's movement, or a message per wrong field (``N_`` strings, keyed by form field).

    A movement with no date, no place and no facility is refused here already, with the other
    problems, so that the person sees them all at once (the rule and why:
    ``service.says_when_or_where``, which ``service.check`` applies to every way in).
    """
    errors: dict[str, str] = {}
    text = {name: values.get(name, "").strip() for name in FORM_FIELDS}
    kind = text["kind"]
    if kind not in {k.value for k in MovementKind}:
        errors["kind"] = N_("Choose one of the options.")
    if len(text["on_date"]) > MAX_DATE:
        errors["on_date"] = N_("Check the date: write it as YYYY-MM-DD, YYYY-MM or YYYY.")
    for name, limit in TEXT_LIMITS.items():
        if len(text[name]) > limit:
            errors[name] = N_("This is too long.")
    refs: dict[str, int | None] = {}
    for name in ("facility", "source"):
        refs[name] = _ref(text[name]) if text[name] else None
        if refs[name] == 0:
            errors[name] = N_("Choose it from the list, or give its number.")
    after = text["after"]
    if after and not (after.isascii() and after.isdigit() and int(after) <= MAX_STEP):
        errors["after"] = N_("Choose one of the options.")
    if not any(text[name] for name in ("on_date", "from_place", "facility", "to_place")):
        errors["on_date"] = NOTHING_GIVEN_NOTE
    if errors:
        return None, errors
    data = MovementIn(
        kind=MovementKind(kind),
        on_date=text["on_date"] or None,
        from_place=text["from_place"] or None,
        facility_id=refs["facility"],
        to_place=text["to_place"] or None,
        source_id=refs["source"],
        notes=text["notes"],
        after_step=int(after) if after else None,
    )
    return data, {}


def form_field(name: str) -> str:
    """The form field that shows a problem with this ``MovementIn`` input."""
    return FORM_NAMES.get(name, name)


def translated(errors: Mapping[str, str]) -> dict[str, str]:
    return {name: gettext_(note) for name, note in errors.items()}


def summary(errors: Mapping[str, str]) -> str:
    """One line naming each wrong field by its label, in the reader's language, in form order:
    "From (place): This is too long." """
    order = [*FORM_FIELDS, "reason"]
    ordered = sorted(errors, key=lambda name: order.index(name) if name in order else len(order))
    return " ".join(
        f"{gettext_(LABELS[name]) if name in LABELS else name}: {gettext_(errors[name])}"
        for name in ordered
    )
