"""A family's report as the JSON API takes it: JSON numbers and booleans, and the strings the
web form sends ("2012", "on") too; a value of the wrong type is refused by name. Which fields
are needed, and whether the values make sense together, is ``report_form``'s to check."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from ridni.tracing.report_form import RELATIONS


def _shown(value: object) -> str:
    """A refused JSON value as the client wrote it, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, int | float):
        return str(value)[:40]
    return "a list" if isinstance(value, list) else "an object"


def _refuse(kind: str, expected: str, value: object, info: ValidationInfo) -> PydanticCustomError:
    return PydanticCustomError(
        kind,
        "{field} must be {expected}, not {given}",
        {"field": info.field_name, "expected": expected, "given": _shown(value)},
    )


def _whole_number(value: object, info: ValidationInfo) -> int | None:
    """A JSON number (2012); a string of digits ("2012"), as the web form sends it, too."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit():
        # int() refuses thousands of digits; ten of them are already no date's part.
        return int((text.lstrip("0") or "0")[:10])
    raise _refuse("int_type", "a whole number such as 2012", value, info)


TRUE_WORDS = ("true", "on", "1", "yes")
FALSE_WORDS = ("false", "off", "0", "no", "")


def _consent(value: object, info: ValidationInfo) -> bool:
    """A JSON boolean; the web form's "on" (and "true", "1", "yes", or "" for no) too."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise _refuse("bool_type", "true or false", value, info)


def _text(value: object, info: ValidationInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # JSON may escape half of a UTF-16 pair ("\ud800"): no character, and no text that
        # can be hashed or stored. Refused as pydantic's own str fields refuse it.
        if any("\ud800" <= char <= "\udfff" for char in value):
            raise PydanticCustomError(
                "string_unicode",
                "{field} must be Unicode text: it holds half of a character (a lone \\u{code})",
                {"field": info.field_name, "code": _surrogate(value)},
            )
        return value
    raise _refuse("string_type", "text (a JSON string)", value, info)


def _surrogate(value: str) -> str:
    return next(f"{ord(c):04x}" for c in value if "\ud800" <= c <= "\udfff")


Text = Annotated[str, BeforeValidator(_text)]
DatePart = Annotated[int | None, BeforeValidator(_whole_number)]
Consent = Annotated[bool, BeforeValidator(_consent)]


class TracingRequestIn(BaseModel):
    """A family's report, as the public form asks it. Which fields are needed, and whether the
    values make sense together (a real date, not in the future), is checked after the types,
    with one message per field."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "given_name": "Олександр",
                "family_name": "Шевченко",
                "birth_year": 2012,
                "birth_month": 3,
                "inquirer_name": "Марія Шевченко",
                "inquirer_relation": "mother",
                "inquirer_contact": "+380 00 000 0000",
                "consent_tracing": True,
                "consent_share": True,
            }
        }
    )

    given_name: Text = Field(default="", description="Needed.")
    family_name: Text = Field(default="", description="Needed.")
    patronymic: Text = ""
    sex: Text = Field(default="", description="M, F, or empty when not known.")
    birth_year: DatePart = Field(default=None, description="Needed: a number, e.g. 2012.")
    birth_month: DatePart = Field(default=None, description="1–12, or empty.")
    birth_day: DatePart = Field(default=None, description="1–31 (needs the month), or empty.")
    birth_place: Text = ""
    residence: Text = ""
    taken_from: Text = ""
    taken_year: DatePart = None
    taken_month: DatePart = None
    taken_day: DatePart = None
    circumstances: Text = ""
    accompanied_by: Text = ""
    last_known_location: Text = ""
    distinguishing_marks: Text = ""
    inquirer_name: Text = Field(default="", description="Needed: who asks.")
    inquirer_relation: Text = Field(default="", description="Needed: " + ", ".join(RELATIONS))
    inquirer_contact: Text = Field(default="", description="Needed: phone or e-mail.")
    consent_tracing: Consent = Field(default=False, description="Needed: true.")
    consent_share: Consent = Field(
        default=False, description="true: other organisations may see the request."
    )

    def form_values(self) -> dict[str, str]:
        """The values as the web form sends them, for the validation both share."""
        values: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, bool):
                values[name] = "on" if value else ""
            else:
                values[name] = "" if value is None else str(value)
        return values
