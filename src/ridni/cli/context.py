"""Shared steps of commands: read settings, open the database, close it when done."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings, SQLAlchemy and Alembic load when a command opens the database
    from ridni.settings import Settings
    from ridni.storage.engine import Database


@contextmanager
def opened_database(
    *, migrate: bool = True, create_keys: bool | None = None
) -> Iterator[tuple[Settings, Database]]:
    """Settings from the environment and the database they name, checked, with its keys, and
    (if embedded) brought up to date; a database that cannot be used raises a one-line error."""
    from ridni.security.keyfile import load_keys
    from ridni.settings import load_settings
    from ridni.storage.engine import open_database
    from ridni.storage.migrate import ensure_schema

    settings = load_settings()
    db = open_database(settings.resolved_database_url, create_dirs=settings.database_url is None)
    try:
        load_keys(settings, db, create=create_keys)
        if migrate:
            ensure_schema(db, auto_upgrade=settings.auto_upgrade)
        yield settings, db
    finally:
        db.dispose()
