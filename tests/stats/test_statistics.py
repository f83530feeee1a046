"""The public statistics: no login, figures people know, nothing that singles out a child."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta

import hxl
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ridni.cases.models import Child, ChildStatus, Sex
from ridni.facilities.models import Facility, FacilityKind
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate
from ridni.stats.models import StatsSnapshot
from ridni.storage.engine import Database
from tests.stats.attacker import ranges

SHAPE = [
    # oblast, status, children, facility (country, kind) or None, taken (year, month)
    ("Херсонська", ChildStatus.reported, 30, ("RU", FacilityKind.camp_sanatorium), (2022, 4)),
    ("Херсонська", ChildStatus.verified, 12, ("RU", FacilityKind.camp_sanatorium), (2022, 4)),
    ("Херсонська", ChildStatus.located, 25, ("BY", FacilityKind.cadet_school), (2022, 5)),
    ("Херсонська", ChildStatus.returned, 9, None, (2022, 5)),
    ("Донецька", ChildStatus.reported, 20, None, (2022, 3)),
    ("Донецька", ChildStatus.verified, 15, ("RU", FacilityKind.cadet_school), (2022, 3)),
    ("Донецька", ChildStatus.located, 18, ("RU", FacilityKind.camp_sanatorium), (2023, 1)),
    ("Донецька", ChildStatus.reunited, 7, None, (2022, 3)),
    # One child from Sumy oblast, returned: the cell that must never be derivable.
    ("Сумська", ChildStatus.returned, 1, None, (2022, 3)),
    ("Сумська", ChildStatus.reported, 6, None, (2022, 3)),
    ("Донецька", ChildStatus.closed_duplicate, 4, None, None),
]


def populate(session: Session) -> None:
    facilities: dict[tuple[str, FacilityKind], Facility] = {}
    for oblast, status, count, place, taken in SHAPE:
        for n in range(count):
            child = Child(
                given_name="Синтетичний",
                family_name=f"Тестовий{n}",
                sex=Sex.female,
                birth_date=PartialDate.of(2010 + n % 8, 1 + n % 12, 1 + n % 28),
                origin_oblast=oblast,
                status=status,
            )
            session.add(child)
            session.flush()
            if taken:
                session.add(
                    Movement(
                        child_id=child.id,
                        sequence=1,
                        kind=MovementKind.taken,
                        on_date=PartialDate.of(*taken),
                    )
                )
            if place:
                if place not in facilities:
                    facilities[place] = Facility(
                        name=f"Synthetic {place[1].value} in {place[0]}",
                        kind=place[1],
                        country=place[0],
                    )
                    session.add(facilities[place])
                    session.flush()
                session.add(
                    Movement(
                        child_id=child.id,
                        sequence=2,
                        kind=MovementKind.transfer,
                        facility_id=facilities[place].id,
                    )
                )
            if status in (ChildStatus.returned, ChildStatus.reunited):
                session.add(
                    Movement(
                        child_id=child.id,
                        sequence=3,
                        kind=MovementKind.return_home,
                        on_date=PartialDate.of(2024, 2),
                    )
                )
    session.flush()


def test_the_page_needs_no_login_and_shows_the_known_figures(
    db: Database, client: TestClient
) -> None:
    with db.session() as session:
        populate(session)
    page = client.get("/statistics", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Log in" in page.text  # seen by an anonymous visitor
    assert 'data-figure="total">143<' in page.text  # 147 cases less 4 closed duplicates
    assert 'data-figure="returned">17<' in page.text
    assert 'data-figure="located">43<' in page.text
    assert "Тестовий" not in page.text, "a child's name on the public page"
    assert "<svg" in page.text
    assert "<script>" not in page.text


def test_reported_and_verified_side_by_side_with_definitions(
    db: Database, client: TestClient
) -> None:
    with db.session() as session:
        populate(session)
    body = client.get("/api/v1/statistics").json()
    assert body["total"] == 143
    assert body["verified"] == 143 - 56  # every case past "reported"
    assert body["missing"] == 56 + 27
    page = client.get("/statistics", headers={"accept-language": "en"}).text
    assert "confirmed by a second, independent source" in page
    assert 'data-figure="verified">87<' in page


def test_no_child_can_be_singled_out_through_totals(db: Database, client: TestClient) -> None:
    with db.session() as session:
        populate(session)
    body = client.get("/api/v1/statistics").json()
    origin = next(b for b in body["breakdowns"] if b["key"] == "origin_oblast")
    sumy = next(r for r in origin["rows"] if r["key"] == "Сумська")
    assert sumy["cells"][origin["columns"].index("returned")] is None
    for breakdown in body["breakdowns"]:
        grid = [row["cells"] for row in breakdown["rows"]] + [breakdown["totals"]]
        shown = [v for row in grid for v in row if v is not None]
        assert all(v == 0 or v >= 5 for v in shown), breakdown["key"]
        for cell, (low, high) in ranges(grid, one_way=breakdown["one_way"]).items():
            assert high - low >= 1, f"{breakdown['key']} {cell} can be worked out"


def test_hidden_headline_cells_stay_hidden_in_every_breakdown(
    db: Database, client: TestClient
) -> None:
    with db.session() as session:
        populate(session)
        session.add(Child(given_name="A", family_name="B", status=ChildStatus.deceased))
    body = client.get("/api/v1/statistics").json()
    assert body["headline"]["deceased"] is None
    hidden = {c for c, v in body["headline"].items() if v is None}
    assert len(hidden) >= 2, "one hidden headline figure is the total minus the others"
    for breakdown in body["breakdowns"]:
        if not breakdown["one_way"]:
            totals = dict(zip(breakdown["columns"], breakdown["totals"], strict=False))
            assert {c for c, v in totals.items() if v is None} == hidden


def test_hxl_csv_is_valid_and_adds_up(db: Database, client: TestClient) -> None:
    with db.session() as session:
        populate(session)
    response = client.get("/statistics.csv")
    assert response.headers["content-type"].startswith("text/csv")
    data = hxl.data(io.BytesIO(response.content))
    tags = [column.display_tag for column in data.columns]
    for tag in ("#affected+children", "#adm1+name+origin", "#country+name", "#date+month"):
        assert tag in tags
    schema = hxl.schema([{"#valid_tag": "#affected+children", "#valid_datatype": "number"}])
    assert schema.validate(hxl.data(io.BytesIO(response.content)))
    rows = list(hxl.data(io.BytesIO(response.content)))
    taken = [r for r in rows if r.get("#meta+breakdown") == "month_taken"]
    months = [r for r in taken if r.get("#date+month")]
    assert {r.get("#date+month") for r in months} >= {"2022-03", "2022-04"}
    total = next(r for r in taken if not r.get("#date+month"))
    assert total.get("#affected+children") == "143"
    for row in rows:
        hidden = row.get("#meta+suppressed") == "yes"
        assert hidden == (row.get("#affected+children") in ("", None))


def test_a_stale_snapshot_is_served_then_recomputed(db: Database, client: TestClient) -> None:
    with db.session() as session:
        populate(session)
    assert client.get("/api/v1/statistics").json()["total"] == 143
    with db.session() as session:
        for n in range(10):
            session.add(Child(given_name="New", family_name=f"Case{n}", origin_oblast="Київ"))
        session.execute(
            update(StatsSnapshot).values(computed_at=datetime.now(UTC) - timedelta(days=1))
        )
    # This visitor gets the stored figures at once; the recomputation runs in the background.
    assert client.get("/api/v1/statistics").json()["total"] == 143
    deadline = time.monotonic() + 30
    while client.get("/api/v1/statistics").json()["total"] != 153:
        assert time.monotonic() < deadline, "the snapshot was not recomputed"
        time.sleep(0.05)
    with db.session() as session:
        assert len(session.scalars(select(StatsSnapshot)).all()) == 2


def test_an_empty_database_shows_zeros_not_errors(db: Database, client: TestClient) -> None:
    assert client.get("/statistics").status_code == 200
    assert client.get("/statistics.csv").status_code == 200
    assert client.get("/api/v1/statistics").json()["total"] == 0
