"""Encryption at rest: a copy of the database alone gives away no child's name or family's phone."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from ridni.cases.models import Child, Record
from ridni.cases.service import search_children
from ridni.cli.main import app
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.errors import DatabaseError
from ridni.movements.models import Movement
from ridni.security.keys import KeyRing
from ridni.storage.engine import Database, open_database
from ridni.storage.migrate import downgrade, upgrade
from ridni.tracing.intake import receive
from ridni.tracing.models import Channel
from ridni.tracing.report_form import validate
from tests.helpers import TEST_KEYS
from tests.tracing.conftest import REPORT

PHONE = "+380 67 123 4567"
# A synthetic home address: where a child was taken from identifies a family too.
TAKEN_FROM = "Синтетичне, вул. Тестова 7"


def _fill(db: Database) -> list[str]:
    """Synthetic children and a family report; returns strings that must never be in the file."""
    data = generate(120, seed=9)
    load_dataset(db, data)
    report = validate({**REPORT, "inquirer_contact": PHONE, "taken_from": TAKEN_FROM}).report
    assert report is not None
    with db.session() as session:
        receive(session, report, channel=Channel.public_form)
    secrets = {c.family_name for c in data.children if len(c.family_name) >= 6}
    secrets |= {row.family_name for row in data.registry if len(row.family_name) >= 6}
    return [*sorted(secrets), PHONE, TAKEN_FROM, REPORT["inquirer_name"], "Миколайович"]


def test_an_sqlite_file_holds_no_name_or_phone_in_plaintext(empty_sqlite: Database) -> None:
    upgrade(empty_sqlite)
    secrets = _fill(empty_sqlite)
    path = Path(str(empty_sqlite.url.database))
    empty_sqlite.dispose()
    with sqlite3.connect(path) as raw_connection:  # fold the write-ahead log into the file
        raw_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    leaked = [s for s in secrets if s.encode("utf-8") in raw]
    assert leaked == []
    with empty_sqlite.session() as session:  # and with the keys, everything reads back
        assert session.scalars(select(Child.family_name)).first()


def test_a_postgresql_dump_holds_no_name_or_phone_in_plaintext(empty_postgres: Database) -> None:
    upgrade(empty_postgres)
    secrets = _fill(empty_postgres)
    schema = empty_postgres.url.query["options"].split("=", 1)[1]  # type: ignore[union-attr]
    dump = subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-n", schema],
        capture_output=True,
        check=True,
    ).stdout
    assert len(dump) > 10_000
    assert [s for s in secrets if s.encode("utf-8") in dump] == []


def test_names_are_found_through_the_blind_index_in_any_script(db: Database) -> None:
    report = validate(REPORT).report
    assert report is not None
    with db.session() as session:
        receive(session, report, channel=Channel.public_form)
    with db.session() as session:
        for query in ("Aleksandr Shevchenko", "Олександр Шевченко", "шевченко", "Oleksandr"):
            assert search_children(session, query).total == 1, query
        assert search_children(session, "Шевч").total == 0, "whole words only"


def test_a_tampered_value_fails_its_integrity_check(db: Database) -> None:
    report = validate(REPORT).report
    assert report is not None
    with db.session() as session:
        received = receive(session, report, channel=Channel.public_form)
        record_id = received.trace.record_id
    with db.engine.begin() as connection:
        stored = connection.execute(
            text("SELECT family_name FROM records WHERE id = :id"), {"id": record_id}
        ).scalar_one()
        forged = stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB==")
        connection.execute(
            text("UPDATE records SET family_name = :v WHERE id = :id"),
            {"v": forged, "id": record_id},
        )
    with pytest.raises(DatabaseError, match="failed its integrity check"), db.session() as session:
        session.get(Record, record_id).family_name  # noqa: B018


def test_other_keys_cannot_read_the_data(db: Database) -> None:
    report = validate(REPORT).report
    assert report is not None
    with db.session() as session:
        receive(session, report, channel=Channel.public_form)
    stranger = open_database(
        db.url.render_as_string(hide_password=False), keyring=KeyRing.generate()
    )
    try:
        with pytest.raises(DatabaseError, match="another key file"), stranger.session() as session:
            session.scalars(select(Child.family_name)).all()
    finally:
        stranger.dispose()


def test_migrating_an_unencrypted_database_encrypts_it(empty_sqlite: Database) -> None:
    upgrade(empty_sqlite, "0005")
    with empty_sqlite.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (id, title, kind, reliability, notes, created_at, updated_at) "
                "VALUES (1, 'List (synthetic)', 'camp_list', 'C', '', '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO records (id, source_id, source_ref, kind, given_name, family_name, "
                "name_script, details, name_key, created_at, consent_share) VALUES "
                "(1, 1, 'r1', 'camp_list', 'Александр', 'Шевченко', 'cyrillic', '', '', "
                "'2026-01-01', 1)"
            )
        )
    upgrade(empty_sqlite)
    with empty_sqlite.engine.connect() as connection:
        stored = connection.execute(text("SELECT family_name FROM records")).scalar_one()
    assert stored.startswith("v1:") and "Шевченко" not in stored
    with empty_sqlite.session() as session:
        assert session.scalars(select(Record.family_name)).one() == "Шевченко"
    downgrade(empty_sqlite, "0005")
    with empty_sqlite.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT family_name FROM records")).scalar_one() == "Шевченко"
        )
        assert "shevchenko" in connection.execute(text("SELECT name_key FROM records")).scalar_one()


def test_migrating_encrypts_the_places_of_existing_movements(empty_sqlite: Database) -> None:
    upgrade(empty_sqlite, "0008")
    with empty_sqlite.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO children (id, sex, status, russian_citizenship_imposed, "
                "adopted_or_guardianship_in_russia, consent_tracing, consent_share, notes, "
                "version, created_at, updated_at) VALUES (1, 'm', 'reported', 0, 0, 1, 1, '', 1, "
                "'2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO movements (id, child_id, sequence, kind, from_place, to_place, notes, "
                "version, created_at, updated_at) VALUES (1, 1, 1, 'taken', :home, 'Таганрог', "
                "'', 1, '2026-01-01', '2026-01-01')"
            ),
            {"home": TAKEN_FROM},
        )
    upgrade(empty_sqlite)
    with empty_sqlite.engine.connect() as connection:
        stored = connection.execute(text("SELECT from_place, to_place FROM movements")).one()
    assert all(value.startswith("v1:") for value in stored)
    with empty_sqlite.session() as session:
        movement = session.get(Movement, 1)
        assert movement is not None
        assert (movement.from_place, movement.to_place) == (TAKEN_FROM, "Таганрог")
    downgrade(empty_sqlite, "0008")
    with empty_sqlite.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT from_place FROM movements")).scalar_one() == TAKEN_FROM
        )


def test_keys_rotate_then_retire(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "keys.json"
    key_file.write_text(TEST_KEYS.to_json())
    monkeypatch.delenv("RIDNI_KEYS")
    monkeypatch.setenv("RIDNI_KEY_FILE", str(key_file))
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    report = validate(REPORT).report
    assert report is not None
    with db.session() as session:
        receive(session, report, channel=Channel.public_form)
    runner = CliRunner()
    early = runner.invoke(app, ["keys", "retire"])
    assert early.exit_code == 0, early.output  # nothing uses another key yet
    rotated = runner.invoke(app, ["keys", "rotate", "--blind-index"])
    assert rotated.exit_code == 0, rotated.output
    assert "New primary key k2" in rotated.output
    shown = runner.invoke(app, ["keys", "show"])
    assert "k1  unused" in shown.output and "k2  primary, in use" in shown.output
    assert runner.invoke(app, ["keys", "retire"]).exit_code == 0
    ring = KeyRing.from_json(key_file.read_text(), "test")
    assert set(ring.data_keys) == {"k2"} and ring.blind_index_key != TEST_KEYS.blind_index_key
    listed = runner.invoke(app, ["cases", "list", "Aleksandr Shevchenko"])
    assert "1 children" in listed.output, "search works with the new blind-index key"
    assert runner.invoke(app, ["keys", "init"]).exit_code == 4, "never overwrite a key file"


def test_a_database_with_data_and_no_key_file_is_refused(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = validate(REPORT).report
    assert report is not None
    with db.session() as session:
        receive(session, report, channel=Channel.public_form)
    monkeypatch.delenv("RIDNI_KEYS")
    monkeypatch.setenv("RIDNI_KEY_FILE", str(tmp_path / "lost.json"))
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["cases", "list"])
    assert result.exit_code == 2
    assert "the key file" in result.output and "is missing" in result.output
