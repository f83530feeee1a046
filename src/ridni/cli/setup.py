"""`ridni init`: prepare the data directory, the database and a first administrator."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ridni.cli.context import opened_database
from ridni.cli.output import out
from ridni.errors import InputError


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise InputError("no password on standard input")
        return line
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        admin: Annotated[
            str | None,
            typer.Option("--admin", metavar="USERNAME", help="Also create a system administrator."),
        ] = None,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the admin password from stdin.")
        ] = False,
    ) -> None:
        """Create the data directory and database (or bring it up to date)."""
        from ridni.accounts.models import RoleName
        from ridni.accounts.service import create_user, ensure_roles
        from ridni.settings import load_settings
        from ridni.storage.engine import safe_url
        from ridni.storage.migrate import upgrade

        settings = load_settings()
        settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
        with opened_database(migrate=False, create_keys=True) as (_settings, db):
            upgrade(db)
            with db.session() as session:
                ensure_roles(session)
                if admin:
                    password = read_password(password_stdin)
                    create_user(session, admin, password, roles=[RoleName.system_admin])
            where = safe_url(db.url)
        out.print(f"Database ready: {where}")
        out.print(f"Data directory: {settings.resolved_data_dir}")
        if admin:
            out.print(f"Administrator {admin!r} created. Start the app with `ridni serve`.")
