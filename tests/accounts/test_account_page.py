"""The account page in the reader's language: what each API-token permission allows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ridni.security.matrix import PERMISSIONS
from ridni.storage.engine import Database
from tests.helpers import login, make_user


def test_token_scopes_are_described_in_ukrainian(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/account").text
    assert "Список справ і сторінки справ (аналітики бачать їх без імен і місць)" in page
    assert "Черга перевірки та рішення щодо можливих збігів" in page
    for name, permission in PERMISSIONS.items():
        assert permission.description not in page, name
    client.cookies.set("ridni_lang", "en")
    page = client.get("/account").text
    assert PERMISSIONS["children.read"].description in page
