"""Every interface string has a Ukrainian translation, and the catalogue loads."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from ridni import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "src" / "ridni" / "locale" / "uk" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2), "N_": None}


def _source_strings() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "src" / "ridni"),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        keywords=KEYWORDS,
    )
    strings = set()
    for _filename, _line, message, _comments, _context in found:
        strings.add(message[0] if isinstance(message, tuple) else message)
    return strings


def test_every_interface_string_is_translated_into_ukrainian() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="uk")
    missing = []
    for text in sorted(_source_strings()):
        entry = catalog.get(text)
        forms = entry.string if entry is not None else ""
        forms = forms if isinstance(forms, tuple) else (forms,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(text)
    assert missing == [], "run scripts/update_catalog.py and translate these"


def test_the_catalogue_translates_plurals_the_ukrainian_way() -> None:
    i18n.set_language("uk")
    try:
        assert i18n.ngettext_("%(num)s child", "%(num)s children", 1) == "%(num)s дитина"
        assert i18n.ngettext_("%(num)s child", "%(num)s children", 3) == "%(num)s дитини"
        assert i18n.ngettext_("%(num)s child", "%(num)s children", 5) == "%(num)s дітей"
        assert i18n.ngettext_("%(num)s child", "%(num)s children", 21) == "%(num)s дитина"
        assert i18n.gettext_("Children") == "Діти"
    finally:
        i18n.set_language("en")
