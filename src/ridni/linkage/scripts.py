"""Which script (and, for Cyrillic, which language) a name is written in."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
RUSSIAN_ONLY = frozenset("ыэёъЫЭЁЪ")


class Script(StrEnum):
    ukrainian = "ukrainian"
    russian = "russian"
    cyrillic = "cyrillic"
    latin = "latin"
    mixed = "mixed"
    unknown = "unknown"


def detect_script(*texts: str | None) -> Script:
    """Classify the letters of ``texts`` taken together."""
    cyrillic = latin = False
    ukrainian = russian = False
    for text in texts:
        for char in text or "":
            if not char.isalpha():
                continue
            name = unicodedata.name(char, "")
            if name.startswith("CYRILLIC"):
                cyrillic = True
                ukrainian |= char in UKRAINIAN_ONLY
                russian |= char in RUSSIAN_ONLY
            elif name.startswith("LATIN"):
                latin = True
    if cyrillic and latin:
        return Script.mixed
    if latin:
        return Script.latin
    if not cyrillic:
        return Script.unknown
    if ukrainian and not russian:
        return Script.ukrainian
    if russian and not ukrainian:
        return Script.russian
    return Script.mixed if ukrainian else Script.cyrillic
