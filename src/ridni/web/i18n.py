"""Moved to :mod:`ridni.i18n`, which the command line uses without loading the web app.

Kept so that code written against this path still runs; import from ``ridni.i18n``.
"""

from __future__ import annotations

from ridni.i18n import (
    LANGUAGES,
    N_,
    current_language,
    format_number,
    gettext_,
    negotiate,
    ngettext_,
    set_language,
    translations,
)

__all__ = [
    "LANGUAGES",
    "N_",
    "current_language",
    "format_number",
    "gettext_",
    "negotiate",
    "ngettext_",
    "set_language",
    "translations",
]
