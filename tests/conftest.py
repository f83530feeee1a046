"""The shared test harness.

Storage-touching tests ask for the ``db`` fixture and run once per backend: SQLite always, and
PostgreSQL where a server is reachable (in CI it must be: a missing server fails the run instead
of skipping). Each run uses its own PostgreSQL schema, so parallel runs never see each other.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from ridni.accounts import passwords
from ridni.accounts.models import RoleName
from ridni.settings import load_settings
from ridni.storage.base import Base
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import upgrade
from ridni.web.app import create_app
from tests.helpers import TEST_KEYS, login, make_user

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get(
    "RIDNI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")
DEFAULT_CSV_FIELD_LIMIT = 131_072  # the csv module's own, which Ridni never changes


def unavailable(reason: str) -> None:
    """Skip outside CI; under CI=true a missing service is a failure, not a skip."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Iterator[None]:
    """Still argon2id, at the lowest cost: tests check behaviour, not the hash's strength
    (tests/accounts checks that production hashes use the library's recommended cost)."""
    strong = passwords._HASHER
    passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._HASHER = strong


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's settings or writes to ~/.local/share."""
    for name in list(os.environ):
        if name.startswith("RIDNI_") and not name.startswith("RIDNI_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RIDNI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RIDNI_KEYS", TEST_KEYS.to_json())
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _csv_field_limit() -> Iterator[None]:
    """Every test reads CSV with the csv module's default field limit, as Ridni does:
    followthemoney (a test extra, imported by the FtM export test) raises the process-wide
    limit to 30 MB when it is imported, which hid the import's own 'field runs on' refusal."""
    limit = csv.field_size_limit(DEFAULT_CSV_FIELD_LIMIT)
    yield
    csv.field_size_limit(limit)


# -- backends -------------------------------------------------------------------------------------


class PostgresServer:
    """A schema of its own on the test server, created once per test run."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.admin = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        try:
            with self.admin.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            self.error = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        self.schemas: list[str] = []

    def new_schema(self) -> str:
        name = f"ridni_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        self.schemas.append(name)
        return name

    def url(self, schema: str) -> str:
        """A URL whose connections see only ``schema`` (usable by subprocesses too)."""
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"

    def open(self, schema: str) -> Database:
        return open_database(self.url(schema), keyring=TEST_KEYS)

    def drop_all(self) -> None:
        with self.admin.begin() as connection:
            for name in self.schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    if server.error is None:
        server.drop_all()


@pytest.fixture(scope="session")
def _migrated(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> Iterator[dict[str, Database]]:
    """One migrated database per backend for the whole run; opened lazily."""
    opened: dict[str, Database] = {}
    yield opened
    for db in opened.values():
        db.dispose()


def _open_backend(
    backend: str,
    migrated: dict[str, Database],
    server: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Database:
    if backend in migrated:
        return migrated[backend]
    db = fresh_database(backend, server, tmp_path_factory.mktemp("sqlite"))
    upgrade(db)
    migrated[backend] = db
    return db


def fresh_database(backend: str, server: PostgresServer, folder: Path) -> Database:
    """An empty database (no tables) on ``backend``."""
    if backend == "sqlite":
        return open_database(f"sqlite:///{folder / 'ridni.sqlite3'}", keyring=TEST_KEYS)
    if server.error is not None:
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}: {server.error}")
    return server.open(server.new_schema())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _empty_tables(db: Database) -> None:
    # DELETE, not TRUNCATE: on a few rows it is several times faster on PostgreSQL.
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def db(
    backend: str,
    _migrated: dict[str, Database],
    postgres_server: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Database]:
    """A migrated, empty database on each backend; emptied again after the test."""
    database = _open_backend(backend, _migrated, postgres_server, tmp_path_factory)
    yield database
    _empty_tables(database)


@pytest.fixture
def empty_db(backend: str, postgres_server: PostgresServer, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all, for migration tests."""
    database = fresh_database(backend, postgres_server, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def empty_postgres(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[Database]:
    """An empty PostgreSQL schema, for behaviour that exists only on the server backend."""
    database = fresh_database("postgresql", postgres_server, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'ridni.sqlite3'}", keyring=TEST_KEYS)
    yield database
    database.dispose()


# -- reporting ------------------------------------------------------------------------------------

_outcomes: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for name in BACKENDS:
            if f"[{name}" in report.nodeid:
                _outcomes[(name, report.outcome)] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("tests per storage backend")
    for name in BACKENDS:
        counts = ", ".join(
            f"{_outcomes[(name, outcome)]} {outcome}" for outcome in ("passed", "failed", "skipped")
        )
        terminalreporter.write_line(f"{name}: {counts}")


# -- web ------------------------------------------------------------------------------------------


@pytest.fixture
def app(db: Database) -> FastAPI:
    return create_app(load_settings(), db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def investigator(client: TestClient, db: Database) -> TestClient:
    """The client, signed in as a user with the investigator role (pages in English, the
    default, unless the test sets the language or asks for :func:`in_ukrainian`)."""
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    login(client, "investigator")
    return client


@pytest.fixture
def in_ukrainian(client: TestClient) -> None:
    """Pages in Ukrainian: for a module's tests of what a reader sees, by
    ``pytestmark = pytest.mark.usefixtures("in_ukrainian")``."""
    client.cookies.set("ridni_lang", "uk")
