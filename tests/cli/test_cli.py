"""The `ridni` command: help everywhere, set-up, migrations, users and demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from ridni.accounts.models import Organisation, User
from ridni.cases.models import Child
from ridni.cli.main import app
from ridni.storage.engine import Database
from ridni.storage.migrate import head_revision

runner = CliRunner()
COMMANDS = [
    [],
    ["init"],
    ["serve"],
    ["db"],
    ["db", "upgrade"],
    ["db", "downgrade"],
    ["db", "current"],
    ["demo"],
    ["demo", "generate"],
    ["demo", "load"],
    ["users"],
    ["users", "add"],
    ["users", "list"],
    ["link"],
    ["link", "train"],
    ["dedupe"],
    ["cases"],
    ["cases", "list"],
    ["cases", "show"],
    ["tracing", "match"],
    ["review", "next"],
]


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ridni")
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("ridni 0.")


def test_init_creates_the_database_and_an_administrator(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["init", "--admin", "root", "--password-stdin"], input="a long enough password\n"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "ridni.sqlite3").is_file()
    listing = runner.invoke(app, ["users", "list"])
    assert "root" in listing.output and "system_admin" in listing.output


def test_init_twice_is_harmless() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["init"]).exit_code == 0


def test_db_upgrade_current_and_downgrade(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(empty_db))
    assert "database: empty" in runner.invoke(app, ["db", "current"]).output
    head = head_revision()  # the newest migration, whichever later work adds
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and f"empty → {head}" in upgraded.output
    assert f"database: {head}; this Ridni: {head}" in runner.invoke(app, ["db", "current"]).output
    downgraded = runner.invoke(app, ["db", "downgrade", "base"])
    assert downgraded.exit_code == 0 and f"{head} → empty" in downgraded.output
    unknown = runner.invoke(app, ["db", "upgrade", "nonexistent"])
    assert unknown.exit_code != 0


def test_users_add_with_roles_and_organisation(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    args = [
        "users",
        "add",
        "olena.k",
        "--role",
        "investigator",
        "--role",
        "analyst",
        "--organisation",
        "Synthetic NGO",
        "--name",
        "Olena K.",
        "--password-stdin",
    ]
    created = runner.invoke(app, args, input="a long enough password\n")
    assert created.exit_code == 0, created.output
    assert "investigator" in created.output and "analyst" in created.output
    again = runner.invoke(app, args, input="a long enough password\n")
    assert again.exit_code == 4
    assert "error: the username 'olena.k' is taken" in again.output
    weak = runner.invoke(app, ["users", "add", "taras", "--password-stdin"], input="short\n")
    assert weak.exit_code == 4 and "too short" in weak.output
    bad_role = runner.invoke(
        app,
        ["users", "add", "x1", "--role", "tsar", "--password-stdin"],
        input="a long enough password\n",
    )
    assert bad_role.exit_code == 2 and "tsar" in bad_role.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", "N" * 201, "the full name must be 1–200 characters (it is 201)"),
        ("--organisation", "O" * 3000, "organisation's name must be 1–200 characters"),
        ("--organisation", "\u200b\u200f", "organisation's name must be 1–200 characters"),
    ],
)
def test_users_add_refuses_a_name_too_long_or_invisible_in_one_line(
    db: Database, monkeypatch: pytest.MonkeyPatch, option: str, value: str, message: str
) -> None:
    # On PostgreSQL a name over its column ended in SQLAlchemy's DataError traceback (SQLite
    # stored it whole); an organisation of zero-width marks was created with no visible name.
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    args = ["users", "add", "mykola", option, value, "--password-stdin"]
    result = runner.invoke(app, args, input="a long enough password\n")
    assert result.exit_code == 4, result.output
    assert message in result.output and "Traceback" not in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_users_add_drops_a_terminal_escape_from_the_full_name(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    args = ["users", "add", "mykola", "--name", "Mykola\x1b[2J K.", "--password-stdin"]
    assert runner.invoke(app, args, input="a long enough password\n").exit_code == 0
    with db.session() as session:
        assert session.scalar(select(User.display_name)) == "Mykola[2J K."


def test_demo_generate_and_load(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", url_of(db))
    out = tmp_path / "synthetic"
    generated = runner.invoke(
        app, ["demo", "generate", "--children", "60", "--seed", "5", "--out", str(out)]
    )
    assert generated.exit_code == 0, generated.output
    assert "of 60 children" in generated.output
    assert {"family.csv", "registry.csv", "truth.csv", "README.txt"} <= {
        p.name for p in out.iterdir()
    }
    loaded = runner.invoke(app, ["demo", "load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    with db.session() as session:
        assert session.scalar(select(func.count(Child.id))) == 60
    missing = runner.invoke(app, ["demo", "load", str(tmp_path / "nothing")])
    assert missing.exit_code == 4 and "no synthetic dataset" in missing.output
