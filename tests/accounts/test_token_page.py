"""The API-token form on /account: a refusal reads as a sentence in the reader's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.tokens import create_token
from ridni.errors import InputError
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user


def test_a_refused_token_name_is_explained_in_ukrainian(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.post(
        "/account/tokens",
        data={"csrf_token": csrf_token(client, "/account"), "name": "x" * 101},
    )
    assert page.status_code == 422
    assert "Токену потрібна назва довжиною до 100 символів." in page.text
    assert "a token needs a name" not in page.text.lower()
    client.cookies.set("ridni_lang", "en")
    page = client.post(
        "/account/tokens",
        data={"csrf_token": csrf_token(client, "/account"), "name": " "},
    )
    assert "A token needs a name of at most 100 characters." in page.text


def test_the_cli_and_api_keep_the_english_line(db: Database) -> None:
    with db.session() as session:
        user = make_user(session)
        with pytest.raises(InputError) as refused:
            create_token(session, user, "", [])
    assert str(refused.value) == "a token needs a name of at most 100 characters"


def test_revoking_a_token_one_does_not_have_is_refused_in_ukrainian(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.post(
        "/account/tokens/999/revoke", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert page.status_code == 400
    assert "У вас немає токена з номером 999." in page.text
    assert "no token number" not in page.text


def test_a_token_without_any_permission_is_refused(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.post(
        "/account/tokens",
        data={"csrf_token": csrf_token(client, "/account"), "name": "noscope"},
    )
    assert page.status_code == 422
    assert "Токену потрібен щонайменше один дозвіл." in page.text
    assert 'id="new-token"' not in page.text
