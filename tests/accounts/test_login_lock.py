"""The per-account lock on failed logins counts the account, however its name is typed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ridni.storage.engine import Database
from tests.helpers import PASSWORD, csrf_token, make_user


def _try(client: TestClient, username: str, password: str) -> int:
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    return response.status_code


def test_spaces_around_the_name_do_not_make_another_account_to_lock(
    client: TestClient, db: Database
) -> None:
    """The login reads " Olena " as olena, but the lock counted each spelling on its own:
    five guesses, each with one more space, never locked the account (after five failures
    the right password must wait like any other)."""
    with db.session() as session:
        make_user(session, "olena")
    for spaces in range(5):  # RIDNI_LOGIN_MAX_FAILURES is 5 by default
        assert _try(client, " " * spaces + "Olena" + "\t" * spaces, "wrong guess") == 401
    assert _try(client, "olena ", PASSWORD) == 429
    assert _try(client, "olena", PASSWORD) == 429
