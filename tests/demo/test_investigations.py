"""The demo database has facilities with operators, claims, a contradiction and evidence."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from ridni.actors.models import Actor
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.evidence.contradictions import ContradictionKind, find_contradictions
from ridni.evidence.models import Claim, Evidence
from ridni.evidence.service import verify
from ridni.evidence.store import EvidenceStore
from ridni.facilities.models import Facility
from ridni.storage.engine import Database
from tests.helpers import TEST_KEYS


def test_demo_investigations_are_synthetic_consistent_and_verifiable(
    db: Database, tmp_path: Path
) -> None:
    load_dataset(db, generate(40, seed=3))
    with db.session() as session:
        assert (
            session.scalar(
                select(func.count(Facility.id)).where(Facility.operator_actor_id.is_(None))
            )
            == 0
        )
        actors = session.scalars(select(Actor.name)).all()
        assert actors and all("[SYNTHETIC]" in name for name in actors)
        assert (session.scalar(select(func.count(Claim.id))) or 0) > 10
        kinds = {c.kind for c in find_contradictions(session)}
        assert ContradictionKind.parts_total in kinds
        assert (session.scalar(select(func.count(Evidence.id))) or 0) > 0
        store = EvidenceStore(tmp_path, max_bytes=1, extensions=frozenset(), ring=TEST_KEYS)
        assert verify(session, store).problems == []
        romashka = session.scalars(select(Facility.name_key)).first()
        assert romashka and " | " in romashka  # searchable in Latin as well as Cyrillic
