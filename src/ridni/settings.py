"""The one table of Ridni's settings.

Every setting is read from a ``RIDNI_*`` environment variable or from an optional ``.env`` file
in the working directory, and is documented in ``docs/settings.md`` (a test fails when one is not).
"""

from __future__ import annotations

import difflib
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from ridni.errors import ConfigurationError

ENV_PREFIX = "RIDNI_"
# Upper bounds of durations: a larger number is a typo, and past ~10^12 minutes Python's
# timedelta overflows on every request (a login, a statistics page) rather than at start.
WEEK_MINUTES = 7 * 24 * 60
YEAR_HOURS = 366 * 24
SHOWN_VALUE = 40  # characters of a bad value quoted in its message
# Settings whose documented empty value means "not set" (the default), as in docker-compose's
# `RIDNI_KEY_FILE=`: an empty path was the current directory, an empty number an error.
EMPTY_IS_UNSET = ("database_url", "key_file", "keys", "linkage_threads")
CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
TEXT = ("data_dir", "database_url", "key_file", "keys", "host", "evidence_types")
EXTENSION = re.compile(r"[a-z0-9]{1,16}")  # an evidence file name's, lower case
NOT_EMPTY = ("data_dir", "host")  # empty was the current directory, and every interface


class CookieSecurity(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class Language(StrEnum):
    uk = "uk"
    en = "en"


class Settings(BaseSettings):
    """Ridni's settings; the field name upper-cased with ``RIDNI_`` in front is the variable."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    data_dir: Path = Field(
        default=Path("~/.local/share/ridni"),
        description="Directory for the embedded SQLite database and uploaded files.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database, e.g. `postgresql+psycopg://user@host/db`. "
            "Empty means an SQLite file `ridni.sqlite3` inside the data directory."
        ),
    )
    key_file: Path | None = Field(
        default=None,
        description=(
            "File holding the encryption and blind-index keys. Empty means `keys.json` in the "
            "data directory. Keep a copy apart from database backups."
        ),
    )
    keys: str | None = Field(
        default=None,
        description="The key file's content itself (JSON), for containers; wins over the file.",
        repr=False,
    )
    auto_upgrade: bool = Field(
        default=True,
        description=(
            "Create or upgrade the embedded SQLite database on start. PostgreSQL is always "
            "upgraded explicitly with `ridni db upgrade`."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `ridni serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `ridni serve` listens on.")
    default_language: Language = Field(
        default=Language.uk,
        description="Interface language when neither the user nor the browser chose one (uk, en).",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=WEEK_MINUTES,
        description="A login session ends after this many idle minutes.",
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        le=YEAR_HOURS,
        description="A login session ends this many hours after login, always.",
    )
    cookie_secure: CookieSecurity = Field(
        default=CookieSecurity.auto,
        description=(
            "Mark cookies Secure: `auto` when the request came over HTTPS, `always`, or `never`."
        ),
    )
    page_size: int = Field(
        default=50, ge=1, le=500, description="Rows per page in lists and API collections."
    )
    evidence_max_mb: int = Field(
        default=200,
        ge=1,
        le=100_000,
        description="Largest evidence file accepted, in MiB (uploads and `ridni evidence add`).",
    )
    evidence_types: str = Field(
        default=(
            "pdf,png,jpg,jpeg,gif,webp,tif,tiff,txt,csv,json,html,htm,mhtml,warc,eml,"
            "doc,docx,odt,xls,xlsx,ods,mp3,wav,ogg,m4a,mp4,webm,mov,zip"
        ),
        description="File name extensions accepted as evidence, comma-separated.",
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed logins after which an account is locked for a while.",
    )
    login_lock_minutes: int = Field(
        default=15,
        ge=1,
        le=WEEK_MINUTES,
        description="How long failed logins count, and how long a lock lasts.",
    )
    login_max_failures_per_address: int = Field(
        default=30,
        ge=1,
        le=1_000_000,
        description="Failed logins from one address before it is refused.",
    )
    intake_organisation: str = Field(
        default="Ridni intake",
        min_length=1,
        max_length=200,
        description="Organisation that receives reports sent through the public form.",
    )
    report_limit_per_hour: int = Field(
        default=10,
        ge=1,
        le=1_000_000,
        description="Public reports accepted per hour from one address.",
    )
    photo_max_mb: int = Field(
        default=5, ge=1, le=100, description="Largest photo accepted with a public report, in MiB."
    )
    log_level: str = Field(
        default="info", description="Log level of the web server (debug, info, warning, error)."
    )
    stats_min_cell: int = Field(
        default=5,
        ge=5,
        le=1000,
        description="Public statistics hide counts below this (never less than 5).",
    )
    stats_max_age_minutes: int = Field(
        default=60,
        ge=1,
        le=YEAR_HOURS * 60,
        description="Public statistics older than this are recomputed after the next visit.",
    )
    alert_no_sighting_months: int = Field(
        default=6,
        ge=1,
        le=120,
        description="Alert when a located child has not been seen for this many months.",
    )
    import_batch_size: int = Field(
        default=5000,
        ge=1,
        le=100_000,
        description="Rows committed per transaction by bulk imports.",
    )
    import_process_from: int = Field(
        default=20_000,
        ge=0,
        le=1_000_000_000,
        description="Valid rows from which a bulk import prepares its batches in a second "
        "process (a core of its own) rather than a thread; 0 = always.",
    )
    import_auto_link: float = Field(
        default=1.0,
        ge=0.5,
        le=1.0,
        allow_inf_nan=False,
        description=(
            "Imported records matching an open trace with at least this probability are linked "
            "without review; 1 means never."
        ),
    )
    import_max_mb: int = Field(
        default=50, ge=1, le=10_000, description="Largest file accepted by the import page, in MiB."
    )
    export_password_min_length: int = Field(
        default=12,
        ge=8,
        le=128,
        description="Shortest password accepted to encrypt an export with personal data.",
    )
    # ridni.linkage runs without the other settings: it reads this one alone, through
    # read_setting, so it is validated and documented like every other setting.
    linkage_threads: int | None = Field(
        default=None, ge=1, le=1024, description="Threads DuckDB may use for batch linkage."
    )

    @field_validator(*EMPTY_IS_UNSET, mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(*NOT_EMPTY, mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator(*TEXT, "intake_organisation", "log_level", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        """A NUL (possible in .env) or another control character in a path, an address or a
        name failed later, in a traceback, or was kept; the key file's JSON may have lines."""
        if isinstance(value, str):
            text = re.sub(r"[\t\n\r]", "", value) if info.field_name == "keys" else value
            if CONTROLS.search(text):
                raise ValueError("must not contain control characters")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        levels = ("critical", "error", "warning", "info", "debug")
        if value.lower() not in levels:
            raise ValueError(f"must be one of {', '.join(levels)}")
        return value.lower()

    @field_validator("evidence_types")
    @classmethod
    def _extensions(cls, value: str) -> str:
        """Extensions as the store compares them. "pdf, ,png" put an empty one in the list,
        which let files without an extension through; "pdf;png" named one that no file has."""
        named = [part.strip().lower().lstrip(".") for part in value.split(",")]
        named = [part for part in named if part]
        if not named or not all(EXTENSION.fullmatch(part) for part in named):
            raise ValueError("must be file name extensions separated by commas, such as pdf,png")
        return ",".join(named)

    @property
    def evidence_extensions(self) -> frozenset[str]:
        return frozenset(self.evidence_types.split(","))

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser()

    @property
    def resolved_key_file(self) -> Path:
        return (self.key_file or self.resolved_data_dir / "keys.json").expanduser()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'ridni.sqlite3'}"


def env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def known_variables() -> list[str]:
    return [env_name(name) for name in Settings.model_fields]


def _check_unknown_variables(environ: dict[str, str]) -> None:
    """A typo such as RIDNI_DATABSE_URL would silently fall back to a default; refuse it."""
    known = set(known_variables())
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name in known or name.startswith("RIDNI_TEST_"):
            continue
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else "see docs/settings.md for the settings"
        raise ConfigurationError(f"unknown setting {name}", hint)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation failures into one clear line each."""
    _check_unknown_variables(dict(os.environ))
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise _invalid(exc.errors()) from None


def read_setting(field: str) -> Any:
    """One setting from the environment, checked and reported as :func:`load_settings` does,
    for code that runs without the others (``ridni.linkage`` used as a library)."""
    info = Settings.model_fields[field]
    raw = os.environ.get(env_name(field))
    if raw is None or (field in EMPTY_IS_UNSET and not raw.strip()):
        return info.default
    checked: Any = Annotated[info.annotation, info]  # the field's type with its bounds
    try:
        return TypeAdapter(checked).validate_python(raw)
    except ValidationError as exc:
        raise _invalid([{**error, "loc": (field,)} for error in exc.errors()]) from None


def _invalid(errors: list[ErrorDetails]) -> ConfigurationError:
    problems = []
    for error in errors:
        field = ".".join(str(part) for part in error["loc"])
        problems.append(_problem(field, error))
    return ConfigurationError(
        "invalid setting " + "; ".join(problems),
        "fix the value in the environment or .env (see docs/settings.md)",
    )


def _problem(field: str, error: ErrorDetails) -> str:
    """``RIDNI_X='value': what is expected``: the value quoted (cut, escaped; never a secret's),
    and what the setting takes, in words, rather than the validator's."""
    info = Settings.model_fields.get(field)
    if info is None:
        return f"{field}={_quoted(error.get('input'))}: {error['msg']}"
    shown = env_name(field)
    quoted = "(value not shown)" if not info.repr else _quoted(error.get("input"))
    expected = _expected(info.annotation, info.metadata)
    if error["type"] == "value_error" or expected is None:
        message = str(error["msg"]).removeprefix("Value error, ")
    else:
        message = f"expected {expected}"
    return f"{shown}={quoted}: {message}"


def _quoted(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= SHOWN_VALUE else shown[: SHOWN_VALUE - 1] + "…"


def _expected(annotation: Any, metadata: list[Any]) -> str | None:
    """What a setting of this type and these bounds takes, in words; None for text."""
    kinds = [kind for kind in getattr(annotation, "__args__", (annotation,)) if kind is not None]
    kinds = [kind for kind in kinds if kind is not type(None)]
    kind = kinds[0] if len(kinds) == 1 else None
    low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    if kind is bool:
        return "true or false"
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return "one of " + ", ".join(member.value for member in kind)
    if kind is int or kind is float:
        what = "a whole number" if kind is int else "a number"
        if low is not None and high is not None:
            return f"{what} from {low} to {high}"
        if low is not None:
            return f"{what} of at least {low}"
        return what
    return None
