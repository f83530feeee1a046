"""The engine's agreement levels in plain English words, for people rather than Splink.

Each comparison level has a name (``ridni.linkage.fields``) that Splink's charts and the model
file use, and some of those names carry column names (``place_id/place_sk missing``,
``given_sk similar (Jaro-Winkler ≥ 0.92)``). ``ridni link``'s explanation columns write these
words instead; the web app translates the same words (``ridni.tracing.level_labels``), so the
strings are marked with ``N_`` for the message catalog. A name neither table knows (a model
from another version) is read by its pattern or else given as it is.
"""

from __future__ import annotations

import re


def N_(text: str) -> str:
    """Marks ``text`` for the message catalog (the web app translates it); returns it as is."""
    return text


MISSING = N_("not known in one of the records")
SIMILAR = N_("similar spelling")
NEARBY = N_("places within %(km)s km of each other")

# Level names that read the same whatever the field.
LEVELS: dict[str, str] = {
    "given_key missing": MISSING,
    "family_key/family_initial missing": MISSING,
    "patronymic_key missing": MISSING,
    "birth_year missing": MISSING,
    "place_id/place_sk missing": MISSING,
    "sex missing": MISSING,
    # Names
    "same given name": N_("same given name (in any language or script)"),
    "given and family names swapped": N_("given name and surname swapped"),
    "one typo apart": N_("differs by one letter"),
    "given_sk similar (Jaro-Winkler ≥ 0.92)": N_("very similar spelling"),
    "given_sk similar (Jaro-Winkler ≥ 0.8)": N_("somewhat similar spelling"),
    "same surname": N_("same surname (in any script)"),
    "same surname in another gender form": N_("same surname in its male or female form"),
    "one part of a double surname agrees": N_("one part of a double surname is the same"),
    "family_key similar (Jaro-Winkler ≥ 0.92)": N_("very similar spelling"),
    "family_key similar (Jaro-Winkler ≥ 0.84)": N_("somewhat similar spelling"),
    "surname initial only, agrees": N_("only the surname's initial is known, and it is the same"),
    "surname initial only, differs": N_("only the surname's initial is known, and it differs"),
    "same patronymic": N_("same patronymic (in any language or script)"),
    "patronymic_key similar (Jaro-Winkler ≥ 0.9)": SIMILAR,
    # Birth date
    "same day": N_("same date"),
    "day and month swapped": N_("day and month swapped"),
    "within 3 days": N_("at most 3 days apart"),
    "one digit of the day or month mistyped": N_("one digit of the day or month differs"),
    "same month, one side without a day": N_("same month and year; one record has no day"),
    "same year, one side year only": N_("same year; one record gives only the year"),
    "same year, other month or day": N_("same year, another month or day"),
    "same day and month, another year": N_("same day and month, another year"),
    "a year apart": N_("one year apart"),
    # Birth place and sex
    "same place": N_("same place (under any of its names)"),
    "place_sk similar (Jaro-Winkler ≥ 0.9)": N_("similarly spelled place name"),
    "same sex": N_("same sex"),
}

# The last level of every comparison ("all other comparisons") means the values differ.
DIFFERENT: dict[str, str] = {
    "given_name": N_("different given name"),
    "family_name": N_("different surname"),
    "patronymic": N_("different patronymic"),
    "birth_date": N_("different date"),
    "birth_place": N_("different place"),
    "sex": N_("different sex"),
}
OTHER = "all other comparisons"

_WITHIN = re.compile(r"birth places within (\d+(?:\.\d+)?) km")
_SIMILAR = re.compile(r"\S+ similar \(Jaro-Winkler ≥ [\d.]+\)")
_MISSING = re.compile(r"\S+ missing")


def level_words(field: str, level: str) -> tuple[str, dict[str, str]]:
    """The words for level ``level`` of the comparison ``field``, as a message with its
    ``%(name)s`` values, so a caller can translate the message before filling it in."""
    if level == OTHER and field in DIFFERENT:
        return DIFFERENT[field], {}
    if level in LEVELS:
        return LEVELS[level], {}
    if within := _WITHIN.fullmatch(level):
        return NEARBY, {"km": within.group(1)}
    if _SIMILAR.fullmatch(level):
        return SIMILAR, {}
    if _MISSING.fullmatch(level):
        return MISSING, {}
    return level, {}


def plain_words(field: str, level: str) -> str:
    """:func:`level_words` in English, filled in."""
    message, values = level_words(field, level)
    return message % values if values else message
