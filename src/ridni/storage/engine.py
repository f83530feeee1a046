"""Opening the database: engine, sessions, and failures turned into clear messages."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from ridni.errors import DatabaseError
from ridni.security.encryption import attach
from ridni.security.keys import KeyRing


@dataclass(frozen=True)
class Database:
    """An engine and the session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite database's file (None for PostgreSQL or an in-memory database)."""
        return _sqlite_path(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A short session that writes after reading (the audit chain's append): on SQLite it
        holds the write lock from its start, so no other commit can slip in between."""
        with self.engine.connect() as connection:
            # connection.info lives as long as the pooled connection: unmark it even on error,
            # or every later transaction on it would take the write lock from its start.
            connection.info[WRITE_FIRST] = True
            try:
                with Session(bind=connection) as session, session.begin():
                    yield session
            except BaseException as exc:
                if by_ctrl_c(exc):
                    # Ctrl-C cut a statement mid-way (a COPY on PostgreSQL): the connection
                    # cannot even roll back ("another command is already in progress"), and
                    # the pool's reset would print that as a traceback. Close it instead;
                    # nothing of the transaction was committed.
                    connection.invalidate()
                raise
            finally:
                connection.info[WRITE_FIRST] = False

    def dispose(self) -> None:
        self.engine.dispose()

    def use_keys(self, keyring: KeyRing) -> None:
        attach(self.engine.dialect, keyring)


def by_ctrl_c(exc: BaseException | None) -> bool:
    """Whether Ctrl-C is behind ``exc``: it may surface as the driver's own error, when it
    came mid-statement and the rollback then found the connection still busy (psycopg)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def safe_url(url: URL | str) -> str:
    """The URL with any password hidden, for messages."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


def _sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # SQLAlchemy's events, not the driver, start transactions (see _begin), so savepoints work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the web server read while an import writes; foreign keys are off by default.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


WRITE_FIRST = "ridni_write_first"

# Statements that only read. Anything else (INSERT, UPDATE, DELETE, DDL, SAVEPOINT, PRAGMA, …)
# first opens the transaction with BEGIN IMMEDIATE, so a statement not recognised here is only
# ever run inside a transaction (too early a lock, never a lost atomicity).
_READS = re.compile(r"\s*(SELECT|VALUES|EXPLAIN)\b", re.IGNORECASE)
_CTE = re.compile(r"\s*WITH\b", re.IGNORECASE)
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|END|ROLLBACK|RELEASE)\b", re.IGNORECASE)


def _reads_only(statement: str) -> bool:
    if _READS.match(statement):
        return True
    return bool(_CTE.match(statement)) and not _WRITES.search(statement)


def _begin(connection: Connection) -> None:
    """Start SQLite transactions IMMEDIATE — taking the write lock, waiting for it up to the
    busy timeout — on connections marked :data:`WRITE_FIRST`; on others, not yet: see
    :func:`_before_cursor_execute`.

    A deferred ``BEGIN`` would let a transaction read and then try to write, and SQLite cannot
    turn a reader into the writer once another connection has committed since its first read
    (or holds the write lock): the write fails at once with "database is locked", without
    waiting — the busy timeout does not apply. In the web app every request commits its audit
    event, so a report or a login that read before writing failed whenever another request's
    commit fell in between."""
    if connection.info.get(WRITE_FIRST, False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _before_cursor_execute(
    connection: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    """Open the SQLite transaction at its first statement that is not a plain read, with
    ``BEGIN IMMEDIATE``: reads before it run each on its own snapshot (as under PostgreSQL's
    READ COMMITTED), and from the first write on the transaction holds the write lock, so
    it never has to upgrade a read snapshot. Savepoints and DDL begin it too, so they stay
    transactional (pysqlite's own implicit BEGIN skips them)."""
    if not connection.in_transaction():
        return
    driver = connection.connection.driver_connection
    if driver is None or driver.in_transaction:
        return
    if _reads_only(statement) or _CONTROL.match(statement):
        return
    driver.execute("BEGIN IMMEDIATE")


def create_database_engine(url_text: str, *, create_dirs: bool = False, **kwargs: Any) -> Engine:
    """Build an engine for ``url_text``; raise :class:`DatabaseError` for unusable URLs."""
    try:
        url = make_url(url_text)
    except ArgumentError:
        raise DatabaseError(
            f"RIDNI_DATABASE_URL is not a database URL: {url_text!r}",
            "use e.g. sqlite:////path/ridni.sqlite3 or postgresql+psycopg://user@host/db",
        ) from None
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    path = _sqlite_path(url)
    if path is not None:
        if create_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise DatabaseError(
                f"the directory of the SQLite database {path} does not exist",
                "create it, or point RIDNI_DATABASE_URL elsewhere",
            )
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"unsupported database URL {safe_url(url)}: {exc}",
            "Ridni runs on SQLite and PostgreSQL (postgresql+psycopg://…)",
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _begin)
        event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    elif engine.dialect.name != "postgresql":
        raise DatabaseError(
            f"unsupported database {engine.dialect.name!r} in {safe_url(url)}",
            "Ridni runs on SQLite and PostgreSQL",
        )
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once and read the catalogue, so a bad URL or a corrupt file fails here, clearly."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(text("SELECT count(*) FROM sqlite_master"))
            else:
                connection.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise _explain(engine, exc) from None


def _explain(engine: Engine, exc: DBAPIError) -> DatabaseError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    where = safe_url(engine.url)
    if engine.dialect.name == "sqlite":
        if "not a database" in detail or "malformed" in detail:
            return DatabaseError(
                f"{engine.url.database} is not a usable SQLite database ({detail})",
                "restore it from a backup, or move it away and run `ridni init` for a new one",
            )
        return DatabaseError(
            f"cannot open SQLite database {engine.url.database}: {detail}",
            "check the file's permissions and RIDNI_DATABASE_URL",
        )
    return DatabaseError(
        f"cannot connect to {where}: {detail}",
        "check RIDNI_DATABASE_URL and that the database server is running",
    )


def open_database(
    url_text: str,
    *,
    create_dirs: bool = False,
    keyring: KeyRing | None = None,
    **engine_kwargs: Any,
) -> Database:
    """Open and check a database; never returns an engine that cannot connect.

    ``keyring`` decrypts and encrypts personal data; it can also be attached later
    (:meth:`Database.use_keys`), once settings say where the key file is."""
    import ridni.models  # noqa: F401  (every mapper must exist before the first query)

    engine = create_database_engine(url_text, create_dirs=create_dirs, **engine_kwargs)
    try:
        check_connection(engine)
    except DatabaseError:
        engine.dispose()
        raise
    attach(engine.dialect, keyring)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    return Database(engine=engine, sessions=sessions)
