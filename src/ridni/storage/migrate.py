"""Alembic migrations run from code: `ridni db upgrade` and the embedded default's self-upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from ridni.errors import DatabaseError
from ridni.storage.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(db: Database | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if db is not None:
        config.attributes["engine"] = db.engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise DatabaseError("the package ships no migrations", "reinstall Ridni")
    return head


def known_revision(revision: str) -> bool:
    """Whether this version's migrations include ``revision`` (a backup's, say)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or malformed id
        return False


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    _run(db, lambda config: command.upgrade(config, revision))


def downgrade(db: Database, revision: str) -> None:
    _run(db, lambda config: command.downgrade(config, revision))


def _run(db: Database, step: object) -> None:
    config = alembic_config(db)
    try:
        step(config)  # type: ignore[operator]
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"migration failed: {detail}", "the database was left at its previous revision"
        ) from None


def ensure_schema(db: Database, *, auto_upgrade: bool) -> None:
    """Bring the embedded SQLite database to head; refuse to run on an out-of-date server."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return
    if db.is_sqlite and auto_upgrade:
        upgrade(db)
        return
    state = "empty" if current is None else f"at revision {current}"
    raise DatabaseError(
        f"the database is {state}, this version of Ridni needs revision {head}",
        "run `ridni db upgrade`",
    )
