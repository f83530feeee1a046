"""The facility forms refuse a blank name and say what is wrong beside the field, in the reader's
language; a facility stored with an empty name still opens for repair."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ridni.facilities.models import Facility
from ridni.storage.engine import Database
from tests.helpers import csrf_token

FORM = {
    "name": "ДОЛ «Ромашка» [SYNTHETIC]",
    "kind": "camp_sanatorium",
    "country": "RU",
    "latitude": "44.894",
    "longitude": "37.316",
}


def _new(client: TestClient, **fields: str) -> Any:
    form = {**FORM, **fields, "csrf_token": csrf_token(client, "/facilities/new")}
    return client.post("/facilities/new", data=form, follow_redirects=False)


def _registered(client: TestClient) -> dict[str, Any]:
    created = client.post(
        "/api/v1/facilities",
        json={**FORM, "latitude": 44.894, "longitude": 37.316},
    )
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


def _field_error(page: str, name: str) -> str:
    start = page.index(f'id="{name}-error"')
    return page[page.index(">", start) + 1 : page.index("</p>", start)]


def test_a_name_of_spaces_is_refused_on_the_page_beside_the_field(
    investigator: TestClient,
) -> None:
    investigator.cookies.set("ridni_lang", "uk")
    page = _new(investigator, name="   ", settlement="Анапа")
    assert page.status_code == 400
    assert _field_error(page.text, "name") == "Це поле обов’язкове."
    assert 'value="Анапа"' in page.text  # what was typed is kept
    assert investigator.get("/api/v1/facilities").json()["total"] == 0


def test_a_name_of_spaces_is_refused_by_the_api(investigator: TestClient) -> None:
    facility = _registered(investigator)
    blank = {**FORM, "name": "  ", "latitude": 44.894, "longitude": 37.316}
    assert investigator.post("/api/v1/facilities", json=blank).status_code == 422
    patched = investigator.patch(
        f"/api/v1/facilities/{facility['id']}", json={"version": 1, "name": " \t "}
    )
    assert patched.status_code == 422
    kept = investigator.get(f"/api/v1/facilities/{facility['id']}").json()
    assert kept["name"] == FORM["name"]


def test_an_edit_to_a_name_of_spaces_is_refused_and_the_typing_kept(
    investigator: TestClient,
) -> None:
    facility = _registered(investigator)
    investigator.cookies.set("ridni_lang", "uk")
    path = f"/facilities/{facility['id']}/edit"
    form = {
        **FORM,
        "name": "   ",
        "notes": "нотатка дослідника",
        "version": "1",
        "csrf_token": csrf_token(investigator, path),
    }
    page = investigator.post(path, data=form, follow_redirects=False)
    assert page.status_code == 400
    assert _field_error(page.text, "name") == "Це поле обов’язкове."
    assert "нотатка дослідника" in page.text
    assert "String should" not in page.text


def test_a_facility_stored_with_an_empty_name_opens_for_repair(
    investigator: TestClient, db: Database
) -> None:
    facility = _registered(investigator)
    with db.session() as session:  # saved before blank names were refused
        session.execute(update(Facility).where(Facility.id == facility["id"]).values(name=""))
    path = f"/facilities/{facility['id']}/edit"
    assert investigator.get(path).status_code == 200
    form = {**FORM, "name": "Ромашка", "version": "1", "csrf_token": csrf_token(investigator, path)}
    repaired = investigator.post(path, data=form, follow_redirects=False)
    assert repaired.status_code == 303, repaired.text
    assert investigator.get(f"/api/v1/facilities/{facility['id']}").json()["name"] == "Ромашка"


@pytest.mark.parametrize(
    ("fields", "field", "ukrainian", "english"),
    [
        ({"longitude": ""}, "longitude", "Вкажіть і широту, і довготу", "give both latitude"),
        ({"latitude": "abc"}, "latitude", "«abc» — не число", "is not a number"),
        ({"latitude": "\u202eкинеШ"}, "latitude", "«кинеШ» — не число", "is not a number"),
        # What float() takes besides numbers: "nan is outside −90…90", "1e-400" children as 0.
        ({"latitude": "NaN"}, "latitude", "«NaN» — не число", "поза межами"),
        ({"longitude": "1e309"}, "longitude", "«1e309» — не число", "поза межами"),
        ({"latitude": "٥٥.٧"}, "latitude", "«٥٥.٧» — не число", "поза межами"),
        ({"min_children": "1e-400"}, "min_children", "«1e-400» — не число", "is not a number"),
        ({"min_children": "1_000"}, "min_children", "«1_000» — не число", "is not a number"),
        ({"latitude": "0", "longitude": "46.41"}, "latitude", "у морі", "lies at sea"),
        ({"latitude": "1800"}, "latitude", "Широта 1800.0 поза межами", "latitude comes first"),
        ({"active_from": "0"}, "active_from", "Не вдалося прочитати дату «0».", "unreadable date"),
        (
            {"active_from": "2012-02-30"},
            "active_from",
            "Неможлива дата «2012-02-30».",
            "day is out of range",
        ),
        (
            {"active_from": "2022", "active_to": "2012-03-14"},
            "active_to",
            "Кінець діяльності (2012-03-14) раніше",
            "is before active from",
        ),
        ({"country": "-5"}, "country", "Невідомий код країни «-5»", "unknown country code"),
        ({"country": "R"}, "country", "Вкажіть дволітерний код країни", "String should"),
        ({"min_children": "-3"}, "min_children", "не менше за 0", "greater than or equal"),
        ({"kind": "zoo"}, "kind", "Оберіть один із варіантів.", "Input should be"),
    ],
)
def test_a_ukrainian_page_says_what_is_wrong_in_ukrainian(
    investigator: TestClient, fields: dict[str, str], field: str, ukrainian: str, english: str
) -> None:
    investigator.cookies.set("ridni_lang", "uk")
    page = _new(investigator, **fields)
    assert page.status_code == 400
    assert ukrainian in _field_error(page.text, field)
    assert english not in page.text
    assert "\u202e" not in page.text.split('id="form-error"')[1].split("</p>")[0]


def test_the_english_page_and_the_api_keep_the_english_line(investigator: TestClient) -> None:
    investigator.cookies.set("ridni_lang", "en")
    page = _new(investigator, latitude="abc")
    assert _field_error(page.text, "latitude") == "“abc” is not a number."
    api = investigator.post(
        "/api/v1/facilities", json={**FORM, "latitude": 1800.0, "longitude": 37.3}
    )
    assert api.status_code == 400
    assert api.json()["detail"] == "latitude 1800.0 is outside −90…90 — latitude comes first"
    body = '{"name": "Ромашка", "kind": "camp_sanatorium", "country": "RU", '
    for latitude, longitude, detail in (
        ("NaN", "37.3", "“nan” is not a number"),
        ("44.6", "-Infinity", "“-inf” is not a number"),
    ):
        api = investigator.post(
            "/api/v1/facilities",
            content=f'{body}"latitude": {latitude}, "longitude": {longitude}}}',
            headers={"content-type": "application/json"},
        )
        assert api.status_code == 400, api.text
        assert api.json()["detail"] == detail
