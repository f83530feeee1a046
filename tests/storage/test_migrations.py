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


def test_name_tokens_become_integers_and_back_without_the_key(empty_db: Database) -> None:
    """Migration 0012 converts stored tokens in place: old 128-bit hex text to the integer
    the current code computes, and back down to hex, with search working at the head and a
    deleted record's tokens deleted with it."""
    import hashlib
    import hmac

    from sqlalchemy import select, text

    from ridni.cases.models import RecordToken
    from ridni.cases.service import search_children
    from ridni.security.encryption import blind_token
    from tests.helpers import TEST_KEYS, make_child, make_record, make_source

    upgrade(empty_db)
    with empty_db.session() as session:
        child = make_child(session, "Марія", "Коваленко", None)
        record = make_record(session, child, make_source(session), "Марія", "Коваленко")
        record_id, child_id = record.id, child.id
        tokens = set(session.scalars(select(RecordToken.token)))
    assert tokens and all(isinstance(token, int) for token in tokens)

    downgrade(empty_db, "0011")
    old = hmac.new(TEST_KEYS.blind_index_key, b"oldword", hashlib.sha256).digest()[:16].hex()
    with empty_db.session() as session:
        stored = set(session.scalars(text("SELECT token FROM record_tokens")))
        assert all(isinstance(token, str) and len(token) == 16 for token in stored)
        session.execute(
            text("INSERT INTO record_tokens (record_id, token) VALUES (:r, :t)"),
            {"r": record_id, "t": old},
        )

    upgrade(empty_db)
    with empty_db.session() as session:
        after = set(session.scalars(select(RecordToken.token)))
        assert after == tokens | {blind_token(TEST_KEYS, "oldword")}
        found = search_children(session, "Kovalenko Mariia")  # another script, two words
        assert [row.child.id for row in found.items] == [child_id]

    # No foreign key any more: deleting a record still deletes its tokens (a trigger).
    with empty_db.session() as session:
        session.execute(text("DELETE FROM records WHERE id = :r"), {"r": record_id})
    with empty_db.session() as session:
        assert session.scalar(text("SELECT count(*) FROM record_tokens")) == 0
