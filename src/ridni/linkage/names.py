"""Canonical keys for given names, surnames and patronymics in any script.

``skeleton`` (see :mod:`ridni.linkage.phonetic`) already makes every transliteration standard
agree. What it cannot see is that Олександр and Александр, Микола and Николай, Ганна and Анна
are the same name: for those we join names-translator's Ukrainian→Russian dictionaries into
equivalence classes of skeletons and use the class's representative as the key. A Latin
"Oleksandr" and a Cyrillic "Александр" thus both key to one value, in either direction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from names_translator.dicts import default_dicts

from ridni.linkage.phonetic import latin_readings, skeleton

# English and other exonyms people type for Ukrainian names; the dictionaries know only
# Cyrillic, and these are too far from any transliteration for the skeleton to bridge.
_EXONYMS = {
    "alexander": "Александр",
    "alexandra": "Александра",
    "oleksander": "Олександр",
    "olexander": "Олександр",
    "michael": "Михаил",
    "nicholas": "Николай",
    "nicolas": "Николай",
    "peter": "Петр",
    "paul": "Павел",
    "george": "Георгий",
    "helen": "Елена",
    "helena": "Елена",
    "catherine": "Екатерина",
    "katherine": "Екатерина",
    "eugene": "Евгений",
    "eugenia": "Евгения",
    "mary": "Мария",
    "sophia": "София",
    "sofia": "София",
    "daniel": "Данил",
    "andrew": "Андрей",
    "stephen": "Степан",
    "jacob": "Яков",
    "joseph": "Иосиф",
    "julia": "Юлия",
    "natalie": "Наталья",
    "victoria": "Виктория",
    "elizabeth": "Елизавета",
}
_PATRONYMIC_ENDING = re.compile(r"[io]+(viC|vna)$")
# Orthographic (not gender) differences of surname endings: Russian -ая/-ой, Ukrainian -а/-ий.
_SURNAME_ENDINGS = ((re.compile(r"aia$"), "a"), (re.compile(r"oi$"), "i"))
# Gender: -ський/-ська, -ов/-ова, -ін/-іна … share one stem.
_GENDER_ENDING = re.compile(r"(?<=[sckzvn])(?:a|i)$")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*")


class _Classes:
    """Union-find over skeletons, joined by dictionary translations."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: set[str] = set()

    def find(self, item: str) -> str:
        root = item
        while (up := self.parent.get(root, root)) != root:
            root = up
        while item != root:  # path compression keeps later look-ups flat
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        self.members.update((first, second))
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@cache
def _classes(category: str) -> _Classes:
    classes = _Classes()
    normalise = _patronymic_form if category == "patronymic" else _plain
    for ukrainian, russians in default_dicts().as_dict(category).items():
        base = normalise(skeleton(ukrainian))
        for russian in russians:
            classes.union(base, normalise(skeleton(russian)))
    if category == "first":
        for latin, cyrillic in _EXONYMS.items():
            classes.union(skeleton(latin), skeleton(cyrillic))
    return classes


def _plain(text: str) -> str:
    return text


@cache
def _surname_stems() -> frozenset[str]:
    """Gender-free stems of the Ukrainian surnames the dictionary knows: French and German
    spellings come from Ukrainian lists. (About a second, once, with names-translator's
    compiled dictionary reader.)"""
    return frozenset(
        surname_stem(_surname_form(skeleton(name))) for name in default_dicts().as_dict("last")
    )


def _read(word: str, known: Callable[[str], bool], readings_used: int = 3) -> str:
    """The word's skeleton; for a Latin word that is no known name as English-style
    spelling, its French or German reading when that one is (Chevtchenko, Charkiw)."""
    plain = skeleton(word)
    readings = latin_readings(word)[:readings_used]
    if not readings or known(plain):
        return plain
    return next((reading for reading in readings if known(reading)), plain)


def _known_given(text: str) -> bool:
    return text in _classes("first").members


def _known_patronymic(text: str) -> bool:
    return _patronymic_form(text) in _classes("patronymic").members


def _known_surname(text: str) -> bool:
    return surname_stem(_surname_form(text)) in _surname_stems()


def _read_surname(word: str) -> str:
    # Not German "s" as з: with an open set of surnames, a rare one (Дерегус, Derehus) too
    # often has a namesake in the dictionary one letter away (Дерегуз).
    return _read(word, _known_surname, readings_used=2)


def _patronymic_form(text: str) -> str:
    return _PATRONYMIC_ENDING.sub(r"\1", text)


def _surname_form(text: str) -> str:
    for pattern, replacement in _SURNAME_ENDINGS:
        text = pattern.sub(replacement, text)
    return text


def tokens(text: str) -> list[str]:
    """Name words: hyphens and spaces separate, apostrophes stay inside a word."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=131072)
def given_key(name: str) -> str:
    """One key for every spelling and language of a given name (first word only)."""
    words = tokens(name)
    if not words:
        return ""
    return _classes("first").find(_read(words[0], _known_given))


@lru_cache(maxsize=131072)
def patronymic_key(name: str) -> str:
    words = tokens(name)
    if not words:
        return ""
    return _classes("patronymic").find(_patronymic_form(_read(words[0], _known_patronymic)))


@lru_cache(maxsize=131072)
def surname_key(name: str) -> str:
    """Orthography-neutral surname key; keeps the gender form. Double surnames join."""
    return "".join(_surname_form(_read_surname(word)) for word in tokens(name))


def surname_stem(key: str) -> str:
    """The surname key without its gender ending (-ська/-ський, -ова/-ов share a stem)."""
    return _GENDER_ENDING.sub("", key) if len(key) > 3 else key


def is_initial(name: str) -> bool:
    """ "Ш.", "Sh.", "Ш" — a surname reduced to its first letter."""
    words = tokens(name)
    return len(words) == 1 and len(skeleton(words[0])) <= 1 and bool(words[0])


@dataclass(frozen=True, slots=True)
class NameKeys:
    given: str
    given_skeleton: str
    family: str  # empty when only an initial is known
    family_stem: str
    family_parts: tuple[str, ...]  # each word of a double surname
    family_initial: str
    patronymic: str
    family_as_given: str  # for records whose given and family names were swapped


@dataclass(frozen=True, slots=True)
class FamilyKeys:
    key: str  # empty when only an initial is known
    stem: str
    parts: tuple[str, ...]  # each word of a double surname
    initial: str
    as_given: str  # the surname read as a given name, for swapped names


@lru_cache(maxsize=262144)
def family_keys(family: str) -> FamilyKeys:
    words = tokens(family)
    initial_only = is_initial(family)
    key = "" if initial_only else surname_key(family)
    if not words:
        initial = ""
    elif initial_only:
        initial = skeleton(words[0])[:1]
    else:  # the first letter as read (Chevtchenko's is ш, as in Шевченко)
        initial = _read_surname(words[0])[:1]
    parts = tuple(surname_key(w) for w in words) if len(words) > 1 and not initial_only else ()
    return FamilyKeys(
        key, surname_stem(key), parts, initial, given_key(family) if not initial_only else ""
    )


def given_skeleton(given: str) -> str:
    words = tokens(given)
    return _read(words[0], _known_given) if words else ""


def name_keys(given: str, family: str, patronymic: str) -> NameKeys:
    surname = family_keys(family)
    return NameKeys(
        given=given_key(given),
        given_skeleton=given_skeleton(given),
        family=surname.key,
        family_stem=surname.stem,
        family_parts=surname.parts,
        family_initial=surname.initial,
        patronymic=patronymic_key(patronymic),
        family_as_given=surname.as_given,
    )


def warm(categories: Iterable[str] = ("first", "patronymic")) -> None:
    """Build the dictionary classes now rather than on the first record."""
    for category in categories:
        _classes(category)
