"""Where the CLI writes: results to stdout, problems to stderr, one line each."""

from __future__ import annotations

from rich.console import Console

from ridni.errors import RidniError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def report_error(exc: RidniError) -> None:
    hint = f" [dim]— {exc.hint}[/dim]" if exc.hint else ""
    err.print(f"[bold red]error:[/bold red] {_escape(exc.message)}{hint}", soft_wrap=True)


def _escape(text: str) -> str:
    return text.replace("[", "\\[")
