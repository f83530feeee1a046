"""An evidence store in the test's data directory, and a small synthetic item in it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ridni.evidence.models import Evidence, EvidenceKind, FileRole
from ridni.evidence.service import EvidenceIn, Upload, collect
from ridni.evidence.store import EvidenceStore
from ridni.storage.engine import Database
from tests.helpers import TEST_KEYS

PDF = b"%PDF-1.4\n% synthetic test document, not real evidence\n"


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(
        tmp_path / "data",
        max_bytes=1024,
        extensions=frozenset({"pdf", "png", "html"}),
        ring=TEST_KEYS,
    )


def add_item(
    db: Database, store: EvidenceStore, content: bytes = PDF, name: str = "list.pdf"
) -> int:
    with db.session() as session:
        data = EvidenceIn("Camp list [SYNTHETIC]", EvidenceKind.document, "tester")
        data.files = [Upload(FileRole.original, name, io.BytesIO(content))]
        evidence: Evidence = collect(session, store, data)
        return evidence.id
