"""An edit based on a version past 2147483647 (a hand-made post, a mangled hidden field): a
version is an INTEGER column, and PostgreSQL refused to look for the changes since such a
version, so the stale-edit answer was a 500. It is refused as a version we never wrote."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.accounts.tokens import create_token
from ridni.ids import MAX_ID
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_user

PAST = MAX_ID + 1
SCOPES = ["children.read", "children.write", "facilities.write", "movements.write"]


@pytest.fixture
def made(client: TestClient, db: Database) -> dict[str, object]:
    """A child with one movement and a facility, made through the API as the admin."""
    with db.session() as session:
        admin = make_user(session, "admin", RoleName.system_admin, organisation=None)
        child_id = make_child(session).id
        _token, text = create_token(session, admin, "edits", SCOPES)
    auth = {"Authorization": f"Bearer {text}"}
    camp = {"name": "Camp (synthetic)", "country": "RU", "kind": "camp_sanatorium"}
    facility = client.post("/api/v1/facilities", json=camp, headers=auth)
    step = {"kind": "taken", "on_date": "2022-05-01", "from_place": "Херсон"}
    movement = client.post(f"/api/v1/children/{child_id}/movements", json=step, headers=auth)
    assert facility.status_code == movement.status_code == 201
    return {
        "auth": auth,
        "child": child_id,
        "facility": facility.json()["id"],
        "movement": movement.json()["id"],
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/v1/facilities/{facility}", {"name": "Other"}),
        ("PATCH", "/api/v1/children/{child}", {"given_name": "Інший"}),
        ("PATCH", "/api/v1/movements/{movement}", {"notes": "x", "reason": "a source"}),
        ("POST", "/api/v1/movements/{movement}/withdrawal", {"reason": "a source"}),
    ],
)
def test_the_api_refuses_a_version_past_the_column(
    client: TestClient, made: dict[str, object], method: str, path: str, body: dict[str, object]
) -> None:
    url = path.format(**made)
    response = client.request(
        method,
        url,
        json={**body, "version": PAST},
        headers=made["auth"],  # type: ignore[arg-type]
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "version"


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/children/{child}/edit", {"given_name": "Інший", "family_name": "Шевченко"}),
        (
            "/facilities/{facility}/edit",
            {"name": "Other", "country": "RU", "kind": "camp_sanatorium"},
        ),
        (
            "/children/{child}/movements/{movement}/edit",
            {"kind": "taken", "on_date": "2022", "reason": "a source"},
        ),
        ("/children/{child}/movements/{movement}/withdraw", {"reason": "a source"}),
    ],
)
def test_an_edit_page_refuses_a_version_past_the_column(
    client: TestClient, made: dict[str, object], path: str, form: dict[str, str]
) -> None:
    login(client, "admin")
    client.cookies.set("ridni_lang", "uk")
    url = path.format(**made)
    token = csrf_token(client, f"/children/{made['child']}")
    response = client.post(url, data={**form, "version": str(PAST), "csrf_token": token})
    assert response.status_code in (400, 422), response.text  # the page, refusing it in words
    assert 'lang="uk"' in response.text and "Код помилки" not in response.text
