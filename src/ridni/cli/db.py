"""`ridni db`: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import out

app = RidniTyper(
    help="Database schema: upgrade, downgrade, show the revision.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade_command(
    revision: Annotated[
        str, typer.Argument(help="Target revision (default: the newest).")
    ] = "head",
) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    from ridni.storage.engine import safe_url
    from ridni.storage.migrate import current_revision, upgrade

    with opened_database(migrate=False) as (_settings, db):
        before = current_revision(db)
        upgrade(db, revision)
        after = current_revision(db)
        out.print(f"{safe_url(db.url)}: {before or 'empty'} → {after}")


@app.command("downgrade")
def downgrade_command(
    revision: Annotated[str, typer.Argument(help="Target revision; `base` removes every table.")],
) -> None:
    """Take the schema back to REVISION. Data in removed tables is lost."""
    from ridni.storage.engine import safe_url
    from ridni.storage.migrate import current_revision, downgrade

    with opened_database(migrate=False) as (_settings, db):
        before = current_revision(db)
        downgrade(db, revision)
        after = current_revision(db) or "empty"
        out.print(f"{safe_url(db.url)}: {before or 'empty'} → {after}")


@app.command("current")
def current_command() -> None:
    """Show the schema revision of the database and of this version of Ridni."""
    from ridni.storage.migrate import current_revision, head_revision

    with opened_database(migrate=False) as (_settings, db):
        current = current_revision(db) or "empty"
    out.print(f"database: {current}; this Ridni: {head_revision()}")
