"""Search keys that let a name typed in one script find records written in another.

``search_key`` folds a person's names into one lower-case string holding the original spelling,
its Russian rendering (Олександр → Александр) and Latin transliterations of both, so a plain
substring search for "Aleksandr Shevchenko" finds "Олександр Шевченко" and "Александр Шевченко".
The matching engine has richer keys; this one serves the case list's simple search.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from names_translator.dicts import default_dicts
from translitua import RussianInternationalPassport, UkrainianKMU, translit

from ridni.linkage.scripts import Script, detect_script

MAX_KEY_LENGTH = 600
_APOSTROPHES = re.compile(r"[’ʼ'`´‘ʹ]")
_SEPARATORS = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, collapse punctuation to single spaces."""
    text = _APOSTROPHES.sub("", text.casefold())
    decomposed = unicodedata.normalize("NFKD", text)
    # Keep й/ї/ё intact: their diacritics are letters of their own in Cyrillic.
    stripped = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) or unicodedata.name(char, "") == "COMBINING BREVE"
    )
    stripped = unicodedata.normalize("NFC", stripped)
    return _SEPARATORS.sub(" ", stripped).strip()


@lru_cache(maxsize=65536)
def name_variants(name: str, category: str) -> tuple[str, ...]:
    """Spellings of one name token across scripts, folded; the original comes first."""
    variants: list[str] = [name]
    script = detect_script(name)
    if script in (Script.ukrainian, Script.cyrillic, Script.mixed):
        variants.extend(default_dicts().lookup(name, category, limit=3))
        variants.append(translit(name, UkrainianKMU))
    if script is not Script.latin:
        for variant in list(variants):
            if detect_script(variant) is not Script.ukrainian:
                variants.append(translit(variant, RussianInternationalPassport))
    folded: list[str] = []
    for variant in variants:
        key = fold(variant)
        if key and key not in folded:
            folded.append(key)
    return tuple(folded)


def search_key(
    given_name: str | None, family_name: str | None, patronymic: str | None = None
) -> str:
    """One string holding every spelling of the names, for substring search."""
    parts: list[str] = []
    for name, category in (
        (given_name, "first"),
        (family_name, "last"),
        (patronymic, "patronymic"),
    ):
        if name and name.strip():
            parts.extend(name_variants(name.strip(), category))
    return " | ".join(parts)[:MAX_KEY_LENGTH]


def query_terms(query: str) -> list[str]:
    """The folded words of a search query, each to be found somewhere in a key."""
    return [term for term in fold(query).split(" ") if term]
