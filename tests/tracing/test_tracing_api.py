"""The tracing workflow through the JSON API, as an integration would use it."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_source, make_user
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
    # The same decision sent again (a retry after a timeout) answers as the first did and
    # saves nothing more; another decision on a decided candidate is refused.
    retried = signed_in.post(
        f"/api/v1/candidates/{best['id']}/decisions",
        json={"decision": "confirm", "reason": "mother recognised photo"},
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["state"] == "confirmed" and len(retried.json()["decisions"]) == 1
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


def test_the_family_contact_is_only_given_for_a_reason(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    """Neither the answer to a creation (replayed to retries) nor a read shows the family's
    contact, not to the caseworker who made it and not to an organisation administrator
    (who may read requests but not contacts): it is revealed with a reason, audited."""
    with db.session() as session:
        make_user(session)
        make_user(session, "manager", RoleName.org_admin)
    login(client)
    created = client.post(
        "/api/v1/tracing-requests", json=REPORT, headers={"Idempotency-Key": "contact-1"}
    )
    assert created.status_code == 201 and created.json()["inquirer_contact"] is None
    retried = client.post(
        "/api/v1/tracing-requests", json=REPORT, headers={"Idempotency-Key": "contact-1"}
    )
    assert retried.status_code == 201 and retried.json()["inquirer_contact"] is None
    url = f"/api/v1/tracing-requests/{created.json()['id']}"
    assert client.get(url).json()["inquirer_contact"] is None
    assert client.post(url + "/match").status_code == 200
    revealed = client.post(url + "/contact", json={"reason": "calling the mother back"})
    assert revealed.json() == {"contact": "+380 00 000 0000"}
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    client.cookies.clear()
    login(client, "manager")
    read = client.get(url)
    assert read.status_code == 200 and read.json()["inquirer_contact"] is None
    assert "+380 00 000 0000" not in read.text


def test_the_api_needs_a_login(client: TestClient) -> None:
    assert client.get("/api/v1/review/queue").status_code == 401
    assert client.post("/api/v1/tracing-requests", json=REPORT).status_code == 401


# A JSON client's report: numbers as numbers, consents as booleans.
JSON_REPORT = {
    **REPORT,
    "birth_day": 14,
    "birth_month": 3,
    "birth_year": 2012,
    "taken_month": 10,
    "taken_year": 2022,
    "consent_tracing": True,
    "consent_share": False,
}


def test_a_json_client_sends_numbers_and_booleans(signed_in: TestClient) -> None:
    created = signed_in.post("/api/v1/tracing-requests", json=JSON_REPORT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["consent_tracing"] is True and body["consent_share"] is False
    assert body["traces"][0]["record"]["birth_date"] == "2012-03-14"
    assert body["traces"][0]["taken_on"] == "2022-10"
    # The same checks as the form's, by field, for numbers too.
    wrong = signed_in.post(
        "/api/v1/tracing-requests", json={**JSON_REPORT, "birth_day": 30, "birth_month": 2}
    )
    assert wrong.status_code == 422
    assert [e["loc"] for e in wrong.json()["detail"]] == [["body", "birth_day"]]
    refused = signed_in.post(
        "/api/v1/tracing-requests", json={**JSON_REPORT, "consent_tracing": False}
    )
    assert refused.status_code == 422
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["consent_tracing"]


def test_the_form_strings_are_still_read(signed_in: TestClient) -> None:
    mixed = {**JSON_REPORT, "birth_year": " 2012 ", "birth_day": "", "consent_tracing": "true"}
    mixed["consent_share"] = "on"
    created = signed_in.post("/api/v1/tracing-requests", json=mixed)
    assert created.status_code == 201, created.text
    assert created.json()["traces"][0]["record"]["birth_date"] == "2012-03"
    assert created.json()["consent_share"] is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", "abc", "birth_year must be a whole number such as 2012, not the text 'abc'"),
        ("birth_year", True, "birth_year must be a whole number such as 2012, not true"),
        ("birth_month", 3.5, "birth_month must be a whole number such as 2012, not 3.5"),
        ("taken_year", -2022, "taken_year must be a whole number such as 2012, not -2022"),
        ("consent_tracing", 5, "consent_tracing must be true or false, not 5"),
        ("consent_share", "maybe", "consent_share must be true or false, not the text 'maybe'"),
        ("given_name", 7, "given_name must be text (a JSON string), not 7"),
        ("inquirer_contact", ["x"], "inquirer_contact must be text (a JSON string), not a list"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_by_name(
    signed_in: TestClient, field: str, value: object, message: str
) -> None:
    response = signed_in.post("/api/v1/tracing-requests", json={**JSON_REPORT, field: value})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", field], "msg": message, "type": response.json()["detail"][0]["type"]}
    ]
    assert signed_in.get("/api/v1/review/queue").json()["total"] == 0  # nothing was created


@pytest.mark.parametrize("key", [None, "surrogate-1"])
def test_half_a_character_is_refused_by_name(signed_in: TestClient, key: str | None) -> None:
    """JSON may escape half of a UTF-16 pair ("\\udc00"): no character, and it was a 500 (the
    values are hashed for the Idempotency-Key). Refused like a value of the wrong type."""
    body = json.dumps({**JSON_REPORT, "family_name": "Шевч\udc00енко"})
    headers = {"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})}
    response = signed_in.post("/api/v1/tracing-requests", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == [
        {
            "loc": ["body", "family_name"],
            "msg": "family_name must be Unicode text: it holds half of a character "
            "(a lone \\udc00)",
            "type": "string_unicode",
        }
    ]
    assert signed_in.get("/api/v1/review/queue").json()["total"] == 0


def test_a_body_that_is_not_an_object_is_refused(signed_in: TestClient) -> None:
    response = signed_in.post("/api/v1/tracing-requests", json=["given_name"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_the_api_schema_says_numbers_and_booleans(signed_in: TestClient) -> None:
    schema = signed_in.get("/api/openapi.json").json()["components"]["schemas"]
    fields = schema["TracingRequestIn"]["properties"]
    assert {"type": "integer"} in fields["birth_year"]["anyOf"]
    assert fields["consent_tracing"]["type"] == "boolean"
    assert fields["given_name"]["type"] == "string"
