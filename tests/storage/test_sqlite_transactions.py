"""SQLite transactions that read before they write do not fail when other sessions commit.

Every web request commits its audit event, so a family's report or a login — each reads, then
writes — used to fail with "database is locked" (at once, the busy timeout did not apply)
whenever another request committed between its first read and its first write."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from ridni.storage.engine import WRITE_FIRST, Database, create_database_engine, open_database


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'ridni.sqlite3'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO notes (body) VALUES ('seed')"))
    yield database
    database.dispose()


def _count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM notes")).scalar_one())


def _add(session: Session, body: str) -> None:
    session.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})


def _write_lock_is_free(path: str | None) -> bool:
    probe = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def test_a_session_that_read_can_write_after_another_commit(sqlite_db: Database) -> None:
    with sqlite_db.session() as report:
        assert _count(report) == 1  # e.g. the intake organisation looked up
        with sqlite_db.write_session() as audit:  # another request's audit event
            _add(audit, "audit")
        _add(report, "report")  # used to fail: database is locked
    with sqlite_db.session() as session:
        assert _count(session) == 3


def test_concurrent_read_then_write_sessions_all_commit(sqlite_db: Database) -> None:
    failures: list[BaseException] = []
    done = [0]
    stop = time.monotonic() + 1.0

    def request() -> None:
        while time.monotonic() < stop:
            try:
                with sqlite_db.session() as session:
                    _count(session)
                    time.sleep(0.002)  # work between the read and the write (a password check)
                    _add(session, "request")
                done[0] += 1
            except BaseException as exc:  # collected, asserted below
                failures.append(exc)
                return

    def audit() -> None:
        while time.monotonic() < stop:
            with sqlite_db.write_session() as session:
                _add(session, "audit")
            time.sleep(0.001)

    threads = [threading.Thread(target=request) for _ in range(3)]
    threads.append(threading.Thread(target=audit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert done[0] > 0


def test_a_write_waits_for_the_writer_ahead_of_it(sqlite_db: Database) -> None:
    holding = threading.Event()

    def slow_writer() -> None:
        with sqlite_db.write_session() as session:
            _add(session, "slow")
            holding.set()
            time.sleep(0.5)

    writer = threading.Thread(target=slow_writer)
    with sqlite_db.session() as session:
        _count(session)
        writer.start()
        assert holding.wait(5)
        _add(session, "patient")  # waits (busy timeout) instead of failing at once
    writer.join()
    with sqlite_db.session() as session:
        assert _count(session) == 3


def test_reading_takes_no_write_lock_and_writing_holds_it_to_the_end(
    sqlite_db: Database,
) -> None:
    path = sqlite_db.url.database
    with sqlite_db.session() as session:
        _count(session)
        assert _write_lock_is_free(path)
        _add(session, "mine")
        assert not _write_lock_is_free(path)
        _count(session)
        assert not _write_lock_is_free(path)
    assert _write_lock_is_free(path)


class Refused(Exception):
    """What a handler raises in these tests."""


def _fail_after_two_writes(db: Database) -> None:
    with db.session() as session:
        _add(session, "one")
        _add(session, "two")
        raise Refused


def test_a_failed_session_writes_nothing(sqlite_db: Database) -> None:
    with pytest.raises(Refused):
        _fail_after_two_writes(sqlite_db)
    with sqlite_db.session() as session:
        assert _count(session) == 1


def _refuse_in_a_savepoint(session: Session) -> None:
    with session.begin_nested():  # the session's first statement: nothing written yet
        _add(session, "refused")
        raise Refused


def _keep_one_then_fail(db: Database, kept: list[int]) -> None:
    with db.session() as session:
        with pytest.raises(Refused):
            _refuse_in_a_savepoint(session)
        _add(session, "kept")
        kept.append(_count(session))
        raise RuntimeError


def test_a_savepoint_opened_before_any_write_stays_transactional(sqlite_db: Database) -> None:
    kept: list[int] = []
    with pytest.raises(RuntimeError):
        _keep_one_then_fail(sqlite_db, kept)
    assert kept == [2]  # the savepoint's row rolled back, the session's own row was there
    with sqlite_db.session() as session:
        assert session.execute(text("SELECT body FROM notes")).scalars().all() == ["seed"]


def _create_then_fail(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        raise Refused


def test_ddl_rolls_back_with_its_transaction(sqlite_db: Database) -> None:
    with pytest.raises(Refused):
        _create_then_fail(sqlite_db)
    with sqlite_db.engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    assert "scratch" not in names


def _append_then_fail(db: Database) -> None:
    with db.write_session() as session:
        _add(session, "lost")
        raise Refused


def test_a_failed_write_session_does_not_leave_its_connection_marked(
    sqlite_db: Database,
) -> None:
    with pytest.raises(Refused):
        _append_then_fail(sqlite_db)
    with sqlite_db.engine.connect() as connection:
        assert not connection.info.get(WRITE_FIRST, False)
        assert _write_lock_is_free(sqlite_db.url.database)


def test_postgresql_engines_get_no_sqlite_transaction_hooks() -> None:
    engine = create_database_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    assert len(engine.dispatch.begin) == 0
    assert len(engine.dispatch.before_cursor_execute) == 0
    engine.dispose()
