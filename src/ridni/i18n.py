"""Translations for the interface (Ukrainian and English), chosen per request.

Not part of the web app: services and the command line mark their messages with ``N_`` from
here, and importing it loads neither FastAPI nor the web package.

Catalogues are the ``.po`` files under ``ridni/locale``; they are compiled in memory at start-up,
so what a translator edits is exactly what runs and no compiled file can fall out of date.
Source strings are English; ``N_`` marks a string for extraction without translating it yet.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import cache
from importlib import resources
from io import BytesIO

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"uk": "Українська", "en": "English"}
_current: ContextVar[str] = ContextVar("ridni_language", default="en")


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    po = resources.files("ridni") / "locale" / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else "en")


def current_language() -> str:
    return _current.get()


def gettext_(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    return message


def negotiate(accept_language: str | None, default: str) -> str:
    """Pick a supported language from an Accept-Language header."""
    if not accept_language:
        return default
    preferred = []
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("-", "_")
        if tag and tag != "*":
            preferred.append(tag)
    chosen = negotiate_locale(preferred, list(LANGUAGES), sep="_")
    return chosen or default


def format_number(value: int) -> str:
    locale = Locale.parse(current_language())
    return format(value, ",").replace(",", locale.number_symbols["latn"]["group"])
