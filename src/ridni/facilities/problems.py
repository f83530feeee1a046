"""Refusals that name the form field they concern: facility, evidence, claim and actor forms.

A service raises :class:`FieldError`, an ``InputError`` whose message is an ``N_`` template
filled with its values (as ``ridni.errors`` describes): the command line and the API keep the
English line, a page shows the message in the reader's language beside the field. A form's
pydantic refusals become the same messages (:meth:`FormLabels.refusal`), never pydantic's
English, and a value someone typed is echoed as plain text (:func:`plain`), never as a repr.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ridni.errors import InputError, RidniError
from ridni.form_input import without_controls
from ridni.i18n import N_, gettext_
from ridni.ids import MAX_ID
from ridni.messages import error_text

NEEDED = N_("This is needed.")
NOT_A_NUMBER = N_("“{value}” is not a number")
# What each pydantic refusal says on a page, by its type; the values come from its context.
_NOTES = {
    "missing": NEEDED,
    "string_too_long": N_("Write at most {max_length} characters."),
    "string_too_short": N_("Write at least {min_length} characters."),
    "too_long": N_("Give at most {max_length} entries."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "greater_than_equal": N_("Give a number of at least {ge}."),
    "less_than_equal": N_("Give a number of at most {le}."),
    "int_parsing": N_("Give a whole number."),
    "int_from_float": N_("Give a whole number."),
    "int_type": N_("Give a whole number."),
    "float_parsing": N_("Give a number."),
    "float_type": N_("Give a number."),
}
MAX_ECHO = 60


class FieldError(InputError):
    """A value refused because of one form field (``field``, the name the form sends)."""

    def __init__(self, field: str, message: str, hint: str | None = None, **values: object) -> None:
        super().__init__(message, hint, **values)
        self.field = field


def on_field(name: str, exc: RidniError) -> FieldError:
    """The same refusal, naming the field it concerns (a date ``parse_optional`` refused)."""
    return FieldError(name, exc.template, exc.hint_template, **exc.values)


def plain(value: object) -> str:
    """A typed value as a message may echo it: without control or invisible characters (a
    right-to-left override would turn the sentence around), and short."""
    text = without_controls(str(value), invisible=True)
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


def _field_error(name: str, error: Any) -> FieldError:
    kind = error["type"]
    limits = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | float)}
    if kind == "missing" or error.get("input") is None:
        return FieldError(name, NEEDED)
    if kind == "string_too_short" and limits.get("min_length") == 1:
        return FieldError(name, NEEDED)
    return FieldError(name, _NOTES.get(kind, N_("This value cannot be used.")), None, **limits)


@dataclass(frozen=True, slots=True)
class FormLabels:
    """A form's field labels (``N_``, as the page shows them), which form field shows each
    model field (``fields``), and messages a field says instead of the generic ones (``notes``)."""

    labels: Mapping[str, str]
    fields: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    def field_errors(self, exc: ValidationError) -> list[FieldError]:
        found: dict[str, FieldError] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            name = self.fields.get(name, name)
            if name in self.notes:
                found.setdefault(name, FieldError(name, self.notes[name]))
            found.setdefault(name, _field_error(name, error))
        return list(found.values())

    def refusal(self, exc: ValidationError | RidniError) -> tuple[dict[str, str], str]:
        """What a page shows: a message per field in the reader's language, and one line for
        the top of the form that names each field by its label ("Name: This is needed.")."""
        if isinstance(exc, ValidationError):
            problems = self.field_errors(exc)
        elif isinstance(exc, FieldError):
            name = self.fields.get(exc.field, exc.field)
            problems = [FieldError(name, exc.template, exc.hint_template, **exc.values)]
        else:
            return {}, error_text(exc)
        errors = {p.field: error_text(p) for p in problems}
        line = " ".join(f"{self.label(name)}: {text}" for name, text in errors.items())
        return errors, line

    def label(self, name: str) -> str:
        return gettext_(self.labels[name]) if name in self.labels else name


# A number as people write one: a sign, digits, one decimal point or comma ("44,95"). Not all
# that float() takes: "NaN" and "1e309" (infinite) were refused as "latitude nan is outside
# −90…90", and a count of "1e-400" children was saved as 0, "1_000" as 1000.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def read_number(text: str, name: str) -> float | None:
    """A number typed in a form field ("44,95" too); empty means not given."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise FieldError(name, NOT_A_NUMBER, value=plain(text))
    return float(text.replace(",", "."))


def read_id(text: str, name: str) -> int | None:
    """A record's number typed in a form field; empty means not given."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise FieldError(name, NOT_A_NUMBER, value=plain(text))
    if int(text) > MAX_ID:  # no record has it, and PostgreSQL refuses to look it up
        raise FieldError(name, _NOTES["less_than_equal"], le=MAX_ID)
    return int(text)
