"""Errors a person can act on.

Every failure we expect (bad settings, unreachable database, occupied port, malformed input)
is raised as a :class:`RidniError` carrying one line saying what is wrong and one saying what
to do. The CLI prints them without a traceback; the web app turns them into 4xx pages.

A message a page may show is an English template marked with ``N_`` whose values are passed
as keywords: ``InputError(N_("{name} is empty"), N_("..."), name=name)``. The CLI and the API
get the English text as before; a page translates the templates and fills in the same values
(``ridni.messages.error_text``).
"""

from __future__ import annotations


class RidniError(Exception):
    """An expected failure with a message for people, not a programming error."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, **values: object) -> None:
        self.template = message
        self.hint_template = hint
        self.values = values
        self.message = message.format(**values) if values else message
        self.hint = hint.format(**values) if hint is not None and values else hint
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ConfigurationError(RidniError):
    """A setting is missing, unknown or has a value we cannot use."""

    exit_code = 2


class DatabaseError(RidniError):
    """The database cannot be reached, opened or migrated."""

    exit_code = 3


class InputError(RidniError):
    """A file or value given by the user cannot be read."""

    exit_code = 4


class NotFoundError(RidniError):
    """An identifier does not name anything we know."""

    exit_code = 5


class Interrupted(RidniError):
    """The person stopped the command (Ctrl-C); the message says what was kept."""

    exit_code = 130  # the shell's code for SIGINT
