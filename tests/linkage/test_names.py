"""Names in Ukrainian, Russian and Latin of many standards reduce to the same keys."""

from __future__ import annotations

import pytest
import translitua
from hypothesis import given, settings
from hypothesis import strategies as st
from translitua import translit

from ridni.linkage.names import given_key, name_keys, patronymic_key, surname_key, surname_stem
from ridni.linkage.phonetic import skeleton
from ridni.linkage.scripts import Script, detect_script


@pytest.mark.parametrize(
    "spelling",
    ["Олександр", "Александр", "Oleksandr", "Olexandr", "Aleksandr", "Alexander", "Oleksander"],
)
def test_every_spelling_of_oleksandr_has_one_key(spelling: str) -> None:
    assert given_key(spelling) == given_key("Олександр")


@pytest.mark.parametrize(
    ("ukrainian", "russian", "latin"),
    [
        ("Микола", "Николай", "Mykola"),
        ("Олена", "Елена", "Olena"),
        ("Ганна", "Анна", "Hanna"),
        ("Євгенія", "Евгения", "Yevheniia"),
        ("Ілля", "Илья", "Illia"),
    ],
)
def test_ukrainian_and_russian_given_names_meet(ukrainian: str, russian: str, latin: str) -> None:
    assert given_key(ukrainian) == given_key(russian) == given_key(latin)


def test_different_names_keep_different_keys() -> None:
    assert given_key("Олена") != given_key("Аліна")
    assert given_key("Марія") != given_key("Мирослава")


@pytest.mark.parametrize(
    "spelling",
    ["Шевченко", "Shevchenko", "Ševčenko", "Schewtschenko", "Szewczenko"],
)
def test_surname_spellings_across_standards(spelling: str) -> None:
    assert surname_key(spelling) == surname_key("Шевченко")


def test_russian_orthography_of_ukrainian_surnames() -> None:
    assert surname_key("Білий") == surname_key("Белый")
    assert surname_key("Хмельницька") == surname_key("Хмельницкая")
    assert surname_key("Сєвєродонецький") == surname_key("Северодонецкий")


def test_gendered_surname_forms_share_a_stem() -> None:
    for male, female in [
        ("Хмельницький", "Хмельницька"),
        ("Ковалев", "Ковалева"),
        ("Kovalevskyi", "Kovalevska"),
    ]:
        assert surname_key(male) != surname_key(female)
        assert surname_stem(surname_key(male)) == surname_stem(surname_key(female))


def test_apostrophe_variants_agree() -> None:
    keys = {surname_key(s) for s in ("Мар'янчук", "Мар’янчук", "Марʼянчук", "Марьянчук")}
    assert len(keys) == 1


def test_patronymics_across_languages() -> None:
    assert patronymic_key("Олександрович") == patronymic_key("Александрович")
    assert patronymic_key("Юрійович") == patronymic_key("Юрьевич") == patronymic_key("Yuriiovych")
    assert patronymic_key("Андріївна") != patronymic_key("Андрійович")


def test_initial_only_and_double_surnames() -> None:
    initial = name_keys("Олександр", "Ш.", "")
    assert initial.family == ""
    assert initial.family_initial == skeleton("Шевченко")[0]
    latin_initial = name_keys("Aleksandr", "Sh.", "")
    assert latin_initial.family_initial == initial.family_initial
    double = name_keys("Анна", "Коваленко-Шевчук", "")
    assert double.family_parts == (surname_key("Коваленко"), surname_key("Шевчук"))


def test_script_detection_tells_ukrainian_from_russian() -> None:
    assert detect_script("Сергій") is Script.ukrainian
    assert detect_script("Сергей Ыхов") is Script.russian
    assert detect_script("Serhii") is Script.latin


_NAMES = [
    "Олександр",
    "Шевченко",
    "Юрійович",
    "Щербак",
    "Гнатюк",
    "Зінченко",
    "Ковальчук",
    "Дмитро",
    "Максим",
    "Поліна",
    "Кравець",
    "Мельник",
    "Бондаренко",
    "Ткаченко",
]
_MAIN_STANDARDS = [
    translitua.UkrainianKMU,
    translitua.UkrainianPassport2007,
    translitua.UkrainianBGN,
    translitua.UkrainianBritish,
    translitua.UkrainianISO9,
    translitua.UkrainianSimple,
    translitua.UkrainianUNGEGN,
    translitua.UkrainianALALC,
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_NAMES), st.sampled_from(_MAIN_STANDARDS))
def test_skeleton_is_stable_under_transliteration(name: str, standard: object) -> None:
    assert skeleton(translit(name, standard)) == skeleton(name)


_RUSSIAN = ["Александр", "Щербаков", "Юрьевич", "Кириллов", "Ковалев", "Наталья", "Жуков"]
_RUSSIAN_STANDARDS = [
    translitua.RussianInternationalPassport,
    translitua.RussianInternationalPassport1997,
    translitua.RussianICAO,
    translitua.RussianDriverLicense,
    translitua.RussianALALC,
]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_RUSSIAN), st.sampled_from(_RUSSIAN_STANDARDS))
def test_russian_standards_meet_the_cyrillic(name: str, standard: object) -> None:
    assert skeleton(translit(name, standard)) == skeleton(name)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Chevtchenko", "Шевченко"),  # French: ch is ш, tch is ч
        ("Chapoval", "Шаповал"),
        ("Jouk", "Жук"),  # French: j is ж
        ("Chmelnyzkyj", "Хмельницький"),  # German: ch is х, z is ц
        ("Chornovol", "Чорновол"),  # English: ch is still ч
        ("Tkachenko", "Ткаченко"),
    ],
)
def test_french_and_german_spellings_of_surnames(latin: str, cyrillic: str) -> None:
    assert surname_key(latin) == surname_key(cyrillic)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Mychajlo", "Михайло"), ("Chrystyna", "Христина"), ("Nasar", "Назар"), ("Slata", "Злата")],
)
def test_german_spellings_of_given_names(latin: str, cyrillic: str) -> None:
    assert given_key(latin) == given_key(cyrillic)
