"""``Idempotency-Key`` on ``POST /api/v1/tracing-requests``: a client's retry is made once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from ridni.accounts.tokens import create_token
from ridni.audit.models import AuditEvent
from ridni.cases.models import Child
from ridni.storage.engine import Database
from ridni.storage.types import utcnow
from ridni.tracing import idempotency
from ridni.tracing.models import IdempotencyKey, TracingRequest
from tests.helpers import make_user
from tests.tracing.conftest import REPORT

URL = "/api/v1/tracing-requests"
KEY = "5f0c6a4e-3b1d-4c2a-9e8f-7a6b5c4d3e2f"


@pytest.fixture
def tokens(db: Database, registry: dict[str, int]) -> dict[str, dict[str, str]]:
    """Two callers, each with an API token that may create tracing requests."""
    headers = {}
    with db.session() as session:
        for name in ("olena", "taras"):
            user = make_user(session, name)
            _token, text = create_token(session, user, f"{name}'s integration", ["tracing.write"])
            headers[name] = {"Authorization": f"Bearer {text}"}
    return headers


def post(
    client: TestClient, auth: dict[str, str], key: str | None = KEY, **changes: object
) -> tuple[int, dict[str, object], dict[str, str]]:
    headers = {**auth, **({"Idempotency-Key": key} if key is not None else {})}
    response = client.post(URL, json={**REPORT, **changes}, headers=headers)
    return response.status_code, response.json(), dict(response.headers)


def counts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        requests = session.scalar(select(func.count(TracingRequest.id))) or 0
        children = session.scalar(select(func.count(Child.id))) or 0
    return requests, children


def test_a_retry_with_the_same_key_makes_one_request_and_gets_the_first_answer(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    code, first, headers = post(client, tokens["olena"])
    assert code == 201, first
    assert "idempotent-replayed" not in headers
    again_code, again, again_headers = post(client, tokens["olena"])
    assert again_code == 201, again
    assert again_headers["idempotent-replayed"] == "true"
    assert again["id"] == first["id"]
    # The retry may be the first answer the client sees: the family's token comes with it.
    assert again["status_token"] == first["status_token"]
    assert again["traces"] == first["traces"]
    assert counts(db) == (1, 1)
    with db.session() as session:
        replay = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert replay is not None and replay.detail["replayed_request"] == first["id"]


def test_the_same_values_written_another_way_are_the_same_body(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    code, first, _headers = post(client, tokens["olena"])
    assert code == 201
    typed = {"birth_year": 2012, "birth_month": 3, "birth_day": 14, "consent_tracing": True}
    again_code, again, _headers = post(client, tokens["olena"], **typed)
    assert (again_code, again["id"]) == (201, first["id"])
    assert counts(db) == (1, 1)


def test_the_same_key_with_other_values_is_refused_and_saves_nothing(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    code, first, _headers = post(client, tokens["olena"])
    assert code == 201
    refused_code, refused, _headers = post(client, tokens["olena"], given_name="Остап")
    assert refused_code == 422
    assert refused["detail"] == [
        {
            "loc": ["header", "Idempotency-Key"],
            "msg": f"this Idempotency-Key was already used for another request (tracing "
            f"request {first['id']}, sent with other values); send a new key for a new request",
            "type": "idempotency_key_reused",
        }
    ]
    assert counts(db) == (1, 1)


def test_two_keys_make_two_requests_and_no_key_keeps_todays_behaviour(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    one = post(client, tokens["olena"], key="first-" + "a" * 20)
    two = post(client, tokens["olena"], key="second-" + "b" * 20)
    assert one[0] == two[0] == 201
    assert one[1]["id"] != two[1]["id"]
    assert counts(db) == (2, 2)
    assert post(client, tokens["olena"], key=None)[0] == 201
    assert post(client, tokens["olena"], key=None)[0] == 201
    assert counts(db) == (4, 4)


def test_another_callers_same_key_is_their_own(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    olena = post(client, tokens["olena"])
    taras = post(client, tokens["taras"], given_name="Остап")
    assert olena[0] == taras[0] == 201, taras
    assert olena[1]["id"] != taras[1]["id"]
    assert post(client, tokens["taras"], given_name="Остап")[1]["id"] == taras[1]["id"]
    assert post(client, tokens["olena"])[1]["id"] == olena[1]["id"]
    assert counts(db) == (2, 2)


def test_a_key_is_kept_a_day_then_forgotten(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    first = post(client, tokens["olena"])[1]
    with db.session() as session:
        session.execute(
            update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=23, minutes=59))
        )
    assert post(client, tokens["olena"])[1]["id"] == first["id"]
    with db.session() as session:
        session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    later = post(client, tokens["olena"], given_name="Остап")
    assert later[0] == 201 and later[1]["id"] != first["id"]
    with db.session() as session:
        # The old key, and the status token kept with it, are gone; the new one is kept.
        assert [k.request_id for k in session.scalars(select(IdempotencyKey))] == [later[1]["id"]]


def test_a_copy_sent_at_the_same_time_gets_the_first_answer(
    client: TestClient,
    db: Database,
    tokens: dict[str, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two copies in flight together: the second passes the "seen before?" check before the
    first is saved, then meets its key in the database."""
    first = post(client, tokens["olena"])[1]
    real = idempotency.remembered
    calls: list[int] = []

    def not_yet_saved(*args: object) -> object:
        calls.append(1)
        return None if len(calls) == 1 else real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(idempotency, "remembered", not_yet_saved)
    code, again, headers = post(client, tokens["olena"])
    assert (code, again["id"], headers["idempotent-replayed"]) == (201, first["id"], "true")
    assert len(calls) == 2
    assert counts(db) == (1, 1)


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "ключ-" + "k" * 20, "a\tb"])
def test_an_unusable_key_is_refused_by_name(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]], key: str
) -> None:
    headers = {**tokens["olena"], "Idempotency-Key": key}
    response = client.post(URL, json=REPORT, headers={k: v.encode() for k, v in headers.items()})
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["header", "Idempotency-Key"]
    assert "1 to 255 visible ASCII characters" in problem["msg"]
    assert counts(db) == (0, 0)


def test_a_quoted_key_is_the_same_key(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    first = post(client, tokens["olena"], key=KEY)[1]
    assert post(client, tokens["olena"], key=f'"{KEY}"')[1]["id"] == first["id"]
    assert counts(db) == (1, 1)


def test_a_refused_body_does_not_use_up_the_key(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    code, refused, _headers = post(client, tokens["olena"], inquirer_contact="")
    assert code == 422 and refused["detail"][0]["loc"] == ["body", "inquirer_contact"]
    assert post(client, tokens["olena"])[0] == 201
    assert counts(db) == (1, 1)


def test_a_key_replayed_after_moving_to_another_organisation_shows_nothing(
    client: TestClient, db: Database, tokens: dict[str, dict[str, str]]
) -> None:
    from ridni.accounts.models import User
    from ridni.accounts.service import ensure_organisation

    code, first, _ = post(client, tokens["olena"])
    assert code == 201, first
    with db.session() as session:
        other = ensure_organisation(session, "Another NGO (synthetic)")
        session.execute(
            update(User).where(User.username == "olena").values(organisation_id=other.id)
        )
    code, again, headers = post(client, tokens["olena"])
    assert code == 422, again
    assert "idempotent-replayed" not in headers
    assert "may no longer see" in str(again)
    assert str(first["id"]) not in str(again) and "status_token" not in str(again)
    assert counts(db) == (1, 1)
