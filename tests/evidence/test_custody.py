"""Originals are immutable and the custody log is tamper-evident: `verify` names any change."""

from __future__ import annotations

import io
import stat

import pytest
from sqlalchemy import delete, func, select, update

from ridni.errors import InputError
from ridni.evidence.models import CustodyAction, CustodyEvent, Evidence, EvidenceKind, FileRole
from ridni.evidence.service import EvidenceIn, Upload, collect, get_evidence, record, verify
from ridni.evidence.store import EvidenceStore
from ridni.storage.engine import Database
from tests.evidence.conftest import PDF, add_item


def _problems(db: Database, store: EvidenceStore) -> list[str]:
    with db.session() as session:
        return verify(session, store).problems


def _logged(db: Database, store: EvidenceStore) -> int:
    evidence_id = add_item(db, store)
    with db.session() as session:
        record(session, evidence_id, CustodyAction.viewed, actor="analyst", reason="read it")
        record(session, evidence_id, CustodyAction.analysed, actor="analyst", reason="names listed")
    return evidence_id


def test_the_original_is_stored_read_only_under_its_hash(
    db: Database, store: EvidenceStore
) -> None:
    evidence_id = add_item(db, store)
    with db.session() as session:
        evidence = get_evidence(session, evidence_id)
        path = store.path_of(evidence.files[0].stored_path)
        assert evidence.sha256 in path.name
        assert PDF not in path.read_bytes(), "encrypted at rest"
        assert b"".join(store.read(evidence.files[0].stored_path)) == PDF
        assert not path.stat().st_mode & stat.S_IWUSR
        assert [e.action for e in evidence.custody] == [CustodyAction.collected]
        copy = store.working_copy(evidence.files[0].stored_path, evidence.id, "list.pdf")
        assert copy != path and "working" in str(copy)
        assert copy.read_bytes() == PDF
    assert _problems(db, store) == []


def test_a_changed_file_is_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = add_item(db, store)
    with db.session() as session:
        path = store.path_of(get_evidence(session, evidence_id).files[0].stored_path)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(PDF + b"edited")
    assert (
        _problems(db, store)
        == [
            f"evidence #{evidence_id}: list.pdf has changed (SHA-256 "
            f"{store.hash_of(str(path.relative_to(store.root.parent)))[:12]}…, "  # type: ignore[index]
            f"recorded {_sha(db, evidence_id)[:12]}…)"
        ]
    )
    path.unlink()
    assert _problems(db, store) == [f"evidence #{evidence_id}: list.pdf is missing"]


def _sha(db: Database, evidence_id: int) -> str:
    with db.session() as session:
        return str(session.get(Evidence, evidence_id).sha256)  # type: ignore[union-attr]


def _entries(db: Database, evidence_id: int) -> list[int]:
    with db.session() as session:
        return list(
            session.scalars(
                select(CustodyEvent.id)
                .where(CustodyEvent.evidence_id == evidence_id)
                .order_by(CustodyEvent.id)
            )
        )


def test_an_edited_entry_is_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = _logged(db, store)
    second = _entries(db, evidence_id)[1]
    with db.session() as session:
        session.execute(
            update(CustodyEvent).where(CustodyEvent.id == second).values(actor="someone else")
        )
    where = f"evidence #{evidence_id}, custody entry 2 (#{second})"
    assert _problems(db, store) == [f"{where}: its content was changed after it was written"]


def test_a_deleted_entry_is_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = _logged(db, store)
    _first, second, third = _entries(db, evidence_id)
    with db.session() as session:
        session.execute(delete(CustodyEvent).where(CustodyEvent.id == second))
    where = f"evidence #{evidence_id}, custody entry 2 (#{third})"
    assert _problems(db, store) == [
        f"{where}: does not follow the entry before it (deleted or reordered)"
    ]


def test_a_deleted_newest_entry_is_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = _logged(db, store)
    with db.session() as session:
        session.execute(
            delete(CustodyEvent).where(CustodyEvent.id == _entries(db, evidence_id)[-1])
        )
    assert _problems(db, store) == [f"evidence #{evidence_id}: the newest custody entry is missing"]


def test_reordered_entries_are_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = _logged(db, store)
    _first, second, third = _entries(db, evidence_id)
    with db.session() as session:
        rows = {
            e.id: (e.action, e.reason, e.prev_hash, e.hash)
            for e in session.scalars(
                select(CustodyEvent).where(CustodyEvent.id.in_([second, third]))
            )
        }
        for target, origin in ((second, third), (third, second)):
            action, reason, prev, digest = rows[origin]
            session.execute(
                update(CustodyEvent)
                .where(CustodyEvent.id == target)
                .values(action=action, reason=reason, prev_hash=prev, hash=digest)
            )
    problems = _problems(db, store)
    assert any("deleted or reordered" in p for p in problems), problems


def test_a_rewritten_file_hash_in_the_database_is_named(db: Database, store: EvidenceStore) -> None:
    evidence_id = add_item(db, store)
    with db.session() as session:
        evidence = get_evidence(session, evidence_id)
        evidence.files[0].sha256 = "0" * 64
    problems = _problems(db, store)
    assert (
        f"evidence #{evidence_id}: the recorded file hashes differ from those collected" in problems
    )


def test_too_large_wrong_type_or_mislabelled_files_leave_nothing(
    db: Database, store: EvidenceStore
) -> None:
    for content, name, message in (
        (b"%PDF" + b"x" * 2000, "big.pdf", "larger than the limit"),
        (b"MZ\x90", "tool.exe", "not accepted"),
        (b"<html>", "scan.pdf", "does not contain what its name says"),
    ):
        data = EvidenceIn("x", EvidenceKind.document, "tester")
        data.files = [Upload(FileRole.original, name, io.BytesIO(content))]
        with db.session() as session, pytest.raises(InputError, match=message):
            collect(session, store, data)
    with db.session() as session:
        assert session.scalar(select(func.count(Evidence.id))) == 0
    originals = store.root / "originals"
    assert not originals.exists() or not any(originals.rglob("*"))
    assert not any((store.root / "incoming").iterdir())


def test_a_web_capture_needs_its_time(db: Database, store: EvidenceStore) -> None:
    data = EvidenceIn(
        "Page", EvidenceKind.web_capture, "tester", url="https://example.org/camp", tool="wget"
    )
    data.files = [Upload(FileRole.html, "page.html", io.BytesIO(b"<html></html>"))]
    with db.session() as session, pytest.raises(InputError, match="capture time"):
        collect(session, store, data)
