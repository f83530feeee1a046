"""`ridni backup` and `ridni restore`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import out
from ridni.errors import Interrupted


def register(app: RidniTyper) -> None:
    @app.command()
    def backup(
        target: Annotated[
            Path | None,
            typer.Argument(help="Backup file (default: backups/ in the data directory)."),
        ] = None,
    ) -> None:
        """Write an encrypted, consistent backup; safe while Ridni is running. Given a
        directory, the backup is written into it under a dated name."""
        from ridni.security.backup import create_backup
        from ridni.security.keyfile import load_keys

        with opened_database() as (settings, db):
            ring = load_keys(settings, db)
            name = f"ridni-{datetime.now():%Y%m%d-%H%M%S}.ridni-backup"
            path = target or settings.resolved_data_dir / "backups" / name
            if path.is_dir():
                path = path / name
            try:
                create_backup(
                    db,
                    ring,
                    settings.resolved_data_dir,
                    path,
                    lambda table, rows: out.print(f"  {table}: {rows} rows", style="dim"),
                    inputs=[] if settings.keys else [settings.resolved_key_file],
                )
            except KeyboardInterrupt:
                raise Interrupted(
                    "interrupted", "no backup was written (the partial file was removed)"
                ) from None
        out.print(
            f"Backup written to {path}. It is encrypted with the key file: keep a copy "
            "of the key file apart from the backups."
        )

    @app.command()
    def restore(
        source: Annotated[Path, typer.Argument(help="A file written by `ridni backup`.")],
    ) -> None:
        """Restore a backup into an empty database (RIDNI_DATABASE_URL, RIDNI_DATA_DIR)."""
        from ridni.errors import ConfigurationError
        from ridni.security.backup import restore_backup
        from ridni.security.keyfile import load_keys
        from ridni.settings import load_settings

        given = load_settings()
        if not given.keys and not given.resolved_key_file.exists():
            # Said before the database is opened: opening a new one would leave an empty file.
            raise ConfigurationError(
                f"the key file {given.resolved_key_file} is missing",
                "a backup can only be read with the keys of the database it came from: put "
                "that key file there (or set RIDNI_KEYS), then restore",
            )
        made = _new_sqlite_file(given.resolved_database_url)
        try:
            with opened_database(migrate=False, create_keys=False) as (settings, db):
                ring = load_keys(settings, db)
                rows = restore_backup(db, ring, source, settings.resolved_data_dir)
        except BaseException:
            if made is not None:  # a refused restore leaves no empty database behind
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{made}{suffix}").unlink(missing_ok=True)
            raise
        out.print(f"Restored {rows} rows from {source}.")


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names if it does not exist yet (the restore would create it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
