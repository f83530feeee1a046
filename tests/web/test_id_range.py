"""A number past what an id column holds (2147483648 and up: INTEGER is 32 bits on PostgreSQL)
in an address, a filter, a form or a JSON body: PostgreSQL refused even to compare with it
("integer out of range") and the answer was a 500, while SQLite simply found nothing. It is the
same answer on both: not found, or a refusal that names the field, in the reader's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName, User
from ridni.accounts.tokens import create_token
from ridni.actors.models import Actor, ActorKind
from ridni.ids import MAX_ID
from ridni.security.matrix import PERMISSIONS, allowed, roles_of
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_source, make_user

PAST = MAX_ID + 1  # 2147483648
NOT_FOUND = [
    f"/children/{PAST}",
    f"/children/{PAST}/edit",
    f"/tracing/{PAST}",
    f"/review/{PAST}",
    f"/facilities/{PAST}/edit",
    f"/evidence/{PAST}/files/{PAST}",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_a_page_for_an_id_past_the_column_is_not_found(
    client: TestClient, db: Database, url: str
) -> None:
    with db.session() as session:
        make_user(session, "cw", RoleName.caseworker)  # not every organisation: the guard looks
        make_user(session, "admin", RoleName.system_admin, organisation=None)
    client.cookies.set("ridni_lang", "uk")
    for who in ("cw", "admin"):
        login(client, who)
        response = client.get(url)
        assert response.status_code in (403, 404), (who, response.text)
        if response.status_code == 404:
            assert "Не знайдено" in response.text


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/children/{PAST}",
        f"/api/v1/children/{PAST}/movements",
        f"/api/v1/tracing-requests/{PAST}",
        f"/api/v1/candidates/{PAST}",
        f"/api/v1/facilities/{PAST}/occupancy",
        f"/api/v1/children?facility_id={PAST}",
    ],
)
def test_the_api_refuses_an_id_past_the_column(client: TestClient, db: Database, url: str) -> None:
    with db.session() as session:
        make_user(session, "cw", RoleName.caseworker)
    login(client, "cw")
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"] == f"Input should be less than or equal to {MAX_ID}"


def test_a_filter_with_an_id_past_the_column_is_ignored(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        make_child(session)
    login(client, "admin")
    response = client.get(f"/children?facility={PAST}&organisation={PAST}")
    assert response.status_code == 200, response.text
    assert "Шевченко" in response.text


@pytest.mark.parametrize("field", ["source_id", "child_id", "facility_id", "quantity"])
def test_a_claim_form_with_a_number_past_the_column_names_the_field(
    client: TestClient, db: Database, field: str
) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        source_id = make_source(session).id
    login(client, "admin")
    client.cookies.set("ridni_lang", "uk")
    form = {"kind": "quantity", "statement": "x", "measure": "children", "quantity": "5"}
    form |= {"source_id": str(source_id), field: str(PAST), "csrf_token": csrf_token(client)}
    response = client.post("/claims", data=form)
    assert response.status_code == 400, response.text
    assert f"Вкажіть число, не більше за {MAX_ID}." in response.text


def test_forms_naming_a_record_past_the_column_are_refused_in_words(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        child_id = make_child(session).id
        actor = Actor(name="Synthetic official", kind=ActorKind.person)
        session.add(actor)
        session.flush()
        actor_id = actor.id
    login(client, "admin")
    client.cookies.set("ridni_lang", "uk")
    token = csrf_token(client)
    link = {"role": "operator", "target": "facility", "target_id": str(PAST), "csrf_token": token}
    response = client.post(f"/actors/{actor_id}/links", data=link)
    assert response.status_code == 400, response.text
    assert f"Вкажіть число, не більше за {MAX_ID}." in response.text
    step = {"kind": "taken", "on_date": "2022", "facility": str(PAST), "csrf_token": token}
    response = client.post(f"/children/{child_id}/movements", data=step)
    assert response.status_code == 400, response.text
    assert "Оберіть зі списку або вкажіть номер." in response.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/claims", {"source_id": PAST, "kind": "quantity", "statement": "x"}),
        ("/api/v1/actors/{actor}/links", {"role": "operator", "facility_id": PAST}),
        ("/api/v1/actors/{actor}/links", {"role": "operator", "target_actor_id": 10**20}),
        ("/api/v1/facilities", {"name": "x", "country": "RU", "operator_actor_id": PAST}),
        ("/api/v1/children/{child}/movements", {"kind": "taken", "facility_id": PAST}),
        ("/api/v1/records", {"source_id": PAST, "given_name": "a", "source_ref": "r"}),
        ("/api/v1/exports/list", {"fields": ["id"], "organisation_id": PAST}),
        (f"/api/v1/candidates/{PAST}/decisions", {"decision": "confirm"}),
    ],
)
def test_a_body_naming_a_record_past_the_column_is_a_422(
    client: TestClient, db: Database, path: str, body: dict[str, object]
) -> None:
    with db.session() as session:
        admin = make_user(session, "admin", RoleName.system_admin, organisation=None)
        child_id = make_child(session).id
        actor = Actor(name="Synthetic official", kind=ActorKind.person)
        session.add(actor)
        session.flush()
        _token, text = create_token(session, admin, "all", sorted(_every_scope(admin)))
        url = path.format(actor=actor.id, child=child_id)
    response = client.post(url, json=body, headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 422, response.text
    assert "less than or equal to" in response.text


def _every_scope(user: User) -> set[str]:
    roles = roles_of([role.name.value for role in user.roles])
    return {name for name in PERMISSIONS if name != "public" and allowed(name, roles)}
