"""Storage: the declarative base, column types, engines and migrations (SQLite and PostgreSQL)."""

from ridni.storage.base import Base
from ridni.storage.engine import Database, open_database

__all__ = ["Base", "Database", "open_database"]
