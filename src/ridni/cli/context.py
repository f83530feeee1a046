"""Shared steps of commands: read settings, open the database."""

from __future__ import annotations

from ridni.settings import Settings, load_settings
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import ensure_schema


def settings_and_database(*, migrate: bool = True) -> tuple[Settings, Database]:
    """Settings from the environment and the database they name, checked and (if embedded)
    brought up to date; a database that cannot be used raises a one-line error."""
    settings = load_settings()
    db = open_database(settings.resolved_database_url, create_dirs=settings.database_url is None)
    if migrate:
        ensure_schema(db, auto_upgrade=settings.auto_upgrade)
    return settings, db
