"""Migrations take an empty database to the current schema and back, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import ridni.models  # noqa: F401  (the whole schema)
from ridni.errors import DatabaseError
from ridni.storage.base import Base
from ridni.storage.engine import Database
from ridni.storage.migrate import current_revision, downgrade, ensure_schema, head_revision, upgrade


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


# Indexes that exist only in the database, on purpose (see their migrations).
DATABASE_ONLY = {"ix_records_name_key_trigram"}


def _not_database_only(name: str | None, kind: str, _parent: object) -> bool:
    return not (kind == "index" and name in DATABASE_ONLY)


def test_upgrade_creates_every_table_and_matches_the_models(empty_db: Database) -> None:
    assert current_revision(empty_db) is None
    upgrade(empty_db)
    assert current_revision(empty_db) == head_revision()
    assert _tables(empty_db) == set(Base.metadata.tables)
    with empty_db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_database_only}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "the models changed without a migration"


def test_downgrade_to_base_removes_every_table(empty_db: Database) -> None:
    upgrade(empty_db)
    downgrade(empty_db, "base")
    assert _tables(empty_db) == set()
    assert current_revision(empty_db) is None
    upgrade(empty_db)  # and the way up works again after a way down
    assert _tables(empty_db) == set(Base.metadata.tables)


def test_embedded_sqlite_upgrades_itself(empty_sqlite: Database) -> None:
    ensure_schema(empty_sqlite, auto_upgrade=True)
    assert current_revision(empty_sqlite) == head_revision()


def test_embedded_sqlite_without_auto_upgrade_asks_for_it(empty_sqlite: Database) -> None:
    with pytest.raises(DatabaseError, match="ridni db upgrade"):
        ensure_schema(empty_sqlite, auto_upgrade=False)


def test_an_out_of_date_server_database_is_refused_with_the_fix(empty_postgres: Database) -> None:
    with pytest.raises(DatabaseError) as refused:
        ensure_schema(empty_postgres, auto_upgrade=True)
    assert "ridni db upgrade" in str(refused.value)
    assert current_revision(empty_postgres) is None  # nothing was half-done
