"""Registering, finding, mapping and merging facilities through the API and the pages."""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ridni.accounts.models import RoleName
from ridni.facilities.models import Facility
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_user

SIMFEROPOL = {"latitude": 44.952, "longitude": 34.102}
ANAPA = {"latitude": 44.894, "longitude": 37.316}


def _ready(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    login(client, "investigator")


def _facility(**fields: Any) -> dict[str, Any]:
    return {
        "name": "ДОЛ «Ромашка», Анапа [SYNTHETIC]",
        "kind": "camp_sanatorium",
        "country": "RU",
        "settlement": "Анапа",
        "activities": ["re_education"],
        "active_from": "2022-05",
        **ANAPA,
        **fields,
    }


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Facility.id))) or 0


def test_a_facility_is_registered_and_found_in_another_script(
    client: TestClient, db: Database
) -> None:
    _ready(client, db)
    created = client.post("/api/v1/facilities", json=_facility(min_children=12))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["activities"] == ["re_education"] and body["active_from"] == "2022-05"

    found = client.get("/api/v1/facilities", params={"q": "romashka"}).json()
    assert [f["id"] for f in found["items"]] == [body["id"]]
    assert client.get("/api/v1/facilities", params={"kind": "cadet_school"}).json()["total"] == 0
    assert (
        client.get("/api/v1/facilities", params={"activity": "re_education"}).json()["total"] == 1
    )
    assert client.get("/api/v1/facilities", params={"country": "BY"}).json()["total"] == 0
    assert client.get("/api/v1/facilities", params={"active_on": "2021-01-01"}).json()["total"] == 0
    assert client.get("/api/v1/facilities", params={"active_on": "2023-01-01"}).json()["total"] == 1

    page = client.get(f"/facilities/{body['id']}")
    assert page.status_code == 200 and "Ромашка" in page.text
    assert "Ромашка" in client.get("/facilities?q=Romashka").text


def test_crimea_is_registered_as_ukraine_and_occupied(client: TestClient, db: Database) -> None:
    _ready(client, db)
    ok = client.post(
        "/api/v1/facilities",
        json=_facility(
            name="Санаторий «Чайка» [SYNTHETIC]",
            country="UA",
            occupied_territory=True,
            **SIMFEROPOL,
        ),
    )
    assert ok.status_code == 201, ok.text
    # Crimea is not Russia: the same point with RU is refused.
    wrong = client.post(
        "/api/v1/facilities", json=_facility(name="Другое [SYNTHETIC]", country="RU", **SIMFEROPOL)
    )
    assert wrong.status_code == 400
    assert "Ukraine" in wrong.json()["detail"]


def test_bad_coordinates_are_refused_and_nothing_is_saved(client: TestClient, db: Database) -> None:
    _ready(client, db)
    out_of_range = client.post("/api/v1/facilities", json=_facility(latitude=95.0))
    assert out_of_range.status_code == 400 and "latitude" in out_of_range.json()["detail"]
    swapped = client.post(
        "/api/v1/facilities",
        json=_facility(latitude=ANAPA["longitude"], longitude=ANAPA["latitude"]),
    )
    assert swapped.status_code == 400 and "swapped" in swapped.json()["detail"]
    half = client.post("/api/v1/facilities", json=_facility(longitude=None))
    assert half.status_code == 400
    occupied_russia = client.post("/api/v1/facilities", json=_facility(occupied_territory=True))
    assert occupied_russia.status_code == 400
    assert _count(db) == 0


def test_a_duplicate_is_offered_for_merge_then_merged(client: TestClient, db: Database) -> None:
    _ready(client, db)
    first = client.post("/api/v1/facilities", json=_facility()).json()
    latin = _facility(name="Children's camp Romashka, Anapa", latitude=44.9, longitude=37.32)
    duplicate = client.post("/api/v1/facilities", json=latin)
    assert duplicate.status_code == 409
    assert [c["id"] for c in duplicate.json()["candidates"]] == [first["id"]]
    assert _count(db) == 1

    second = client.post("/api/v1/facilities", json={**latin, "confirm_not_duplicate": True})
    assert second.status_code == 201
    merged = client.post(
        f"/api/v1/facilities/{second.json()['id']}/merge", json={"into": first["id"]}
    )
    assert merged.status_code == 200
    assert "Children's camp Romashka, Anapa" in [n["name"] for n in merged.json()["other_names"]]
    assert _count(db) == 1
    assert client.get("/api/v1/facilities", params={"q": "Children"}).json()["total"] == 1


def test_the_form_offers_the_duplicate_and_keeps_what_was_typed(
    client: TestClient, db: Database
) -> None:
    _ready(client, db)
    client.post("/api/v1/facilities", json=_facility())
    form = {
        "csrf_token": csrf_token(client, "/facilities/new"),
        "name": "Лагерь Ромашка",
        "kind": "camp_sanatorium",
        "country": "RU",
        "latitude": "44.9",
        "longitude": "37.31",
    }
    page = client.post("/facilities/new", data=form)
    assert page.status_code == 409
    assert 'id="duplicates"' in page.text and 'value="Лагерь Ромашка"' in page.text
    saved = client.post(
        "/facilities/new", data={**form, "confirm_not_duplicate": "true"}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert _count(db) == 2


def test_map_data_is_geojson_with_borders(client: TestClient, db: Database) -> None:
    _ready(client, db)
    client.post("/api/v1/facilities", json=_facility())
    client.post(
        "/api/v1/facilities",
        json=_facility(name="Без координат", latitude=None, longitude=None, settlement="Казань"),
    )
    data = client.get("/api/v1/facilities.geojson").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    assert data["features"][0]["geometry"]["coordinates"] == [ANAPA["longitude"], ANAPA["latitude"]]
    borders = client.get("/api/v1/map/borders.geojson")
    assert {f["properties"]["code"] for f in borders.json()["features"]} >= {"UA", "RU", "BY"}
    page = client.get("/facilities/map")
    assert "leaflet-1.9.4/leaflet.js" in page.text and "<script>" not in page.text


def test_the_map_controls_are_named_in_the_readers_language(
    client: TestClient, db: Database
) -> None:
    _ready(client, db)
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/facilities/map").text
    assert 'data-zoom-in="Збільшити"' in page and 'data-zoom-out="Зменшити"' in page
    assert 'data-leaflet-title="Бібліотека JavaScript для інтерактивних карт"' in page
    assert "Zoom in" not in page and "Zoom out" not in page
    # The page's script gives them to Leaflet in place of its own English words.
    script = client.get("/static/js/facility-map.js").text
    assert "zoomInTitle: words.zoomIn" in script and "zoomControl: false" in script
    assert "credit.title = words.leafletTitle" in script and "setPrefix(credit" in script


def test_the_facility_pager_keeps_the_filters_and_one_page_number(
    client: TestClient, db: Database
) -> None:
    _ready(client, db)
    state = cast(FastAPI, client.app).state
    state.settings = state.settings.model_copy(update={"page_size": 1})
    for name, settlement, lat in (
        ("Кадетський корпус", "Казань", 55.8),
        ("Санаторій", "Ялта", 44.5),
    ):
        where = {"settlement": settlement, "latitude": lat, "longitude": 40.0}
        created = client.post(
            "/api/v1/facilities", json=_facility(name=f"{name} [SYNTHETIC]", **where)
        )
        assert created.status_code == 201, created.text
    first = client.get("/facilities").text
    assert 'href="/facilities?page=2"' in first and "?&" not in first
    second = client.get("/facilities", params={"country": "RU", "page": 2}).text
    assert 'href="/facilities?country=RU&amp;page=1"' in second
    assert "?&" not in second and "page=2&amp;page" not in second


def test_the_facility_page_charts_children_month_by_month(client: TestClient, db: Database) -> None:
    _ready(client, db)
    facility_id = client.post("/api/v1/facilities", json=_facility()).json()["id"]
    with db.session() as session:
        for number, (arrived, left) in enumerate([("2022-05-10", "2022-07-02"), ("2022-06", None)]):
            child = make_child(session, given=f"Дитина{number}")
            steps = [(MovementKind.transfer, arrived, facility_id)]
            if left:
                steps.append((MovementKind.return_home, left, None))
            for sequence, (kind, when, where) in enumerate(steps, start=1):
                session.add(
                    Movement(
                        child_id=child.id,
                        sequence=sequence,
                        kind=kind,
                        on_date=PartialDate.parse(when),
                        facility_id=where,
                    )
                )
    months = client.get(f"/api/v1/facilities/{facility_id}/occupancy").json()
    # Child 1 from May until the month they left (July not counted); child 2 seen in June only.
    assert months == [
        {"month": "2022-05", "children": 1},
        {"month": "2022-06", "children": 2},
    ]
    page = client.get(f"/facilities/{facility_id}").text
    assert 'class="chart"' in page and 'data-month="2022-06" data-children="2"' in page
