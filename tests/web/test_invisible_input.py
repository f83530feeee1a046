"""Names made of control or invisible characters: cleaned where they come in, refused when
nothing visible is left, and never able to break an export."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.cases.models import Child, Record
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_source, make_user

INVISIBLE = ["\x00", "\x00\x0b", "\u200b\u00a0", "\ufeff "]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_of_nothing_visible_is_refused_as_blank(investigator: TestClient, name: str) -> None:
    facility = investigator.post(
        "/api/v1/facilities",
        json={"name": name, "kind": "camp_sanatorium", "country": "RU"},
    )
    assert facility.status_code == 422, facility.text
    actor = investigator.post("/api/v1/actors", json={"name": name, "kind": "person"})
    assert actor.status_code == 422, actor.text
    token = investigator.post(
        "/account/tokens",
        data={
            "csrf_token": csrf_token(investigator, "/account"),
            "name": name,
            "scope": "facilities.read",
        },
    )
    assert token.status_code == 422 and 'id="new-token"' not in token.text
    assert investigator.get("/api/v1/facilities").json()["total"] == 0
    assert investigator.get("/api/v1/actors").json() == []


def test_the_api_drops_control_characters_from_names(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
        child = make_child(session).id
        source = make_source(session).id
    login(client)
    version = client.get(f"/api/v1/children/{child}").json()["version"]
    edited = client.patch(
        f"/api/v1/children/{child}",
        json={
            "version": version,
            "reason": "qa",
            "given_name": "Ан\x00на",
            "family_name": "Чм\x0bіль",
        },
    )
    assert edited.status_code == 200, edited.text
    created = client.post(
        "/api/v1/records",
        json={"source_id": source, "source_ref": "row-1", "given_name": "Ре\x00корд\uffff"},
    )
    assert created.status_code == 201, created.text
    with db.session() as session:
        stored = session.get(Child, child)
        assert stored is not None
        assert (stored.given_name, stored.family_name) == ("Анна", "Чм іль")
        record = session.get(Record, created.json()["record"]["id"])
        assert record is not None and record.given_name == "Рекорд"
