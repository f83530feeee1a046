"""The data model behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ridni.cases.models import Child, ChildStatus, Record
from ridni.facilities.models import Activity, Facility, FacilityActivity, FacilityKind
from ridni.linkage.scripts import Script
from ridni.partial_date import PartialDate, Precision
from ridni.storage.engine import Database
from tests.helpers import make_child, make_record, make_source


def test_partial_dates_keep_their_precision(db: Database) -> None:
    with db.session() as session:
        month = make_child(session, born="2012-03").id
        unknown = make_child(session, born=None).id
    with db.session() as session:
        loaded = session.get(Child, month)
        assert loaded is not None
        assert loaded.birth_date == PartialDate.of(2012, 3)
        assert loaded.birth_date.precision is Precision.month
        assert loaded.birth_date.iso() == "2012-03"
        nothing = session.get(Child, unknown)
        assert nothing is not None and nothing.birth_date is None


def test_records_keep_names_as_written_with_their_script(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        source = make_source(session)
        make_record(session, child, source, "Александр", "Ш.", born="2012-03")
        make_record(session, child, source, "Oleksandr", "Shevchenko", born="2012")
    with db.session() as session:
        records = session.scalars(select(Record).order_by(Record.id)).all()
        assert [(r.given_name, r.family_name) for r in records] == [
            ("Александр", "Ш."),
            ("Oleksandr", "Shevchenko"),
        ]
        assert [r.name_script for r in records] == [Script.cyrillic, Script.latin]
        assert records[0].source.title == "Test list (synthetic)"


def test_the_same_source_row_cannot_be_stored_twice(db: Database) -> None:
    with db.session() as session:
        source = make_source(session)
        make_record(session, None, source, "Анна", "Бойко", source_ref="row-7")
    with pytest.raises(IntegrityError), db.session() as session:
        make_record(session, None, source, "Ганна", "Бойко", source_ref="row-7")


def test_a_stale_edit_is_refused_not_silently_applied(db: Database) -> None:
    with db.session() as session:
        child_id = make_child(session).id
    with db.session() as session:  # someone opens the case…
        mine = session.get(Child, child_id)
    assert mine is not None
    with db.session() as session:  # …someone else changes it meanwhile…
        theirs = session.get(Child, child_id)
        assert theirs is not None
        theirs.status = ChildStatus.located
    late = db.sessions()
    try:  # …and the first edit, based on the old version, must not overwrite theirs.
        late.add(mine)
        mine.status = ChildStatus.deceased
        with pytest.raises(StaleDataError):
            late.commit()
    finally:
        late.close()
    with db.session() as session:
        assert session.get(Child, child_id).status is ChildStatus.located  # type: ignore[union-attr]


def test_deleting_a_child_keeps_its_records(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        record_id = make_record(session, child, make_source(session), "Анна", "Бойко").id
        child_id = child.id
    with db.session() as session:
        session.execute(delete(Child).where(Child.id == child_id))
    with db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None and record.child_id is None


def test_times_come_back_in_utc(db: Database) -> None:
    kyiv = datetime(2024, 2, 24, 5, 0, tzinfo=UTC) + timedelta(hours=2)
    with db.session() as session:
        child_id = make_child(session).id
        session.get(Child, child_id).created_at = kyiv  # type: ignore[union-attr]
    with db.session() as session:
        created = session.get(Child, child_id).created_at  # type: ignore[union-attr]
    assert created == kyiv and created.tzinfo is not None


def test_facility_activities_are_queryable(db: Database) -> None:
    with db.session() as session:
        camp = Facility(
            name="Synthetic camp",
            kind=FacilityKind.camp_sanatorium,
            country="RU",
            active_from=PartialDate.of(2022, 5),
        )
        camp.activities = [FacilityActivity(activity=Activity.military_training)]
        session.add(camp)
    with db.session() as session:
        found = session.scalars(
            select(Facility)
            .join(FacilityActivity)
            .where(FacilityActivity.activity == Activity.military_training)
        ).all()
        assert [f.name for f in found] == ["Synthetic camp"]
        assert found[0].active_from == PartialDate.of(2022, 5)
