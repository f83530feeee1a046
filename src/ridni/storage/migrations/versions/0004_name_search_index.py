"""Trigram index for name search on PostgreSQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The case list finds a name typed in any script by substring over each record's search key;
at a million records only a trigram index keeps that fast. SQLite (the embedded, single-user
default) scans, which is fast enough at its sizes.
"""

import logging
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_records_name_key_trigram"


def _trigram_schema() -> str | None:
    """The schema pg_trgm lives in, installing it (into public) if it is missing and allowed."""
    bind = op.get_bind()
    where = text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = bind.execute(where).scalar()
    if schema is None:
        try:
            with bind.begin_nested():
                bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        except DBAPIError:
            # Not allowed to install extensions: search still works, only slower at scale.
            logging.getLogger("ridni").warning("pg_trgm unavailable: name search will scan")
            return None
        schema = bind.execute(where).scalar()
    return str(schema)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _trigram_schema()
    if schema is not None:
        op.execute(f'CREATE INDEX {INDEX} ON records USING gin (name_key "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
