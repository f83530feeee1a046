"""`ridni demo`: a demonstration instance on synthetic data, and the synthetic data generator."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ridni.accounts.enums import RoleName
from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.output import out
from ridni.cli.serve import HOST_HELP, PORT_HELP, check_port_free, serve_app

if TYPE_CHECKING:  # the generator, the loader and the matching engine load when a command runs
    from ridni.demo.dataset import Dataset
    from ridni.storage.engine import Database
    from ridni.tracing.registry_index import RegistryIndex

app = RidniTyper(help="Demonstration on synthetic data.")
DEMO_USERS = (
    ("admin", "Demo Administrator", RoleName.system_admin),
    ("caseworker", "Demo Caseworker", RoleName.caseworker),
)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=False,
    )


def generate_with_progress(children: int, seed: int) -> Dataset:
    from ridni.demo.generator import generate

    with _progress() as progress:
        task = progress.add_task("Generating synthetic children", total=children)
        return generate(children, seed, lambda done: progress.update(task, completed=done))


def load_with_progress(db: Database, dataset: Dataset) -> None:
    from ridni.demo.loader import load_dataset

    phases = ("sources", "facilities", "children", "records", "movements", "returns")
    with _progress() as progress:
        task = progress.add_task("Loading into the database", total=len(phases))

        def phase(name: str, count: int) -> None:
            progress.update(task, advance=1, description=f"Loaded {count} {name}")

        load_dataset(db, dataset, phase)


def open_demo_requests(db: Database, index: RegistryIndex) -> None:
    """Every synthetic family report becomes a tracing request, matched against the lists."""
    from ridni.tracing.backfill import open_requests

    with _progress() as progress, db.session() as session:
        task = progress.add_task("Matching family reports against the registry", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        opened, found = open_requests(session, index, inquirer="Synthetic relative", progress=tick)
    out.print(f"{opened} tracing requests opened; {found} candidate matches to review.")


def _demo_users(db: Database) -> list[tuple[str, str]]:
    """Create the demo users, or give them new passwords; return (username, password)."""
    from sqlalchemy import select

    from ridni.accounts.models import Organisation, User
    from ridni.accounts.passwords import hash_password
    from ridni.accounts.service import create_user, ensure_roles
    from ridni.demo.generator import ORGANISATIONS

    credentials = []
    with db.session() as session:
        ensure_roles(session)
        organisation = session.scalar(
            select(Organisation).where(Organisation.name == ORGANISATIONS[0])
        )
        for username, name, role in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                create_user(
                    session,
                    username,
                    password,
                    roles=[role],
                    display_name=name,
                    organisation=organisation,
                )
            else:
                user.password_hash = hash_password(password)
            credentials.append((username, password))
    return credentials


@app.callback(invoke_without_command=True)
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", "-d", help="Keep the demo database here (default: a new temp folder)."
        ),
    ] = None,
    host: Annotated[str | None, typer.Option("--host", "-h", help=HOST_HELP)] = None,
    port: Annotated[
        int | None, typer.Option("--port", "-p", min=1, max=65535, help=PORT_HELP)
    ] = None,
    children: Annotated[
        int, typer.Option("--children", "-n", min=1, max=1_000_000, help="Synthetic children.")
    ] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same data.")] = 1,
) -> None:
    """Start Ridni on a fresh SQLite database filled with synthetic children.

    Prints the address and a demo login. With --dir, an existing demo database there is reused.
    """
    if ctx.invoked_subcommand is not None:
        return
    from sqlalchemy import func, select

    from ridni.cases.models import Child
    from ridni.demo.generator import ORGANISATIONS
    from ridni.security.keyfile import keys_in_folder
    from ridni.settings import load_settings
    from ridni.storage.engine import open_database
    from ridni.storage.migrate import upgrade

    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    check_port_free(host, port)
    folder = directory or Path(tempfile.mkdtemp(prefix="ridni-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{folder.resolve() / 'ridni.sqlite3'}")
    keys_in_folder(folder / "keys.json", db)
    upgrade(db)
    with db.session() as session:
        existing = session.scalar(select(func.count(Child.id))) or 0
    from ridni.tracing.registry_index import RegistryIndex  # the matching engine, loaded late

    index = RegistryIndex()
    if existing:
        out.print(f"Reusing the demo database in {folder} ({existing} children).")
    else:
        load_with_progress(db, generate_with_progress(children, seed))
        open_demo_requests(db, index)
    credentials = _demo_users(db)
    shown_host = f"[{host}]" if ":" in host else host
    lines = [f"Open [bold]http://{shown_host}:{port}/[/bold] and log in as:"]
    lines += [f"  user [bold]{u}[/bold]   password [bold]{p}[/bold]" for u, p in credentials]
    lines.append("The administrator enrols an authenticator app (TOTP) at first login.")
    lines.append("Every child, family and facility in this database is synthetic.")
    out.print(Panel("\n".join(lines), title="Ridni demo", expand=False))
    # Public reports land with the demo caseworker's organisation, so they can be reviewed.
    # Evidence, report photos and import uploads go beside the demo database, not into the
    # configured data directory.
    demo_settings = settings.model_copy(
        update={
            "intake_organisation": ORGANISATIONS[0],
            "data_dir": folder.resolve(),
            "key_file": folder.resolve() / "keys.json",
        }
    )
    serve_app(demo_settings, db, host, port, demo=True, registry_index=index)


@app.command("generate")
def generate_command(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the CSV files to.")],
    children: Annotated[
        int, typer.Option("--children", "-n", min=1, max=1_000_000, help="How many children.")
    ] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same files.")] = 1,
    load: Annotated[
        bool, typer.Option("--load", help="Also load them into the configured database.")
    ] = False,
) -> None:
    """Write a synthetic dataset: the linkage CSVs (family.csv, registry.csv) and the entities."""
    from ridni.demo.dataset import write_dataset

    dataset = generate_with_progress(children, seed)
    written = write_dataset(dataset, out_dir)
    out.print(
        f"Wrote {len(written)} files to {out_dir}: {len(dataset.family)} family-side and "
        f"{len(dataset.registry)} registry-side records of {len(dataset.children)} children."
    )
    if load:
        with opened_database() as (_settings, db):
            load_with_progress(db, dataset)


@app.command("load")
def load_command(
    directory: Annotated[Path, typer.Argument(help="A folder written by `ridni demo generate`.")],
) -> None:
    """Load a synthetic dataset folder into the configured database."""
    from ridni.demo.dataset import read_dataset

    dataset = read_dataset(directory)
    with opened_database() as (_settings, db):
        load_with_progress(db, dataset)
    out.print(f"Loaded {len(dataset.children)} synthetic children from {directory}.")
