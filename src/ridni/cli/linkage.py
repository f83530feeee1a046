"""``ridni link``, ``ridni link train`` and ``ridni dedupe``.

``link`` takes two positional files, and ``link train`` is a subcommand: Click cannot give one
group both. :class:`_LinkGroup` is a group whose own callback does the linking, and which hands
the arguments over to ``train`` when the first one is the word "train".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from typer._click.core import Command, Context  # Typer vendors its own Click

from ridni.cli.errors import RidniTyper

_console = Console(stderr=True)


class _LinkGroup(typer.core.TyperGroup):
    """A group that runs its own callback unless the first argument names a subcommand."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            ctx.meta["ridni_subcommand"] = True
            # The group's own LEFT/RIGHT/--out belong to linking, not to the subcommand.
            ctx._protected_args, ctx.args = args[:1], args[1:]
            return ctx.args
        ctx.meta["ridni_subcommand"] = False
        # Groups stop parsing at the first positional (it would name a subcommand); as a
        # plain command, options may come after LEFT and RIGHT.
        ctx.allow_interspersed_args = True
        return Command.parse_args(self, ctx, args)

    def invoke(self, ctx: Context) -> Any:
        if ctx.meta.get("ridni_subcommand"):
            return super().invoke(ctx)
        return Command.invoke(self, ctx)


@contextmanager
def _phases() -> Iterator[Callable[[str], None]]:
    """One Rich progress line per phase, each ticked off when the next one starts."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=_console,
        transient=False,
    ) as progress:
        current: list[Any] = []

        def start(name: str) -> None:
            if current:
                progress.update(current[-1], total=1, completed=1)
            current.append(progress.add_task(name, total=None))

        yield start
        if current:
            progress.update(current[-1], total=1, completed=1)


Backend = Annotated[
    str, typer.Option("--backend", help="Where Splink runs: duckdb (embedded) or spark.")
]
Model = Annotated[
    Path | None,
    typer.Option("--model", help="Model file from `ridni link train` (default: the shipped one)."),
]


def _notes(notes: list[str]) -> None:
    for note in notes:
        _console.print(f"[yellow]note:[/] {note}")


def register(app: typer.Typer) -> None:
    link_app = RidniTyper(
        cls=_LinkGroup,
        invoke_without_command=True,
        no_args_is_help=False,
        help="Link two lists of children: LEFT.csv RIGHT.csv --out PAIRS.csv.",
    )

    @link_app.callback(invoke_without_command=True)
    def link(
        ctx: typer.Context,
        left: Annotated[Path | None, typer.Argument(help="Records to find (CSV contract).")] = None,
        right: Annotated[
            Path | None, typer.Argument(help="Records to search (CSV contract).")
        ] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Pairs CSV to write.")] = None,
        backend: Backend = "duckdb",
        model: Model = None,
        one_to_one: Annotated[
            bool,
            typer.Option(
                "--one-to-one",
                help="Neither list names a child twice (e.g. both deduplicated): a pair's "
                "probability also weighs its records' other candidates; the pairwise one "
                "goes to a pairwise_probability column.",
            ),
        ] = False,
        top: Annotated[
            int,
            typer.Option(
                "--top",
                metavar="K",
                help="Also write each left record's K best candidates below 0.01: a child "
                "whose surname was changed may score low yet still rank first (e.g. --top 10).",
            ),
        ] = 0,
    ) -> None:
        """Score candidate pairs; write those with probability ≥ 0.01, best first per record.

        A pair is a predicted match at probability ≥ 0.5. Subcommand: `ridni link train`.
        """
        if ctx.invoked_subcommand is not None or ctx.meta.get("ridni_subcommand"):
            return
        if left is None or right is None or out is None:
            raise typer.BadParameter("give LEFT.csv RIGHT.csv --out PAIRS.csv")
        with _phases() as phase:
            from ridni.linkage.batch import link_files  # Splink and DuckDB: loaded to run

            summary = link_files(
                left,
                right,
                out,
                backend=backend,
                model=model,
                phase=phase,
                one_to_one=one_to_one,
                top=top,
            )
        _notes(summary.notes())
        _console.print(
            f"{summary.pairs} candidate pairs written to {out}; "
            f"{summary.matches} at probability ≥ 0.5"
        )

    @link_app.command("train")
    def train(
        left: Annotated[Path, typer.Argument(help="A list (CSV contract).")],
        right: Annotated[
            Path | None, typer.Argument(help="A second list; omit to train for dedupe.")
        ] = None,
        out: Annotated[Path, typer.Option("--out", help="Model file to write.")] = Path(
            "ridni-linkage-model.json"
        ),
        backend: Backend = "duckdb",
        seed: Annotated[int, typer.Option(help="Seed for the random pairs.")] = 42,
    ) -> None:
        """Re-estimate the model's parameters on your own lists, without labels."""
        with _phases() as phase:
            from ridni.linkage.batch import train_files

            parameters = train_files(left, right, out, backend=backend, seed=seed, phase=phase)
        _console.print(
            f"model written to {out} (match rate {parameters.match_rate:.2f}); "
            f"use it with --model {out}"
        )

    app.add_typer(link_app, name="link")

    @app.command("dedupe")
    def dedupe(
        path: Annotated[Path, typer.Argument(help="Records to deduplicate (CSV contract).")],
        out: Annotated[Path, typer.Option("--out", help="Clusters CSV to write.")],
        backend: Backend = "duckdb",
        model: Model = None,
        threshold: Annotated[
            float, typer.Option(help="Probability at which two records are joined.")
        ] = 0.5,
    ) -> None:
        """Group records describing the same child: record_id, cluster_id, probability."""
        with _phases() as phase:
            from ridni.linkage.batch import dedupe_file

            summary = dedupe_file(
                path, out, backend=backend, model=model, threshold=threshold, phase=phase
            )
        _notes(summary.notes())
        _console.print(f"{summary.clusters} clusters written to {out}")
