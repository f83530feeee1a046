"""Evidence through the API and the form: clear refusals, and viewing is logged."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from tests.evidence.conftest import PDF
from tests.helpers import csrf_token, login, make_user


def _ready(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    login(client, "investigator")


def test_upload_view_grade_and_log(client: TestClient, db: Database) -> None:
    _ready(client, db)
    created = client.post(
        "/api/v1/evidence",
        data={"title": "Camp list [SYNTHETIC]", "kind": "document", "collector": "tester"},
        files={"file": ("list.pdf", PDF, "application/pdf")},
    )
    assert created.status_code == 201, created.text
    item = created.json()
    assert len(item["sha256"]) == 64 and [c["action"] for c in item["custody"]] == ["collected"]
    evidence_id, file_id = item["id"], item["files"][0]["id"]
    assert client.get(f"/evidence/{evidence_id}/files/{file_id}").content == PDF
    client.put(f"/api/v1/evidence/{evidence_id}/reliability", json={"reliability": "B"})
    graded = client.put(
        f"/api/v1/evidence/{evidence_id}/credibility", json={"credibility": "2"}
    ).json()
    assert (graded["reliability"], graded["credibility"]) == ("B", "2")
    assert [c["action"] for c in graded["custody"]] == [
        "collected",
        "viewed",
        "analysed",
        "analysed",
    ]
    page = client.get(f"/evidence/{evidence_id}")
    assert "source reliability F → B" in page.text


def test_refusals_are_clear_and_save_nothing(client: TestClient, db: Database) -> None:
    _ready(client, db)
    exe = client.post(
        "/api/v1/evidence",
        data={"title": "x", "kind": "document"},
        files={"file": ("run.exe", b"MZ", "application/octet-stream")},
    )
    assert exe.status_code == 400 and "not accepted" in exe.json()["detail"]
    no_time = client.post(
        "/api/v1/evidence",
        data={
            "title": "Page",
            "kind": "web_capture",
            "url": "https://example.org/",
            "tool": "wget",
        },
        files={"html": ("page.html", b"<html></html>", "text/html")},
    )
    assert no_time.status_code == 400 and "capture time (UTC)" in no_time.json()["detail"]
    form = client.post(
        "/evidence/new",
        data={
            "csrf_token": csrf_token(client, "/evidence/new"),
            "title": "Page",
            "kind": "web_capture",
            "url": "https://example.org/",
        },
        files={"html": ("page.html", b"<html></html>", "text/html")},
    )
    assert form.status_code == 400 and "потрібен час збереження (UTC)" in form.text
    assert client.get("/api/v1/evidence").json() == []
