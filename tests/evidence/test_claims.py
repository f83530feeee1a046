"""Claims carry their source and grades; contradictions between them are listed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ridni.accounts.models import RoleName
from ridni.errors import InputError
from ridni.evidence.claims import ClaimIn, create_claim
from ridni.evidence.contradictions import ContradictionKind, find_contradictions
from ridni.evidence.models import ClaimKind, SourceReliability
from ridni.facilities.models import Facility, FacilityKind
from ridni.i18n import set_language
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate
from ridni.storage.engine import Database
from tests.helpers import login, make_child, make_source, make_user

FACILITIES = "facilities holding deported children"


def _quantity(
    session: Session, source: int, n: int, region: str | None, part_of: int | None = None
) -> int:
    return create_claim(
        session,
        ClaimIn(
            source_id=source,
            kind=ClaimKind.quantity,
            statement=f"{n} facilities in {region or 'total'}",
            quantity=n,
            measure=FACILITIES,
            region=region,
            part_of_claim_id=part_of,
        ),
    ).id


def _facility(session: Session, name: str) -> Facility:
    facility = Facility(name=name, kind=FacilityKind.camp_sanatorium, country="RU")
    session.add(facility)
    session.flush()
    return facility


def test_parts_that_do_not_add_up_to_the_total(db: Database) -> None:
    with db.session() as session:
        report = make_source(
            session, "Research report [SYNTHETIC]", reliability=SourceReliability.B
        ).id
        total = _quantity(session, report, 57, None)
        _quantity(session, report, 13, "Belarus", total)
        _quantity(session, report, 43, "Russia", total)
        found = find_contradictions(session)
    assert [c.kind for c in found] == [ContradictionKind.parts_total]
    assert (
        found[0].message == f"{FACILITIES}: 13 (Belarus) + 43 (Russia) = 56, but the total says 57"
    )


def test_parts_that_add_up_are_no_contradiction(db: Database) -> None:
    with db.session() as session:
        report = make_source(session).id
        total = _quantity(session, report, 56, None)
        _quantity(session, report, 13, "Belarus", total)
        _quantity(session, report, 43, "Russia", total)
        assert find_contradictions(session) == []


def test_two_sources_counting_differently(db: Database) -> None:
    with db.session() as session:
        portal, researchers = make_source(session, "Portal").id, make_source(session, "Lab").id
        _quantity(session, portal, 19_546, "Russia")
        _quantity(session, researchers, 8_400, "russia")
        found = find_contradictions(session)
    assert [c.kind for c in found] == [ContradictionKind.counts_differ]


def test_one_child_in_two_facilities_on_the_same_day(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        one, two = _facility(session, "A [SYNTHETIC]"), _facility(session, "B [SYNTHETIC]")
        for facility, title in ((one, "Camp list"), (two, "Media report")):
            create_claim(
                session,
                ClaimIn(
                    source_id=make_source(session, title).id,
                    kind=ClaimKind.child_at_facility,
                    statement="child listed",
                    child_id=child.id,
                    facility_id=facility.id,
                    on_date="2023-06-01",
                ),
            )
        found = find_contradictions(session)
    assert [c.kind for c in found] == [ContradictionKind.two_places]
    assert found[0].facility_ids == (one.id, two.id) and found[0].child_id == child.id


def test_movement_dates_out_of_order(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        for sequence, (kind, when) in enumerate(
            [
                (MovementKind.taken, PartialDate.of(2022, 9, 1)),
                (MovementKind.transfer, PartialDate.of(2022, 7)),
                (MovementKind.transfer, PartialDate.of(2022)),
            ],
            start=1,
        ):
            session.add(Movement(child_id=child.id, sequence=sequence, kind=kind, on_date=when))
        session.flush()
        found = find_contradictions(session)
    # 2022-07 ended before 2022-09-01: out of order. "2022" may be any day of the year: not.
    assert [c.kind for c in found] == [ContradictionKind.dates_out_of_order]
    assert "step 2 (2022-07) is dated before step 1 (2022-09-01)" in found[0].message


def test_a_claim_must_say_what_its_kind_needs(db: Database) -> None:
    with db.session() as session:
        source = make_source(session).id
        with pytest.raises(InputError, match="names the child, the facility and the date"):
            create_claim(
                session, ClaimIn(source_id=source, kind=ClaimKind.child_at_facility, statement="x")
            )
        with pytest.raises(InputError, match="number and what it counts"):
            create_claim(session, ClaimIn(source_id=source, kind=ClaimKind.quantity, statement="x"))


def test_claims_page_lists_the_contradiction(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
        report = make_source(session, "Research report [SYNTHETIC]").id
        total = _quantity(session, report, 57, None)
        _quantity(session, report, 13, "Belarus", total)
        _quantity(session, report, 43, "Russia", total)
    login(client, "investigator")
    client.cookies.set("ridni_lang", "en")
    page = client.get("/claims")
    assert "= 56, but the total says 57" in page.text
    api = client.get("/api/v1/contradictions").json()
    assert api[0]["kind"] == "parts_total" and len(api[0]["claim_ids"]) == 3
    assert (
        client.post(
            "/api/v1/claims", json={"source_id": report, "kind": "quantity", "statement": "?"}
        ).status_code
        == 400
    )


def test_contradictions_read_in_ukrainian_on_the_page(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
        report = make_source(session, "Research report [SYNTHETIC]").id
        other = make_source(session, "Portal [SYNTHETIC]").id
        total = _quantity(session, report, 51, None)
        _quantity(session, report, 2, "Belarus", total)
        _quantity(session, report, 38, "Russia", total)
        _quantity(session, report, 10, "occupied Ukraine", total)
        _quantity(session, other, 40, "Russia")
    login(client, "investigator")
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/claims").text
    assert (
        f"{FACILITIES}: 2 (Belarus) + 38 (Russia) + 10 (occupied Ukraine) = 50, "
        "але загальна кількість — 51"
    ) in page
    assert f"{FACILITIES} (Russia): джерела подають 38 (джерело #" in page
    assert "but the total says" not in page and "sources give" not in page
    # The CLI and the API keep the English sentence.
    api = client.get("/api/v1/contradictions").json()
    assert any(c["message"].endswith("= 50, but the total says 51") for c in api)


def test_every_kind_of_contradiction_is_described_in_ukrainian(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        one, two = _facility(session, "A [SYNTHETIC]"), _facility(session, "B [SYNTHETIC]")
        for facility in (one, two):
            session.add(
                Movement(
                    child_id=child.id,
                    sequence=facility.id,
                    kind=MovementKind.transfer,
                    facility_id=facility.id,
                    on_date=PartialDate.of(2022, 9, 1),
                )
            )
        session.add(
            Movement(
                child_id=child.id,
                sequence=99,
                kind=MovementKind.transfer,
                on_date=PartialDate.of(2022, 7),
            )
        )
        session.flush()
        found = {c.kind: c for c in find_contradictions(session)}
    set_language("uk")
    try:
        two_places = found[ContradictionKind.two_places].described()
        backwards = found[ContradictionKind.dates_out_of_order].described()
    finally:
        set_language("en")
    assert two_places == (
        f"дитина #{child.id} перебуває в закладах #{one.id}, #{two.id} на дату 2022-09-01"
    )
    assert backwards == (
        f"дитина #{child.id}: крок 99 (2022-07) датовано раніше за крок {two.id} (2022-09-01)"
    )
    assert found[ContradictionKind.two_places].message.startswith(f"child #{child.id} is placed")
