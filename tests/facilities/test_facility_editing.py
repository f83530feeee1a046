"""Editing a facility: the registration checks again, a history of who changed what, stale
edits refused with the other person's change shown."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ridni.accounts.models import RoleName
from ridni.facilities.editing import StaleFacilityEdit, as_input, edit_facility
from ridni.facilities.models import Facility, FacilityKind
from ridni.facilities.schemas import FacilityIn
from ridni.facilities.service import create_facility, get_facility
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user

ANAPA = {"latitude": 44.894, "longitude": 37.316}
SIMFEROPOL = {"latitude": 44.952, "longitude": 34.102}


def _registered(client: TestClient, db: Database, **fields: Any) -> dict[str, Any]:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    login(client, "investigator")
    body = {
        "name": "ДОЛ «Ромашка» [SYNTHETIC]",
        "kind": "camp_sanatorium",
        "country": "RU",
        "settlement": "Анапа",
        "activities": ["re_education"],
        "active_from": "2022-05",
        **ANAPA,
        **fields,
    }
    created = client.post("/api/v1/facilities", json=body)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


def _patch(client: TestClient, facility: dict[str, Any], **fields: Any) -> Any:
    return client.patch(
        f"/api/v1/facilities/{facility['id']}", json={"version": facility["version"], **fields}
    )


def test_names_activities_and_place_change_and_each_change_is_logged(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    changed = _patch(
        client,
        facility,
        reason="research report, p. 12",
        other_names=[{"name": "Romashka camp", "language": "en"}],
        activities=["re_education", "military_training"],
        active_to="2023",
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["version"] == 2 and body["activities"] == ["military_training", "re_education"]
    assert client.get("/api/v1/facilities", params={"q": "romashka camp"}).json()["total"] == 1
    history = client.get(f"/api/v1/facilities/{facility['id']}/history").json()
    assert {(h["field"], h["old_value"], h["new_value"]) for h in history} == {
        ("other_names", None, "Romashka camp [en]"),
        ("activities", "re_education", "military_training; re_education"),
        ("active_to", None, "2023"),
    }
    assert {h["username"] for h in history} == {"investigator"}
    assert {h["reason"] for h in history} == {"research report, p. 12"}
    page = client.get(f"/facilities/{facility['id']}")
    assert f'href="/facilities/{facility["id"]}/edit"' in page.text
    assert "research report, p. 12" in page.text and "Romashka camp [en]" in page.text


def test_edits_are_checked_like_registrations_and_refusals_change_nothing(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    out_of_range = _patch(client, facility, latitude=95.0)
    assert out_of_range.status_code == 400 and "latitude" in out_of_range.json()["detail"]
    swapped = _patch(client, facility, latitude=ANAPA["longitude"], longitude=ANAPA["latitude"])
    assert swapped.status_code == 400 and "swapped" in swapped.json()["detail"]
    occupied = _patch(client, facility, occupied_territory=True)
    assert occupied.status_code == 400 and "occupied" in occupied.json()["detail"]
    backwards = _patch(client, facility, active_to="2021")
    assert backwards.status_code == 400 and "before active from" in backwards.json()["detail"]
    crimea = _patch(client, facility, name="Чайка [SYNTHETIC]", country="RU", **SIMFEROPOL)
    assert crimea.status_code == 400 and "Ukraine" in crimea.json()["detail"]
    assert _patch(client, facility, name="").status_code == 422
    after = client.get(f"/api/v1/facilities/{facility['id']}").json()
    assert after["version"] == 1 and after["latitude"] == ANAPA["latitude"]
    assert client.get(f"/api/v1/facilities/{facility['id']}/history").json() == []
    moved = _patch(client, facility, country="UA", occupied_territory=True, **SIMFEROPOL)
    assert moved.status_code == 200 and moved.json()["occupied_territory"] is True


def test_a_stale_edit_is_refused_and_shows_the_change_made_meanwhile(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    first = _patch(client, facility, min_children=40, reason="camp list")
    assert first.status_code == 200
    second = _patch(client, facility, min_children=12, name="Other name")
    assert second.status_code == 409
    assert [
        (c["field"], c["old_value"], c["new_value"], c["reason"]) for c in second.json()["changes"]
    ] == [("min_children", None, "40", "camp list")]
    now = client.get(f"/api/v1/facilities/{facility['id']}").json()
    assert now["min_children"] == 40 and now["name"] == facility["name"]


def test_a_merge_makes_an_open_edit_stale(client: TestClient, db: Database) -> None:
    keeper = _registered(client, db)
    other = client.post(
        "/api/v1/facilities",
        json={
            "name": "Лагерь Ромашка",
            "kind": "camp_sanatorium",
            "country": "RU",
            "confirm_not_duplicate": True,
            **ANAPA,
        },
    ).json()
    client.post(f"/api/v1/facilities/{other['id']}/merge", json={"into": keeper["id"]})
    stale = _patch(client, keeper, notes="late edit")
    assert stale.status_code == 409
    assert [c["field"] for c in stale.json()["changes"]] == ["merged"]


def test_renaming_into_a_near_duplicate_is_offered_for_merge(
    client: TestClient, db: Database
) -> None:
    keeper = _registered(client, db)
    other = client.post(
        "/api/v1/facilities",
        json={"name": "Гостиница «Волна»", "kind": "hotel", "country": "RU", **ANAPA},
    ).json()
    renamed = _patch(client, other, name="Лагерь Ромашка")
    assert renamed.status_code == 409
    assert [c["id"] for c in renamed.json()["candidates"]] == [keeper["id"]]
    assert (
        _patch(client, other, name="Лагерь Ромашка", confirm_not_duplicate=True).status_code == 200
    )
    # Its notes can be edited later without confirming again.
    assert _patch(client, {**other, "version": 2}, notes="seen in 2023").status_code == 200


def test_the_edit_page_saves_keeps_values_on_error_and_shows_a_conflict(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    url = f"/facilities/{facility['id']}/edit"
    page = client.get(url)
    assert 'name="version" value="1"' in page.text and "ДОЛ «Ромашка» [SYNTHETIC]" in page.text
    form = {
        "csrf_token": csrf_token(client, url),
        "version": "1",
        "name": "ДОЛ «Ромашка» [SYNTHETIC]",
        "kind": "camp_sanatorium",
        "country": "RU",
        "latitude": "37.316",
        "longitude": "44.894",
        "activity": ["re_education", "medical"],
        "other_names": "ru: Лагерь Ромашка\nRomashka",
        "government_level": "regional",
        "confidence": "medium",
        "active_from": "2022-05",
    }
    swapped = client.post(url, data=form)
    assert swapped.status_code == 400 and "переставлено місцями" in swapped.text
    assert 'value="37.316"' in swapped.text and "Лагерь Ромашка" in swapped.text
    saved = client.post(url, data={**form, **ANAPA}, follow_redirects=False)
    assert saved.status_code == 303
    detail = client.get(f"/api/v1/facilities/{facility['id']}").json()
    assert detail["other_names"] == [
        {"name": "Лагерь Ромашка", "language": "ru"},
        {"name": "Romashka", "language": None},
    ]
    assert detail["activities"] == ["medical", "re_education"]
    assert detail["government_level"] == "regional" and detail["confidence"] == "medium"
    stale = client.post(url, data={**form, **ANAPA, "notes": "mine"})
    assert stale.status_code == 409 and 'id="conflict"' in stale.text
    assert "mine" in stale.text and 'name="version" value="2"' in stale.text


def test_of_two_edits_racing_from_one_version_only_one_is_applied(db: Database) -> None:
    with db.session() as session:
        facility = create_facility(
            session,
            FacilityIn(name="Лагерь «Ромашка» [SYNTHETIC]", kind=FacilityKind.hotel, country="RU"),
        )
        # Another editor's change lands between reading the version and writing: the row says
        # version 2, this session still holds 1.
        session.execute(
            update(Facility)
            .where(Facility.id == facility.id)
            .values(version=2)
            .execution_options(synchronize_session=False)
        )
        data = as_input(facility).model_copy(update={"notes": "late"})
        with pytest.raises(StaleFacilityEdit):
            edit_facility(session, facility.id, data, based_on_version=1, user_id=None)
        session.expire_all()
        assert get_facility(session, facility.id).notes == ""


def test_a_merge_into_a_number_too_big_to_be_real_is_refused(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    huge = "9" * 20
    page = client.post(
        f"/facilities/{facility['id']}/merge",
        data={"csrf_token": csrf_token(client, f"/facilities/{facility['id']}"), "into": huge},
    )
    assert page.status_code == 422
    api = client.post(f"/api/v1/facilities/{facility['id']}/merge", json={"into": int(huge)})
    assert api.status_code == 422
    assert client.get(f"/api/v1/facilities/{facility['id']}").status_code == 200


def test_an_edit_with_a_version_too_big_to_be_real_is_refused_not_a_server_error(
    client: TestClient, db: Database
) -> None:
    facility = _registered(client, db)
    page = f"/facilities/{facility['id']}/edit"
    sent = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "version": "9" * 20,
            "name": "Renamed [SYNTHETIC]",
            "kind": "camp_sanatorium",
            "country": "RU",
            "reason": "typo",
        },
    )
    assert sent.status_code == 400
    assert client.get(f"/api/v1/facilities/{facility['id']}").json()["name"] == facility["name"]
