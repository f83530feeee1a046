"""Finding the key ring for a database, creating it only when nothing could be lost."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from ridni.errors import ConfigurationError
from ridni.security import keys
from ridni.security.keys import KeyRing
from ridni.settings import Settings
from ridni.storage.engine import Database

# Tables whose rows hold encrypted values: while all are empty, a new key ring loses nothing.
ENCRYPTED_TABLES = ("children", "records", "tracing_requests", "users")


def _holds_personal_data(db: Database) -> bool:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as connection:
        for table in ENCRYPTED_TABLES:
            if (
                table in present
                and connection.execute(
                    text(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608  (names are constants)
                ).first()
            ):
                return True
    return False


def load_keys(settings: Settings, db: Database, *, create: bool | None = None) -> KeyRing:
    """The key ring from RIDNI_KEYS or the key file, attached to ``db``.

    A missing key file is created when ``create`` is true, or (by default) for the embedded
    SQLite database while it holds no personal data; otherwise it is an error, because new
    keys would leave existing data unreadable.
    """
    if settings.keys:
        ring = KeyRing.from_json(settings.keys, "RIDNI_KEYS")
    else:
        path = settings.resolved_key_file
        if path.exists():
            ring = keys.load(path)
        else:
            allowed = (
                create if create is not None else db.is_sqlite and settings.database_url is None
            )
            if not allowed or _holds_personal_data(db):
                raise ConfigurationError(
                    f"the key file {path} is missing",
                    "restore it from your key backup, or run `ridni keys init` for a new database",
                )
            ring = KeyRing.generate()
            keys.save(ring, path)
    db.use_keys(ring)
    return ring


def keys_in_folder(path: Path, db: Database) -> KeyRing:
    """A self-contained database's own key file (the demo): loaded, or made while it is new."""
    if path.exists():
        ring = keys.load(path)
    elif _holds_personal_data(db):
        raise ConfigurationError(
            f"the key file {path} is missing", "restore it, or use a new --dir"
        )
    else:
        ring = KeyRing.generate()
        keys.save(ring, path)
    db.use_keys(ring)
    return ring
