"""The `ridni` command: every sub-command is registered here."""

from __future__ import annotations

from typing import Annotated

import typer

from ridni import __version__
from ridni.cli import (
    audit,
    backup,
    db,
    demo,
    imports,
    keys,
    linkage,
    movements,
    reports,
    serve,
    setup,
    tracing,
    users,
)
from ridni.cli.errors import RidniTyper
from ridni.cli.output import err, out
from ridni.evidence import cli as evidence_cli
from ridni.exports import cli as exports_cli

app = RidniTyper(
    help="Ridni: trace, document and help bring home children deported in war.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        out.print(f"ridni {__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Ridni: trace, document and help bring home children deported in war."""


setup.register(app)
backup.register(app)
serve.register(app)
linkage.register(app)
evidence_cli.register(app)
exports_cli.register(evidence_cli.export_app)
reports.register(app)
imports.register(app)
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(users.app, name="users")
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(tracing.cases, name="cases")
app.add_typer(tracing.tracing, name="tracing")
app.add_typer(tracing.review, name="review")
app.add_typer(movements.app, name="movements")


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:  # between commands' own handling (parsing, start-up)
        err.print("[bold red]error:[/bold red] interrupted")
        raise SystemExit(130) from None
