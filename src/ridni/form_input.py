"""Values typed into forms and API bodies, read defensively.

A name pasted from a PDF or a messenger can carry control characters (NUL, vertical tab, …)
that no one meant to type: spreadsheets refuse them, HTTP headers break on them, and they
make a name that looks the same compare different. They are dropped where text comes in.
A version or day number typed as twenty digits is not a number the database can hold.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import BeforeValidator

from ridni.ids import MAX_VERSION as MAX_VERSION  # forms read versions here; the CLI there

# Unicode categories dropped: controls and lone surrogates; for an echo also format,
# private-use and unassigned characters.
_CONTROLS = ("Cc", "Cs")
_INVISIBLE = ("Cc", "Cs", "Cf", "Co", "Cn")
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are format
# characters no name or note needs, and one pasted into a name turns the rest of its line
# around wherever it is shown (a list, a spreadsheet, a dossier, the terminal): dropped from
# kept text too. The marks U+200E/U+200F, which only say a direction, stay.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def without_controls(text: str, *, lines: bool = False, invisible: bool = False) -> str:
    """``text`` without control characters; tabs become spaces, line breaks are kept when
    ``lines`` (a text area) and become spaces otherwise.

    With ``invisible`` (a typed value echoed in a message, an uploaded file's name) the
    invisible characters go too: format characters (a right-to-left override would turn the
    sentence around, a zero-width space hides), private-use and unassigned ones; and every
    other kind of space or line break becomes a plain space. Without it format characters
    stay, but for the bidirectional overrides and isolates: a zero-width joiner is part of
    how some names are written, a right-to-left override never is."""
    dropped = _INVISIBLE if invisible else _CONTROLS
    kept = []
    for char in text.replace("\r\n", "\n"):
        if char == "\n" and lines:
            kept.append(char)
        elif char in "\t\n\r\v\f" or (invisible and char.isspace()):
            kept.append(" ")
        elif (
            unicodedata.category(char) not in dropped
            and char not in _BIDI_CONTROLS
            and not _noncharacter(char)
        ):
            kept.append(char)
    return "".join(kept)


def _noncharacter(char: str) -> bool:
    """U+FFFE, U+FFFF and the like: never text, and they make a spreadsheet's XML invalid."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def clean_text(text: str) -> str:
    """A one-line value (a name, a title) as kept: without control characters, trimmed, and
    empty when nothing visible is left (only spaces, zero-width or other invisible marks)."""
    cleaned = without_controls(text).strip()
    visible = any(unicodedata.category(char)[0] not in "ZC" for char in cleaned)
    return cleaned if visible else ""


def cleaned_value(value: object) -> object:
    """:func:`clean_text` for a pydantic ``BeforeValidator``: text cleaned, anything else left
    for the field's own type check. Put the field's length limits on an inner ``Annotated``
    so they report as usual (nothing visible left is ``string_too_short``)."""
    return clean_text(value) if isinstance(value, str) else value


# A pydantic field type: cleaned as above before its own length limits are checked.
CleanText = Annotated[str, BeforeValidator(cleaned_value)]


def optional_int(text: str, low: int, high: int) -> int | None:
    """A form's number within [low, high], or None for an empty or unusable value (also one
    of thousands of digits, which ``int`` itself refuses)."""
    usable = text.isascii() and text.isdigit() and len(text) <= len(str(high))
    return int(text) if usable and low <= int(text) <= high else None


def version_number(text: str) -> int | None:
    """A form's hidden version field as a number, or None when it is not one we wrote."""
    return optional_int(text.strip(), 1, MAX_VERSION)
