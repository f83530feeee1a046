"""A NUL character (U+0000) typed or pasted into a search, a filter or the login form: PostgreSQL
refuses it in any text, even one only compared with, and that was a 500. It is a 422 that says
what is wrong, in the reader's language; SQLite simply finds nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_user

PAGES = [
    "/children?oblast=Херсон%00",
    "/facilities?country=a%00b",
    "/statistics?oblast=%00",
    "/api/v1/children?oblast=a%00b",
    "/api/v1/facilities?country=a%00b",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_in_a_filter_is_refused_in_words(client: TestClient, db: Database, url: str) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        make_child(session, origin_oblast="Херсонська")
    login(client, "admin")
    client.cookies.set("ridni_lang", "uk")
    response = client.get(url)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:  # PostgreSQL
        if url.startswith("/api/"):
            assert response.json()["detail"][0]["msg"].startswith("A value holds a NUL")
        else:
            assert "символ NUL" in response.text
    assert client.get("/children").status_code == 200  # the next request is served as usual


def test_a_nul_in_the_login_form_is_a_refusal_not_an_error(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session)
    response = client.post(
        "/login",
        data={"username": "case\x00worker", "password": "x", "csrf_token": csrf_token(client)},
    )
    assert response.status_code in (401, 422), response.text
    login(client)
