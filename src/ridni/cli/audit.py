"""`ridni audit verify`: check the audit chain and name every event that does not fit."""

from __future__ import annotations

import typer

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import err, out

app = RidniTyper(help="The audit trail.", no_args_is_help=True)
TAMPERED = 8


@app.command("verify")
def verify_command() -> None:
    """Re-check every event's seal and the chain's order; exit 8 if anything was altered."""
    from ridni.audit.chain import verify

    with opened_database() as (_settings, db), db.session() as session:
        checked, problems = verify(session)
    if not problems:
        out.print(f"{checked} events checked, chain intact.")
        return
    for problem in problems:
        err.print(f"[bold red]{problem.kind}:[/bold red] {problem.message}")
    err.print(f"{checked} events checked, {len(problems)} problem(s).")
    raise typer.Exit(TAMPERED)
