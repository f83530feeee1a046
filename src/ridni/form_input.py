"""Values typed into forms and API bodies, read defensively.

A name pasted from a PDF or a messenger can carry control characters (NUL, vertical tab, …)
that no one meant to type: spreadsheets refuse them, HTTP headers break on them, and they
make a name that looks the same compare different. They are dropped where text comes in.
A version or day number typed as twenty digits is not a number the database can hold.
"""

from __future__ import annotations

import unicodedata

MAX_VERSION = 2**53  # far above any real edit count, well inside a 64-bit column


def without_controls(text: str, *, lines: bool = False) -> str:
    """``text`` without control characters; tabs become spaces, line breaks are kept when
    ``lines`` (a text area) and become spaces otherwise."""
    kept = []
    for char in text.replace("\r\n", "\n"):
        if char == "\n" and lines:
            kept.append(char)
        elif char in "\t\n\r\v\f":
            kept.append(" ")
        elif unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept)


def version_number(text: str) -> int | None:
    """A form's hidden version field as a number, or None when it is not one we wrote."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_VERSION else None
