"""An ``Authorization: Bearer`` token of an odd shape is a 401 like any wrong token. Its number
was read with ``str.isdigit()``, which also takes "²" (a byte a header may carry, read as
Latin-1) that ``int()`` refuses, and up to 18 digits, past what PostgreSQL's INTEGER id holds:
both were a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.accounts.tokens import authenticate_token, create_token
from ridni.ids import MAX_ID
from ridni.storage.engine import Database
from tests.helpers import make_user

ODD = [
    "ridni_\u00b2_secret",  # superscript two: Latin-1 byte B2
    "ridni_\u00b9\u00b3_secret",
    "ridni_\u0663_secret",  # an Arabic-Indic three: int() reads it, no ASCII id is written so
    f"ridni_{MAX_ID + 1}_secret",
    f"ridni_{'9' * 18}_secret",
    f"ridni_{2**63}_secret",
    f"ridni_{'1' * 5000}_secret",
    "ridni_0_secret",
    "ridni_1_",
    "ridni__secret",
]


def _raw_get(client: TestClient, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    """The status of a GET whose headers reach the app as these bytes, as a server passes
    them (the test client would send them as UTF-8)."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    client.portal.call(client.app, scope, receive, send)  # type: ignore[union-attr]
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


@pytest.mark.parametrize("text", ODD)
def test_a_token_of_an_odd_shape_names_no_token(db: Database, text: str) -> None:
    with db.session() as session:
        user = make_user(session)
        create_token(session, user, "real", ["children.read"])
        assert authenticate_token(session, text) is None


@pytest.mark.parametrize("text", ODD)
def test_the_api_answers_an_odd_token_401(client: TestClient, db: Database, text: str) -> None:
    header = f"Bearer {text}".encode("utf-8", "replace")
    if text.isascii():
        response = client.get("/api/v1/children", headers={"Authorization": header.decode()})
        assert response.status_code == 401, response.text
        assert response.json()["detail"] == "invalid, expired or revoked token"
    elif text.encode("latin-1", "ignore").decode("latin-1") == text:
        raw = f"Bearer {text}".encode("latin-1")
        assert _raw_get(client, "/api/v1/children", [(b"authorization", raw)]) == 401


def test_a_real_token_still_works(client: TestClient, db: Database) -> None:
    with db.session() as session:
        user = make_user(session, "admin", RoleName.system_admin, organisation=None)
        _token, text = create_token(session, user, "real", ["children.read"])
    response = client.get("/api/v1/children", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200, response.text
