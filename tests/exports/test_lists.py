"""List exports: permissions per role, record scope, filters, encryption, audit, injection."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ridni.accounts.models import Organisation
from ridni.cases.service import Filters
from ridni.exports.access import Exporter
from ridni.exports.fields import choose_fields
from ridni.exports.selection import rows
from ridni.storage.engine import Database
from tests.exports.conftest import (
    EXPORT_PASSWORD,
    REASON,
    audit_events,
    unzip,
    world,
)
from tests.helpers import csrf_token, login

NAMED = ["id", "family_name", "given_name", "birth_date", "birth_place", "status", "organisation"]


def _post(client: TestClient, **body: object) -> Any:
    return client.post("/api/v1/exports/list", json=body)


def _csv(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_caseworker_exports_an_encrypted_list_in_scope_and_it_is_audited(
    client: TestClient, db: Database
) -> None:
    w = world(db)
    login(client, "caseworker")
    response = client.post(
        "/api/v1/exports/list",
        json={
            "fields": NAMED,
            "status": "verified",
            "password": EXPORT_PASSWORD,
            "reason": REASON,
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-ridni-encrypted"] == "aes-256"
    assert "-encrypted.zip" in response.headers["content-disposition"]
    raw = response.content
    for name in ("Шевченко", "Коваленко", "Олександр"):
        assert name.encode() not in raw  # ciphertext only
    name, content = unzip(raw)
    assert name.endswith(".csv")
    rows = _csv(content)
    ids = {int(row["id"]) for row in rows}
    # Own organisation's cases and the other's shared one; never the unshared one.
    assert ids == {w.verified, w.hostile, w.shared}
    first = next(row for row in rows if int(row["id"]) == w.verified)
    assert first["family_name"] == "Шевченко"
    assert first["birth_date"] == "2012-03-14"
    assert first["organisation"] == "Test NGO (synthetic)"

    (event,) = audit_events(db, "export list")
    assert event.actor == "caseworker"
    assert event.reason == REASON
    assert event.detail["fields"] == NAMED
    assert event.detail["filters"] == {"status": "verified"}
    assert event.detail["rows"] == 3
    assert event.detail["encrypted"] is True
    assert event.detail["sha256"] == response.headers["x-ridni-sha256"]
    assert event.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.detail["delivered_sha256"] == hashlib.sha256(raw).hexdigest()


def test_wrong_password_does_not_open_the_archive(client: TestClient, db: Database) -> None:
    world(db)
    login(client, "caseworker")
    response = _post(client, fields=["id", "family_name"], password=EXPORT_PASSWORD, reason=REASON)
    with pytest.raises(RuntimeError, match="Bad password"):
        unzip(response.content, "not the password at all")


def test_spreadsheet_formulas_are_neutralised(client: TestClient, db: Database) -> None:
    w = world(db)
    login(client, "system_admin")
    response = _post(
        client,
        fields=["id", "given_name", "family_name", "patronymic", "birth_place"],
        password=EXPORT_PASSWORD,
        reason=REASON,
        format="xlsx",
    )
    assert response.status_code == 200
    name, content = unzip(response.content)
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {w.verified, w.hostile, w.shared, w.hidden}  # system admin: all
    hostile = rows[w.hostile]
    assert hostile[1:] == ('\'=HYPERLINK("http://x")', "'+Злий", "'@SUM(1)", "'-1+2")
    for cell in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in cell)

    csv_response = _post(
        client, fields=["id", "given_name"], password=EXPORT_PASSWORD, reason=REASON
    )
    _name, text = unzip(csv_response.content)
    assert "'=HYPERLINK" in text.decode("utf-8-sig")


def test_analyst_exports_only_fields_without_names_and_gets_a_plain_file(
    client: TestClient, db: Database
) -> None:
    w = world(db)
    login(client, "analyst")
    refused = _post(client, fields=["id", "family_name"])
    assert refused.status_code == 403
    assert "names or places" in refused.json()["detail"]
    fields = client.get("/api/v1/exports/fields").json()
    assert {f["name"]: f["allowed"] for f in fields}["birth_place"] is False

    response = _post(client, fields=["id", "status", "origin_oblast", "last_facility"])
    assert response.status_code == 200
    assert response.headers["x-ridni-encrypted"] == "no"
    rows = _csv(response.content)
    assert {int(r["id"]) for r in rows} == {w.verified, w.hostile, w.shared}
    by_id = {int(r["id"]): r for r in rows}
    assert by_id[w.verified]["last_facility"] == "ДОЛ «Ромашка» [SYNTHETIC]"
    (event,) = audit_events(db, "export list")
    assert event.actor == "analyst"
    assert event.detail["personal"] is False


def test_filters_oblast_and_organisation(client: TestClient, db: Database) -> None:
    w = world(db)
    login(client, "caseworker")
    response = _post(client, fields=["id"], oblast="Херсонська")
    assert {int(r["id"]) for r in _csv(response.content)} == {w.verified, w.shared}
    with db.session() as session:
        other = session.scalar(
            select(Organisation.id).where(Organisation.name == "Other NGO (synthetic)")
        )
    response = _post(client, fields=["id"], organisation_id=other)
    assert {int(r["id"]) for r in _csv(response.content)} == {w.shared}


def test_bad_requests_are_answered_clearly(client: TestClient, db: Database) -> None:
    world(db)
    login(client, "caseworker")
    unknown = _post(client, fields=["id", "shoe_size"])
    assert unknown.status_code == 422
    (problem,) = unknown.json()["detail"]
    assert problem["loc"] == ["body", "fields"]
    assert "unknown field 'shoe_size'" in problem["msg"]
    short = _post(client, fields=["id", "family_name"], password="short", reason=REASON)
    assert short.status_code == 422
    assert "too short" in short.json()["detail"][0]["msg"]
    assert "at least 12" in short.json()["detail"][0]["msg"]
    no_reason = _post(client, fields=["family_name"], password=EXPORT_PASSWORD)
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    assert audit_events(db, "export list") == []


def test_roles_without_the_permission_are_refused(client: TestClient, db: Database) -> None:
    world(db)
    anonymous = _post(client, fields=["id"])
    assert anonymous.status_code == 401


def test_the_export_page_form(client: TestClient, db: Database) -> None:
    w = world(db)
    login(client, "analyst")
    page = client.get("/exports")
    assert page.status_code == 200
    assert 'value="family_name"' not in page.text  # analysts are not offered names
    assert 'href="/exports"' in page.text  # the navigation offers it
    client.cookies.clear()
    login(client, "caseworker")
    client.cookies.set("ridni_lang", "en")
    page = client.get("/exports")
    assert 'value="family_name"' in page.text
    assert "AES-256" in page.text
    token = csrf_token(client, "/exports")
    short = client.post(
        "/exports",
        data={
            "csrf_token": token,
            "fields": ["id", "family_name"],
            "password": "short",
            "reason": REASON,
        },
    )
    assert short.status_code == 422
    assert "The password is too short (5 characters). Give at least 12 characters;" in short.text
    assert "Traceback" not in short.text
    done = client.post(
        "/exports",
        data={
            "csrf_token": token,
            "fields": ["id", "family_name"],
            "status": "verified",
            "format": "xlsx",
            "password": EXPORT_PASSWORD,
            "reason": REASON,
        },
    )
    assert done.status_code == 200
    assert done.headers["content-type"] == "application/zip"
    _name, content = unzip(done.content)
    ids = [
        row[0]
        for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert sorted(ids) == sorted([w.verified, w.hostile, w.shared])
    (event,) = audit_events(db, "export list")
    assert event.detail["channel"] == "web"
    assert event.detail["format"] == "xlsx"


def test_export_refusals_on_pages_are_in_ukrainian(client: TestClient, db: Database) -> None:
    w = world(db)
    login(client, "caseworker")
    client.cookies.set("ridni_lang", "uk")
    no_reason = client.post(
        "/exports",
        data={
            "csrf_token": csrf_token(client, "/exports"),
            "fields": ["id", "family_name"],
            "password": EXPORT_PASSWORD,
            "reason": "",
        },
    )
    assert no_reason.status_code == 422
    assert "Для експорту з персональними даними потрібна підстава. Вкажіть, навіщо" in (
        no_reason.text
    )
    dossier = client.post(
        f"/children/{w.verified}/dossier",
        data={
            "csrf_token": csrf_token(client, f"/children/{w.verified}/dossier"),
            "password": "short",
            "reason": REASON,
        },
    )
    assert dossier.status_code == 422
    assert "Пароль закороткий (символів: 5). Вкажіть щонайменше 12 символів;" in dossier.text
    for page in (no_reason.text, dossier.text):
        assert "a reason is required" not in page and "too short" not in page
    assert audit_events(db, "export list") == audit_events(db, "export dossier") == []


def test_rows_are_read_in_batches_without_skipping_any(db: Database) -> None:
    w = world(db)
    exporter = Exporter("admin", None, None, frozenset({"names.read"}), True, "test")
    fields = choose_fields(["id", "record_count", "last_seen"], names_allowed=True)
    with db.session() as session:
        got = list(rows(session, fields, Filters(), exporter, batch=1))
    assert [row[0] for row in got] == sorted([w.verified, w.hostile, w.shared, w.hidden])
    assert got[0][1:] == [1, "2022-10"]


def test_a_name_holding_control_characters_does_not_break_a_spreadsheet(
    client: TestClient, db: Database
) -> None:
    """Older records (or a list imported as it was) may hold a NUL or a vertical tab, which
    spreadsheets refuse: the export drops them instead of failing for everyone."""
    from ridni.cases.models import Child

    w = world(db)
    with db.session() as session:
        child = session.get(Child, w.verified)
        assert child is not None
        child.family_name = "Ше\x00вч\x0bенко"
    login(client, "system_admin")
    response = _post(
        client,
        fields=["id", "family_name"],
        password=EXPORT_PASSWORD,
        reason=REASON,
        format="xlsx",
    )
    assert response.status_code == 200, response.text
    _name, content = unzip(response.content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names[w.verified] == "Шевч енко"


@pytest.mark.parametrize(
    "typo",
    [
        {"status": "verifed"},
        {"organisation": "abc"},
        {"organisation": "99999"},
        {"oblast": "Марс"},
        {"format": "pdf"},
    ],
)
def test_a_filter_the_form_does_not_offer_is_refused_not_widened(
    client: TestClient, db: Database, typo: dict[str, str]
) -> None:
    world(db)
    login(client, "caseworker")
    client.cookies.set("ridni_lang", "en")
    refused = client.post(
        "/exports",
        data={
            "csrf_token": csrf_token(client, "/exports"),
            "fields": ["id", "status"],
            "reason": REASON,
            **typo,
        },
    )
    assert refused.status_code == 422
    assert "is not one of the options; nothing was exported." in refused.text
    assert audit_events(db, "export list") == []


def test_a_noncharacter_in_a_name_does_not_make_the_spreadsheet_unreadable(
    client: TestClient, db: Database
) -> None:
    from ridni.cases.models import Child

    w = world(db)
    with db.session() as session:
        child = session.get(Child, w.verified)
        assert child is not None
        child.given_name = "Лесь\uffff\ufffe"
    login(client, "system_admin")
    response = _post(
        client, fields=["id", "given_name"], password=EXPORT_PASSWORD, reason=REASON, format="xlsx"
    )
    assert response.status_code == 200, response.text
    _name, content = unzip(response.content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names[w.verified] == "Лесь"
