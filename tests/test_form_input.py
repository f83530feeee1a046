"""Typed text without control characters where it is kept, and without invisible ones too
where it is echoed: one filter for form fields, messages and uploaded files' names."""

from __future__ import annotations

import pytest

from ridni.errors import InputError
from ridni.facilities.problems import plain
from ridni.form_input import without_controls
from ridni.imports.uploads import shown_name
from ridni.partial_date import PartialDate


def test_kept_text_loses_controls_but_keeps_format_characters() -> None:
    assert without_controls("Ан\x00на\tМарія\r\nКоваль") == "Анна Марія Коваль"
    assert without_controls("a\r\nb\x0bc", lines=True) == "a\nb c"
    assert without_controls("Лесь\uffff\ufffe") == "Лесь"
    assert without_controls("ی\u200cی") == "ی\u200cی"  # a zero-width non-joiner is writing


def test_kept_text_loses_bidirectional_overrides_but_keeps_direction_marks() -> None:
    """A right-to-left override in a name turned the rest of its line around wherever it was
    shown ("\u202eОлег Шевченко" read "окнечвеШ гелО"); no name needs one."""
    assert without_controls("\u202eОлег\u202c Шевченко") == "Олег Шевченко"
    assert without_controls("\u2066a\u2067b\u2068c\u2069\u202a\u202b\u202dd") == "abcd"
    assert without_controls("שרה\u200f 7") == "שרה\u200f 7"  # a right-to-left mark stays


def test_an_echo_loses_invisible_characters_and_any_space_is_a_space() -> None:
    typed = "\u202eкинеШ\u200b\ufeff\ue000\U000e0001 1\u00a02\u20283\x1c4"
    assert without_controls(typed, invisible=True) == "кинеШ 1 2 3 4"


def test_every_echo_uses_it() -> None:
    assert plain("\u202e12\u200bx") == "12x"
    assert plain("9" * 80) == "9" * 59 + "…"
    assert shown_name("C:\\Users\\a\\спи\u202eсок\x00\t 1.csv") == "список 1.csv"
    assert shown_name("\u200b\x00", fallback="file") == "file"
    with pytest.raises(InputError) as refused:
        PartialDate.parse("\u202e2012\u200b-13")
    assert refused.value.values["text"] == "2012-13"
