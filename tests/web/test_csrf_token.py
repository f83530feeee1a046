"""A form's CSRF token that is not ASCII (a hand-made post, a mangled paste): the comparison
raised TypeError and the answer was a 500; it is the form-expired answer like any wrong token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ridni.storage.engine import Database
from ridni.tracing.models import TracingRequest
from tests.helpers import csrf_token, login, make_user
from tests.tracing.conftest import REPORT

NOT_ASCII = ["é", "Ї" * 43, "\U0001f600"]


@pytest.mark.parametrize("token", NOT_ASCII)
def test_a_login_with_a_token_that_is_not_ascii_is_refused_as_expired(
    client: TestClient, db: Database, token: str
) -> None:
    with db.session() as session:
        make_user(session)
    client.cookies.set("ridni_lang", "en")
    csrf_token(client)  # the browser has its cookie
    response = client.post(
        "/login", data={"username": "caseworker", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 403, response.text
    assert "The form expired" in response.text
    login(client)  # and the next, proper, login works


@pytest.mark.parametrize("token", NOT_ASCII)
def test_a_family_report_with_a_token_that_is_not_ascii_comes_back_filled_in(
    client: TestClient, db: Database, token: str
) -> None:
    csrf_token(client, "/report")
    response = client.post("/report", data={**REPORT, "csrf_token": token})
    assert response.status_code == 403, response.text
    assert 'id="form-expired"' in response.text and 'value="Шевченко"' in response.text
    with db.session() as session:
        assert session.scalars(select(TracingRequest)).all() == []
