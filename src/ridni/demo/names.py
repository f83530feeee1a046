"""Synthetic Ukrainian identities and the ways other sources write them.

Names come from Faker ``uk_UA`` mixed with the given names most common among Ukrainian children
born 2006–2022 (so namesakes occur as often as they do in real lists). Russian renderings come from
names-translator, Latin ones from translitua's many standards. None of it describes a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import translitua
from faker import Faker
from names_translator.dicts import default_dicts
from translitua import TransliterationTable, translit

from ridni.linkage.scripts import Script, detect_script

Table = type[TransliterationTable]

POPULAR_BOYS = [
    "Олександр",
    "Максим",
    "Артем",
    "Дмитро",
    "Данило",
    "Андрій",
    "Іван",
    "Микита",
    "Богдан",
    "Владислав",
    "Назар",
    "Матвій",
    "Михайло",
    "Кирило",
    "Денис",
    "Ярослав",
    "Микола",
    "Тимофій",
    "Євген",
    "Сергій",
    "Ілля",
    "Роман",
    "Віталій",
    "Олег",
]
POPULAR_GIRLS = [
    "Анна",
    "Софія",
    "Марія",
    "Анастасія",
    "Вікторія",
    "Дарина",
    "Олександра",
    "Поліна",
    "Єлизавета",
    "Катерина",
    "Юлія",
    "Олена",
    "Аліна",
    "Валерія",
    "Ангеліна",
    "Злата",
    "Діана",
    "Ганна",
    "Вероніка",
    "Христина",
    "Ірина",
    "Наталія",
    "Ольга",
]
# A father's name and the patronymic it gives a son and a daughter.
FATHERS = {
    "Олександр": ("Олександрович", "Олександрівна"),
    "Сергій": ("Сергійович", "Сергіївна"),
    "Андрій": ("Андрійович", "Андріївна"),
    "Володимир": ("Володимирович", "Володимирівна"),
    "Юрій": ("Юрійович", "Юріївна"),
    "Олег": ("Олегович", "Олегівна"),
    "Микола": ("Миколайович", "Миколаївна"),
    "Іван": ("Іванович", "Іванівна"),
    "Віталій": ("Віталійович", "Віталіївна"),
    "Дмитро": ("Дмитрович", "Дмитрівна"),
    "Василь": ("Васильович", "Василівна"),
    "Петро": ("Петрович", "Петрівна"),
    "Віктор": ("Вікторович", "Вікторівна"),
    "Ігор": ("Ігорович", "Ігорівна"),
    "Роман": ("Романович", "Романівна"),
    "Михайло": ("Михайлович", "Михайлівна"),
    "Анатолій": ("Анатолійович", "Анатоліївна"),
    "Богдан": ("Богданович", "Богданівна"),
    "Павло": ("Павлович", "Павлівна"),
    "Євген": ("Євгенович", "Євгенівна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Степан": ("Степанович", "Степанівна"),
}
# Latin spellings seen in real lists: passports dominate, scholarly systems are rare.
UKRAINIAN_TABLES = (
    (translitua.UkrainianKMU, 40),
    (translitua.UkrainianPassport2007, 8),
    (translitua.UkrainianSimple, 6),
    (translitua.UkrainianBGN, 6),
    (translitua.UkrainianBritish, 4),
    (translitua.UkrainianNational1996, 4),
    (translitua.UkrainianGerman, 3),
    (translitua.UkrainianFrench, 2),
    (translitua.UkrainianWWS, 2),
    (translitua.UkrainianISO9, 1),
)
RUSSIAN_TABLES = (
    (translitua.RussianInternationalPassport, 30),
    (translitua.RussianInternationalPassport1997, 10),
    (translitua.RussianSimple, 8),
    (translitua.RussianDriverLicense, 5),
    (translitua.RussianICAO, 5),
    (translitua.RussianALALC, 2),
    (translitua.RussianGOST2006, 2),
)
_RUSSIAN_LETTERS = str.maketrans(
    {
        "і": "и",
        "ї": "и",
        "є": "е",
        "ґ": "г",
        "'": "ь",
        "’": "ь",
        "І": "И",
        "Ї": "И",
        "Є": "Е",
        "Ґ": "Г",
    }
)


@dataclass(frozen=True, slots=True)
class Identity:
    """A child's names as the family writes them (Ukrainian Cyrillic)."""

    given_name: str
    family_name: str
    patronymic: str
    sex: str  # "M" or "F"


def feminine_surname(male: str) -> str:
    """The form a Ukrainian surname takes for a girl (-ський → -ська, -ов → -ова, …)."""
    for ending, replacement in (
        ("ський", "ська"),
        ("цький", "цька"),
        ("зький", "зька"),
        ("ий", "а"),
        ("ій", "я"),
    ):
        if male.endswith(ending):
            return male[: -len(ending)] + replacement
    if male.endswith(("ов", "ев", "єв", "ін", "ин", "їн")):
        return male + "а"
    return male


class NameFactory:
    """Draws identities; deterministic for a given ``random.Random`` and Faker seed."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.uk = Faker("uk_UA")
        self.uk.seed_instance(seed)
        self.ru = Faker("ru_RU")
        self.ru.seed_instance(seed + 1)

    def family_surname(self) -> str:
        return str(self.uk.last_name_male())

    def father(self) -> str:
        return self.rng.choice(list(FATHERS))

    def child(self, surname_male: str, father: str, sex: str) -> Identity:
        popular = POPULAR_BOYS if sex == "M" else POPULAR_GIRLS
        if self.rng.random() < 0.7:
            given = self.rng.choice(popular)
        else:
            given = str(self.uk.first_name_male() if sex == "M" else self.uk.first_name_female())
        son, daughter = FATHERS[father]
        surname = surname_male if sex == "M" else feminine_surname(surname_male)
        return Identity(given, surname, son if sex == "M" else daughter, sex)

    def russian_surname(self, sex: str) -> str:
        """A new surname given on adoption in Russia."""
        return str(self.ru.last_name_male() if sex == "M" else self.ru.last_name_female())

    def russian_patronymic(self, sex: str) -> str:
        return str(self.ru.middle_name_male() if sex == "M" else self.ru.middle_name_female())

    def latin_table(self, russian: bool) -> Table:
        tables = RUSSIAN_TABLES if russian else UKRAINIAN_TABLES
        return self.rng.choices([t for t, _ in tables], weights=[w for _, w in tables])[0]


def to_russian(name: str, category: str) -> str:
    """The Russian rendering of a Ukrainian name: translated where a dictionary knows it."""
    if not name:
        return name
    for candidate in default_dicts().lookup(name, category):
        if detect_script(candidate) is not Script.ukrainian and candidate != name:
            return str(candidate)
    russian = name.translate(_RUSSIAN_LETTERS)
    for ending, replacement in (
        ("ська", "ская"),
        ("цька", "цкая"),
        ("ський", "ский"),
        ("цький", "цкий"),
    ):
        if russian.endswith(ending.translate(_RUSSIAN_LETTERS)):
            stem = russian[: -len(ending)]
            return stem + replacement
    return russian


def to_latin(name: str, table: Table) -> str:
    return translit(name, table) if name else name


def typo(rng: random.Random, name: str) -> str:
    """One keyboard or hearing slip: a letter dropped, doubled, swapped or replaced."""
    if len(name) < 4:
        return name
    at = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:at] + name[at + 1 :]
    if kind == 1:
        return name[:at] + name[at] + name[at:]
    if kind == 2:
        return name[: at - 1] + name[at] + name[at - 1] + name[at + 1 :]
    similar = {"е": "и", "и": "е", "о": "а", "а": "о", "e": "i", "i": "y", "y": "i", "o": "a"}
    return name[:at] + similar.get(name[at], name[at]) + name[at + 1 :]
