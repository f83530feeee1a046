"""An expected error (:class:`ridni.errors.RidniError`) as a page shows it.

The CLI and the API keep the English line ``message — hint``. A page says it in the reader's
language, as sentences: the message and the hint are translated from their ``N_`` templates
and filled in with the same values; a message that was never marked stays as it is.
"""

from __future__ import annotations

from enum import StrEnum

from ridni.errors import RidniError
from ridni.i18n import gettext_
from ridni.labels import label


def _sentence(template: str, values: dict[str, object]) -> str:
    translated = gettext_(template)
    # A state or status is named in the reader's words (the CLI says its value).
    shown = {k: label(v) if isinstance(v, StrEnum) else v for k, v in values.items()}
    text = translated.format(**shown) if values else translated
    # A sentence that starts with a value (a file name) keeps it as given.
    if not translated.startswith("{"):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def error_text(exc: RidniError) -> str:
    """The error in the reader's language: "Message. Hint." """
    message = _sentence(exc.template, exc.values)
    if exc.hint_template is None:
        return message
    return f"{message} {_sentence(exc.hint_template, exc.values)}"
