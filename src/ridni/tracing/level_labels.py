"""The matching engine's agreement levels in the reader's language.

The linkage package names its levels in English for analysts and Splink's charts and gives
each its plain words (:mod:`ridni.linkage.level_words`); candidates keep the level names in
their stored explanation, and the review page shows these words translated when it renders.
"""

from __future__ import annotations

from ridni.i18n import gettext_
from ridni.linkage.level_words import level_words


def level_label(field: str, level: str) -> str:
    """The words a caseworker reads for the level ``level`` of the comparison ``field``."""
    message, values = level_words(field, level)
    return gettext_(message) % values if values else gettext_(message)
