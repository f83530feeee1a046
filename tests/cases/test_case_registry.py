"""The case list and case page, through the JSON API and as pages."""

from __future__ import annotations

from typing import cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ridni.cases.models import ChildStatus, RecordKind
from ridni.evidence.models import SourceKind
from ridni.facilities.models import Facility, FacilityKind
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate
from ridni.storage.engine import Database
from tests.helpers import login, make_child, make_record, make_source, make_user


@pytest.fixture
def registry(db: Database) -> dict[str, int]:
    """Two children; the first is known to a family report and to two Russian-side lists."""
    with db.session() as session:
        make_user(session)
        family = make_source(session, "Family reports (synthetic)", kind=SourceKind.family_report)
        camp = make_source(session, "Camp list (synthetic)")
        olek = make_child(session, status=ChildStatus.located)
        make_record(
            session,
            olek,
            family,
            "Олександр",
            "Шевченко",
            "Миколайович",
            born="2012-03-14",
            kind=RecordKind.family_report,
        )
        make_record(session, olek, camp, "Александр", "Шевченко", born="2012-03")
        make_record(session, olek, camp, "Oleksandr", "Shevchenko", born="2012")
        anna = make_child(session, "Ганна", "Бойко", "Іванівна", "2015-07-01", sex=None)
        make_record(
            session,
            anna,
            family,
            "Ганна",
            "Бойко",
            "Іванівна",
            born="2015-07-01",
            kind=RecordKind.family_report,
        )
        camp_facility = Facility(
            name="Synthetic camp «Ромашка»", kind=FacilityKind.camp_sanatorium, country="RU"
        )
        session.add(camp_facility)
        session.flush()
        session.add_all(
            [
                Movement(
                    child_id=olek.id,
                    sequence=2,
                    kind=MovementKind.transfer,
                    on_date=PartialDate.of(2022, 6),
                    facility_id=camp_facility.id,
                ),
                Movement(
                    child_id=olek.id,
                    sequence=1,
                    kind=MovementKind.taken,
                    on_date=PartialDate.of(2022, 5, 20),
                    from_place="Херсон",
                ),
            ]
        )
        return {"olek": olek.id, "anna": anna.id}


@pytest.fixture
def signed_in(client: TestClient, registry: dict[str, int]) -> TestClient:
    login(client)
    return client


@pytest.mark.parametrize(
    "query", ["Aleksandr Shevchenko", "Олександр Шевченко", "Александр", "shevchenko", "ШЕВЧЕНКО"]
)
def test_a_name_in_any_script_finds_the_child(
    signed_in: TestClient, query: str, registry: dict[str, int]
) -> None:
    found = signed_in.get("/api/v1/children", params={"q": query}).json()
    assert [item["id"] for item in found["items"]] == [registry["olek"]]


def test_russian_forms_of_ukrainian_names_find_the_child(
    signed_in: TestClient, registry: dict[str, int]
) -> None:
    found = signed_in.get("/api/v1/children", params={"q": "Анна Бойко"}).json()
    assert [item["id"] for item in found["items"]] == [registry["anna"]]


def test_list_pages_and_filters(signed_in: TestClient, registry: dict[str, int]) -> None:
    everything = signed_in.get("/api/v1/children", params={"per_page": 1}).json()
    assert (everything["total"], everything["pages"], len(everything["items"])) == (2, 2, 1)
    second = signed_in.get("/api/v1/children", params={"per_page": 1, "page": 2}).json()
    assert second["items"][0]["id"] != everything["items"][0]["id"]
    located = signed_in.get("/api/v1/children", params={"status": "located"}).json()
    assert [i["id"] for i in located["items"]] == [registry["olek"]]
    assert located["items"][0]["record_count"] == 3
    # A name search counts its matches in the page's own query; past the last page it still
    # says how many there are.
    named = {"q": "Александр", "per_page": 1}
    assert signed_in.get("/api/v1/children", params=named).json()["total"] == 1
    beyond = signed_in.get("/api/v1/children", params={**named, "page": 3}).json()
    assert (beyond["items"], beyond["total"]) == ([], 1)
    nobody = signed_in.get("/api/v1/children", params={"q": "Ковальчук"}).json()
    assert nobody == {"items": [], "total": 0, "page": 1, "per_page": 50, "pages": 1}


def test_the_child_shows_every_record_with_its_source_and_the_timeline(
    signed_in: TestClient, registry: dict[str, int]
) -> None:
    child = signed_in.get(f"/api/v1/children/{registry['olek']}").json()
    assert child["birth_date"] == "2012-03-14"
    written = [
        (r["given_name"], r["name_script"], r["birth_date"], r["source"]["title"])
        for r in child["records"]
    ]
    assert ("Александр", "cyrillic", "2012-03", "Camp list (synthetic)") in written
    assert ("Oleksandr", "latin", "2012", "Camp list (synthetic)") in written
    assert [(m["sequence"], m["kind"]) for m in child["movements"]] == [
        (1, "taken"),
        (2, "transfer"),
    ]
    assert child["movements"][1]["facility"]["name"] == "Synthetic camp «Ромашка»"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/children/987654", 404),
        ("/api/v1/children/0", 422),
        ("/api/v1/children/abc", 422),
        ("/api/v1/children/99999999999999999999999", 422),
        ("/api/v1/children?page=0", 422),
        ("/api/v1/children?per_page=501", 422),
        ("/api/v1/children?status=lost", 422),
        ("/api/v1/children?q=" + "я" * 201, 422),
    ],
)
def test_bad_requests_get_clear_errors(signed_in: TestClient, path: str, status: int) -> None:
    response = signed_in.get(path)
    assert response.status_code == status
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", 2),
        ("_", 0),
        ("' OR 1=1 --", 0),
        ("\\", 2),
        ("<script>alert(1)</script>", 0),
        ("\x00", 2),
        ("🙂", 2),
        ("Шевченко%", 1),
        ("Шев_енко", 0),
    ],
)
def test_hostile_queries_are_plain_text(signed_in: TestClient, query: str, expected: int) -> None:
    """Wildcards match themselves, SQL is text, and a query of symbols only filters nothing."""
    response = signed_in.get("/api/v1/children", params={"q": query})
    assert response.status_code == 200
    assert response.json()["total"] == expected


def test_list_page_searches_and_links_to_the_child(
    signed_in: TestClient, registry: dict[str, int]
) -> None:
    page = signed_in.get("/children", params={"q": "Aleksandr Shevchenko"})
    assert page.status_code == 200
    assert f'href="/children/{registry["olek"]}"' in page.text
    assert "Шевченко Олександр Миколайович" in page.text
    assert "Бойко" not in page.text
    partial = signed_in.get("/children", params={"q": "Бойко"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "Бойко Ганна Іванівна" in partial.text


def test_child_page_shows_identity_records_and_timeline(
    signed_in: TestClient, registry: dict[str, int]
) -> None:
    signed_in.cookies.set("ridni_lang", "en")
    page = signed_in.get(f"/children/{registry['olek']}").text
    assert "Шевченко Олександр Миколайович" in page
    assert "Located" in page
    assert page.count("Camp list (synthetic)") == 2
    assert "Oleksandr Shevchenko" in page.replace("Shevchenko Oleksandr", "Oleksandr Shevchenko")
    assert 'id="movement-timeline"' in page and "Synthetic camp «Ромашка»" in page
    assert "month and year only" not in page  # the child's own birth date is exact


def test_names_are_escaped_not_executed(db: Database, signed_in: TestClient) -> None:
    with db.session() as session:
        hostile = make_child(session, "<script>alert(1)</script>", "Бойко")
        child_id = hostile.id
    page = signed_in.get(f"/children/{child_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_list_form_may_send_an_empty_or_unknown_status(signed_in: TestClient) -> None:
    signed_in.cookies.set("ridni_lang", "en")
    assert "2 children" in signed_in.get("/children?q=&status=").text
    assert signed_in.get("/children?status=lost").status_code == 200
    located = signed_in.get("/children?status=located").text
    assert "1 child" in located and "Бойко" not in located


def test_pager_links_keep_the_filters_without_a_stray_ampersand(signed_in: TestClient) -> None:
    state = cast(FastAPI, signed_in.app).state
    state.settings = state.settings.model_copy(update={"page_size": 1})
    first = signed_in.get("/children").text
    assert 'href="/children?page=2"' in first and "?&" not in first
    second = signed_in.get("/children", params={"status": "", "page": 2}).text
    assert 'href="/children?status=&amp;page=1"' in second and "?&" not in second
    assert "page=2&amp;page" not in second
