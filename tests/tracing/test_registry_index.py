"""The registry index reads a whole registry in bulk, then tops it up record by record."""

from __future__ import annotations

from ridni.cases.models import RecordKind
from ridni.storage.engine import Database
from ridni.tracing.registry_index import BULK_FROM, RegistryIndex
from tests.helpers import make_record, make_source

SURNAMES = ["Мельник", "Бойко", "Ткаченко", "Кравець", "Олійник"]


def test_a_registry_read_in_bulk_and_topped_up_finds_the_same_children(db: Database) -> None:
    with db.session() as session:
        camp = make_source(session, "Camp list (synthetic)")
        for n in range(2 * BULK_FROM):
            make_record(
                session,
                None,
                camp,
                "Анна",
                f"{SURNAMES[n % 5]}{n}",
                born=f"2012-{1 + n % 12:02d}-{1 + n % 28:02d}",
                birth_place="Херсон",
                source_ref=f"camp-{n}",
            )
        sought = make_record(
            session,
            None,
            make_source(session, "Family reports (synthetic)"),
            "Ганна",
            "Мельник40",
            born="2012-05-13",
            birth_place="Херсон",
            kind=RecordKind.family_report,
            source_ref="family-1",
        )
        index = RegistryIndex()
        assert index.refresh(session) == 2 * BULK_FROM, "every registry record, no report"
        best = index.candidates(session, sought, k=3)[0]
        found = session.get(type(sought), int(best.record_id))
        assert found is not None and found.source_ref == "camp-40"
        later = make_record(
            session, None, camp, "Анна", "Коваль", born="2012-05-13", source_ref="camp-late"
        )
        session.flush()
        sought.family_name = "Коваль"
        best = index.candidates(session, sought, k=3)[0]
        assert best.record_id == str(later.id), "a record added later is found at once"
        assert len(index) == 2 * BULK_FROM + 1
