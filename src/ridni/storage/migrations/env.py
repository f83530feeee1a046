"""Alembic environment: runs on the engine Ridni passes in, or on the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import ridni.models  # noqa: F401  (registers every table on the metadata)
from ridni.storage.base import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from ridni.settings import load_settings
    from ridni.storage.engine import open_database

    return open_database(load_settings().resolved_database_url, create_dirs=True).engine


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Ridni migrations run online only: use `ridni db upgrade`.")
run_migrations_online()
