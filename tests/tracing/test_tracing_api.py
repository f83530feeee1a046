"""The tracing workflow through the JSON API, as an integration would use it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.storage.engine import Database
from tests.helpers import login, make_source, make_user
from tests.tracing.conftest import REPORT


@pytest.fixture
def signed_in(client: TestClient, db: Database, registry: dict[str, int]) -> TestClient:
    with db.session() as session:
        make_user(session)
    login(client)
    return client


def test_a_request_is_matched_on_creation_and_decided_through_the_api(
    signed_in: TestClient, registry: dict[str, int]
) -> None:
    created = signed_in.post("/api/v1/tracing-requests", json=REPORT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status_token"] and body["traces"][0]["record"]["given_name"] == "Олександр"
    queue = signed_in.get("/api/v1/review/queue").json()
    assert queue["total"] >= 1
    best = queue["items"][0]
    assert best["found"]["id"] == registry["boy"]
    fields = {f["field"]: f for f in best["fields"]}
    assert fields["given_name"]["sought"] == "Олександр"
    assert fields["given_name"]["found"] == "Александр"
    assert fields["birth_date"]["weight"] > 0
    decided = signed_in.post(
        f"/api/v1/candidates/{best['id']}/decisions",
        json={"decision": "confirm", "reason": "mother recognised photo"},
    )
    assert decided.status_code == 200
    assert decided.json()["state"] == "confirmed"
    assert decided.json()["decisions"][0]["reason"] == "mother recognised photo"
    again = signed_in.post(
        f"/api/v1/candidates/{best['id']}/decisions", json={"decision": "reject"}
    )
    assert again.status_code == 409
    status = signed_in.get(f"/api/v1/status/{body['status_token']}").json()
    assert status["statuses"] == ["located"]
    child_id = body["traces"][0]["record"]["child_id"]
    child = signed_in.get(f"/api/v1/children/{child_id}").json()
    assert len(child["records"]) == 2


def test_unknown_and_invalid_ids(signed_in: TestClient) -> None:
    assert signed_in.get("/api/v1/candidates/999999").status_code == 404
    assert signed_in.get("/api/v1/tracing-requests/999999").status_code == 404
    assert signed_in.get("/api/v1/candidates/abc").status_code == 422
    assert (
        signed_in.post("/api/v1/candidates/1/decisions", json={"decision": "maybe"}).status_code
        == 422
    )
    assert signed_in.get("/api/v1/status/" + "z" * 30).status_code == 404


def test_invalid_requests_name_each_field(signed_in: TestClient) -> None:
    response = signed_in.post(
        "/api/v1/tracing-requests",
        json={**REPORT, "birth_day": "30", "birth_month": "2", "inquirer_contact": ""},
    )
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"birth_day", "inquirer_contact"}


def test_a_new_registry_entry_is_matched_against_open_requests(
    signed_in: TestClient, db: Database
) -> None:
    signed_in.post("/api/v1/tracing-requests", json=REPORT)
    with db.session() as session:
        listing = make_source(session, "Adoption listing (synthetic)").id
    entry = {
        "source_id": listing,
        "source_ref": "listing-77",
        "kind": "adoption_listing",
        "given_name": "Aleksandr",
        "family_name": "Sh.",
        "birth_date": "2012",
        "birth_place": "Kherson",
    }
    added = signed_in.post("/api/v1/records", json=entry)
    assert added.status_code == 201, added.text
    assert added.json()["new_candidates"] == 1
    assert signed_in.post("/api/v1/records", json=entry).status_code == 409
    bad = signed_in.post(
        "/api/v1/records", json={**entry, "source_ref": "x", "birth_date": "2012-13"}
    )
    assert bad.status_code == 400 and "impossible date" in bad.json()["detail"]
    unknown = signed_in.post("/api/v1/records", json={**entry, "source_id": 999999})
    assert unknown.status_code == 404


def test_the_api_needs_a_login(client: TestClient) -> None:
    assert client.get("/api/v1/review/queue").status_code == 401
    assert client.post("/api/v1/tracing-requests", json=REPORT).status_code == 401
