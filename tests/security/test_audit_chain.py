"""The audit chain detects each kind of tampering and names the event."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from ridni.audit.chain import record, verify
from ridni.cli.main import app
from ridni.storage.engine import Database


@pytest.fixture
def chain(db: Database) -> list[int]:
    with db.session() as session:
        ids = [
            record(
                session,
                f"read.child.{n}",
                actor="olena",
                entity_type="child",
                entity_id=str(n),
                ip_address="127.0.0.1",
                reason="tracing",
            ).id
            for n in range(1, 6)
        ]
    with db.session() as session:
        assert verify(session) == (5, [])
    return ids


def _problems(db: Database) -> list[tuple[int | None, str]]:
    with db.session() as session:
        _count, problems = verify(session)
    return [(p.event_id, p.kind) for p in problems]


def test_an_intact_chain_verifies(chain: list[int], db: Database) -> None:
    assert _problems(db) == []


def test_a_modified_event_is_named(chain: list[int], db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET action = 'nothing.happened' WHERE id = :id"),
            {"id": chain[2]},
        )
    assert _problems(db) == [(chain[2], "modified")]


def test_a_deleted_event_is_named(chain: list[int], db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": chain[1]})
    assert _problems(db) == [(chain[2], "deleted")]


def test_deleting_the_newest_events_is_seen(chain: list[int], db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id >= :id"), {"id": chain[3]})
    assert _problems(db) == [(chain[2], "truncated")]


def test_an_inserted_event_is_named(chain: list[int], db: Database) -> None:
    with db.engine.begin() as connection:
        row = (
            connection.execute(text("SELECT * FROM audit_events WHERE id = :id"), {"id": chain[1]})
            .mappings()
            .one()
        )
        forged = {**row, "id": 1000, "action": "forged", "hash": "0" * 64}
        connection.execute(
            text(
                "INSERT INTO audit_events (id, at, user_id, actor, action, entity_type, entity_id, "
                "ip_address, reason, detail, prev_hash, hash) VALUES (:id, :at, :user_id, :actor, "
                ":action, :entity_type, :entity_id, :ip_address, :reason, :detail, :prev_hash, "
                ":hash)"
            ),
            {**forged, "detail": "{}"},
        )
    assert (1000, "inserted") in _problems(db)


def test_reordered_events_are_named(chain: list[int], db: Database) -> None:
    a, b = chain[1], chain[2]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET id = 9000 WHERE id = :id"), {"id": a})
        connection.execute(text("UPDATE audit_events SET id = :a WHERE id = :b"), {"a": a, "b": b})
        connection.execute(text("UPDATE audit_events SET id = :b WHERE id = 9000"), {"b": b})
    problems = _problems(db)
    assert {kind for _id, kind in problems} == {"reordered"}
    assert {event_id for event_id, _kind in problems} >= {a, b}


def test_ridni_audit_verify_reports_and_fails(
    chain: list[int], db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "5 events checked, chain intact" in ok.output
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET actor = 'someone' WHERE id = :id"), {"id": chain[0]}
        )
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 8
    assert f"event {chain[0]} was changed after it was written" in bad.output


def test_events_appended_while_the_chain_is_checked_are_not_a_truncation(
    chain: list[int], db: Database
) -> None:
    """Others keep working while an administrator opens the audit page: an event appended
    between verify's reads of the chain head and of the events is no tampering."""
    from sqlalchemy import event

    reads = []

    def append_before_the_second_read(_state: object) -> None:
        reads.append(1)
        if len(reads) == 2:
            with db.session() as other:
                record(other, "read.child.6", actor="petro", entity_type="child", entity_id="6")

    with db.session() as session:
        event.listen(session, "do_orm_execute", append_before_the_second_read)
        checked, problems = verify(session)
    assert len(reads) >= 2
    assert problems == []
    assert checked in (5, 6)
    assert _problems(db) == []
