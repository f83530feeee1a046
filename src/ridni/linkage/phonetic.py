"""A script-neutral skeleton of a name: every transliteration standard lands on one spelling.

Ukrainian and Russian Cyrillic and the Latin output of the passport, national, BGN, ISO 9,
German, French and scholarly standards are mapped to one small alphabet in which the letters the
standards disagree on collapse: г/ґ/х → h (Halahan, Galagan, Kharkiv), the vowels е/є/и/і/ї/й/ы
→ i (Україна's і and Russia's и and ы, Yevhen and Evgen), ш/ч/ж/щ keep symbols of their own in
whatever Latin digraph they arrive (sh, sch, š, ch, tsch, č, zh, ž, shch, ŝ). The skeleton is not
meant to be read; it is a key for blocking and for string similarity that ignores the standard.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic straight to the skeleton alphabet (S ш, C ч, Z ж, Q щ; c is ц).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "h", "д": "d", "е": "i", "є": "i", "ё": "i",
    "ж": "Z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "c", "ч": "C", "ш": "S", "щ": "Q", "ь": "", "ъ": "", "ы": "i", "э": "i", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# Latin letters with diacritics that scholarly standards use for one Cyrillic letter each.
_LATIN_MARKED = {
    "š": "S", "č": "C", "ž": "Z", "ŝ": "Q", "ĭ": "i", "ȳ": "i", "ê": "i", "ì": "i", "â": "ia",
    "û": "iu", "ë": "i", "ğ": "h", "ï": "i", "ć": "C", "ś": "S", "ź": "Z", "ż": "Z", "ł": "l",
    "é": "i", "è": "i", "ö": "io", "ü": "iu", "ä": "ia",
}  # fmt: skip
# Multi-letter Latin spellings, longest first so "shch" wins over "sh" and "ch".
_LATIN_DIGRAPHS = (
    ("schtsch", "Q"),
    ("shtch", "Q"),
    ("chtch", "Q"),
    ("szcz", "Q"),
    ("shch", "Q"),
    ("tsch", "C"),
    ("sch", "S"),
    ("shh", "Q"),
    ("tch", "C"),
    ("sh", "S"),
    ("ch", "C"),
    ("cz", "C"),
    ("sz", "S"),
    ("zh", "Z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("ph", "f"),
    ("ou", "u"),
)
_LATIN_SINGLE = str.maketrans(
    {"g": "h", "x": "ks", "w": "v", "q": "k", "y": "i", "j": "i", "e": "i"}
)
_DIGRAPH_PATTERN = re.compile("|".join(re.escape(d) for d, _ in _LATIN_DIGRAPHS))
_DIGRAPH_MAP = dict(_LATIN_DIGRAPHS)
_RUNS = re.compile(r"(.)\1+")
_DROPPED = re.compile(r"[^a-zA-Z]")


# French and German spell some letters the way English spells others: French "ch" is ш and
# "j" is ж; German "ch" is х, "sh" is ж and "z" is ц. One skeleton cannot serve all three, so
# a Latin word may also be read these ways, and the names module keeps the reading that gives
# a name it knows (see ridni.linkage.names).
_READINGS = (
    (
        ("chtch", "Q"), ("tch", "C"), ("ch", "S"), ("kh", "h"), ("zh", "Z"), ("sh", "S"),
        ("ts", "c"), ("ou", "u"), ("j", "Z"),
    ),
    (
        ("schtsch", "Q"), ("tsch", "C"), ("sch", "S"), ("ch", "h"), ("sh", "Z"), ("tz", "c"),
        ("z", "c"), ("w", "v"),
    ),
    (  # German again, where a single "s" is з (Nasar, Slata) rather than с
        ("schtsch", "Q"), ("tsch", "C"), ("sch", "S"), ("ch", "h"), ("sh", "Z"), ("tz", "c"),
        ("ss", "s"), ("z", "c"), ("s", "z"), ("w", "v"),
    ),
)  # fmt: skip
_AMBIGUOUS = re.compile(r"ch|j|sh|z|s")
_READING_PATTERNS = tuple(
    (re.compile("|".join(re.escape(d) for d, _ in table)), dict(table)) for table in _READINGS
)


@lru_cache(maxsize=65536)
def latin_readings(token: str) -> tuple[str, ...]:
    """Skeletons of a Latin word read as French, then as German spelling (two ways), some
    perhaps equal to its :func:`skeleton`; none when the word has nothing those readings
    change, or is not in Latin letters."""
    lowered = token.casefold()
    if not _AMBIGUOUS.search(lowered) or any(c in _CYRILLIC for c in lowered):
        return ()
    marked = "".join(_LATIN_MARKED.get(c, c) for c in lowered)
    readings = []
    for pattern, mapping in _READING_PATTERNS:
        parts, start = [], 0
        for match in pattern.finditer(marked):
            # The rest of the word is read as usual; the reading's own letters are final.
            parts += [_latin(marked[start : match.start()]), mapping[match.group(0)]]
            start = match.end()
        parts.append(_latin(marked[start:]))
        readings.append(_RUNS.sub(r"\1", _DROPPED.sub("", "".join(parts))).replace("tC", "C"))
    return tuple(readings)


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """The skeleton of one name token (any script); empty for a token with no letters."""
    lowered = token.casefold()
    out: list[str] = []
    latin: list[str] = []
    for char in lowered:
        mapped = _CYRILLIC.get(char)
        if mapped is not None:
            if latin:
                out.append(_latin("".join(latin)))
                latin = []
            out.append(mapped)
        else:
            latin.append(_LATIN_MARKED.get(char, char))
    if latin:
        out.append(_latin("".join(latin)))
    # Cyrillic тч (Кротченко) is what Latin "tch" spells in every standard (Krotchenko), and
    # French and German read "tch"/"tsch" as ч alone: one key for all of them.
    return _RUNS.sub(r"\1", _DROPPED.sub("", "".join(out))).replace("tC", "C")


def _latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    replaced = _DIGRAPH_PATTERN.sub(lambda m: _DIGRAPH_MAP[m.group(0)], plain)
    return replaced.translate(_LATIN_SINGLE)
