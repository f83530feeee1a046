"""`ridni users`: accounts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ridni.accounts.enums import RoleName
from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import out
from ridni.cli.setup import read_password

app = RidniTyper(help="User accounts.", no_args_is_help=True)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[
        list[RoleName] | None, typer.Option("--role", "-r", help="Role; repeat for several.")
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", "-o", help="Organisation (created if new).")
    ] = None,
    display_name: Annotated[
        str | None, typer.Option("--name", help="Full name shown in the app.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a user. The password is prompted for (or read from stdin), never an argument."""
    from ridni.accounts.models import OrganisationKind
    from ridni.accounts.service import create_user, ensure_organisation

    password = read_password(password_stdin)
    with opened_database() as (_settings, db), db.session() as session:
        org = None
        if organisation:
            org = ensure_organisation(session, organisation, OrganisationKind.ngo)
        user = create_user(
            session,
            username,
            password,
            roles=role or [RoleName.caseworker],
            display_name=display_name,
            organisation=org,
        )
        created = f"User {user.username!r} created ({', '.join(r.name.value for r in user.roles)})."
    out.print(created)


@app.command("list")
def list_users() -> None:
    """List users with their roles and organisation."""
    from sqlalchemy import select

    from ridni.accounts.models import User

    table = Table("username", "name", "roles", "organisation", "active")
    with opened_database() as (_settings, db), db.session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            table.add_row(
                user.username,
                user.display_name,
                ", ".join(r.name.value for r in user.roles),
                user.organisation.name if user.organisation else "—",
                "yes" if user.is_active else "no",
            )
    out.print(table)
