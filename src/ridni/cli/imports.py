"""`ridni import FILE --mapping M.yaml --source NAME`: a list into the registry, matched."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from ridni.cli.context import opened_database
from ridni.cli.errors import reporting_errors
from ridni.cli.output import err, out
from ridni.errors import InputError, Interrupted, NotFoundError

if TYPE_CHECKING:  # the import (and the matching engine it runs) loads when the command runs
    from ridni.imports.models import ImportRun
    from ridni.imports.preview import Preview
    from ridni.storage.engine import Database

SHOWN_ERRORS = 20
MATCH_HINT_FROM = 100_000  # valid rows from which matching on the way in is worth a second thought


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,  # logs and pipes get one line per committed batch instead
    )


def _show_preview(found: Preview, file_name: str) -> None:
    out.print(
        f"{file_name}: {found.rows} rows, {found.valid} valid, {found.invalid} with errors"
        + (f", {found.duplicates} repeating an earlier row's id" if found.duplicates else "")
    )
    if found.errors:
        table = RichTable("line", "problem", title="Rows that cannot be imported")
        for row in found.errors[:SHOWN_ERRORS]:
            table.add_row(str(row.number), "; ".join(row.errors))
        out.print(table)
        if found.invalid > SHOWN_ERRORS:
            out.print(f"… and {found.invalid - SHOWN_ERRORS} more", style="dim")


def _hint_at_matching_later(db: Database, rows: int) -> None:
    """Matching on the way in scores every new row against every open trace it resembles:
    right for a daily list, hours for a registry of a million (benchmarks/README.md)."""
    from sqlalchemy import func, select

    from ridni.tracing.models import sought_record_ids

    with db.session() as session:
        traces = session.scalar(select(func.count()).select_from(sought_record_ids().subquery()))
    if traces:
        out.print(
            f"Note: each of the {rows:,} rows will be matched against {traces:,} open traces on "
            "the way in, which takes long for a list this size. Quicker: stop now (Ctrl-C keeps "
            "whole batches), run again with --no-match, then `ridni tracing match --all-open`.",
            style="yellow",
        )


def import_file(
    file: Annotated[Path, typer.Argument(help="The list: .csv (UTF-8 or cp1251) or .xlsx.")],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", help="YAML: which column is which field.")
    ],
    source: Annotated[
        str, typer.Option("--source", "-s", help="Where the list comes from (created if new).")
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check every row and show the problems; write nothing."),
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows even if some are not.")
    ] = False,
    no_match: Annotated[
        bool, typer.Option("--no-match", help="Do not match against open traces now.")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", help="Your username: records become your organisation's."),
    ] = None,
) -> None:
    """Import a list of children as records; re-running it adds only what is missing."""
    from sqlalchemy import select

    from ridni.accounts.models import User
    from ridni.imports.mapping import load_mapping
    from ridni.imports.preview import preview
    from ridni.imports.reading import open_table
    from ridni.imports.runner import (
        ImportInterrupted,
        Options,
        run_import,
        source_title,
        start_run,
    )

    source_title(source)  # refused before the list is read, not after
    rules = load_mapping(mapping)
    table = open_table(file, rules.sheet)
    rules.check(table.header, file.name)
    with opened_database() as (settings, db):
        who = None
        if user:
            with db.session() as session:
                who = session.scalar(select(User).where(User.username == user.lower()))
                if who is None or not who.is_active:
                    raise NotFoundError(f"no active user {user!r}", "see `ridni users list`")
                session.expunge(who)
        with _progress() as bar:
            task = bar.add_task("Checking rows", total=None)
            found = preview(table, rules, lambda n: bar.update(task, completed=n))
            bar.update(task, completed=found.rows, total=found.rows)
        _show_preview(found, file.name)
        if dry_run:
            out.print("Dry run: nothing was written.")
        # A dry run ends as the real run would (exit 4 on any invalid row, unless skipped):
        # a script can check a file first and trust the exit code.
        if found.invalid and not skip_invalid:
            raise InputError(
                f"{found.invalid} row(s) cannot be imported; nothing was written",
                "fix them, or add --skip-invalid to import the other rows",
            )
        if dry_run:
            return
        if not no_match and found.valid >= MATCH_HINT_FROM:
            _hint_at_matching_later(db, found.valid)
        options = Options(
            batch_size=settings.import_batch_size,
            match=not no_match,
            auto_link=settings.import_auto_link,
            user_id=who.id if who else None,
            organisation_id=who.organisation_id if who else None,
            in_process=found.valid >= settings.import_process_from,
        )
        run = start_run(db, table, rules, source, options, found.invalid)
        plain = not err.is_terminal
        done = 0
        with _progress() as bar:
            task = bar.add_task(f"Importing (run {run.id})", total=found.valid)

            def advance(count: int, _run: ImportRun) -> None:
                nonlocal done
                done += count
                bar.update(task, advance=count)
                if plain:  # a log, or a test waiting for the first committed batch
                    print(f"committed rows up to {done} of {found.valid}", flush=True)

            try:
                finished = run_import(db, table, rules, run, options, advance)
            except ImportInterrupted as stopped:
                raise Interrupted(
                    f"interrupted: the list's first {stopped.kept:,} of {found.valid:,} rows "
                    "are kept",
                    "run the same command again to add the rest",
                ) from None
        out.print(
            f"Import {finished.id} {finished.status.value}: {finished.rows_added} added, "
            f"{finished.rows_existing} already there, {finished.rows_invalid} skipped as "
            f"invalid, {finished.candidates} match candidates for review, "
            f"{finished.auto_linked} linked automatically."
        )


def register(app: typer.Typer) -> None:
    app.command("import")(reporting_errors(import_file))
