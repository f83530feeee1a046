"""A refused evidence upload, web capture, custody entry or claim comes back with what was
typed and the message beside the field it names, in the reader's language; nothing is saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ridni.evidence.models import EvidenceKind, FileRole
from ridni.evidence.service import EvidenceIn, Upload, collect, store_for
from ridni.security.encryption import ring_of
from ridni.storage.engine import Database
from tests.evidence.conftest import PDF
from tests.evidence.form_fields import field_error, form_values
from tests.helpers import csrf_token, make_source

pytestmark = pytest.mark.usefixtures("in_ukrainian")


@pytest.fixture
def source(db: Database) -> str:
    with db.session() as session:
        return str(make_source(session).id)


def _post(client: TestClient, path: str, form: dict[str, str], **files: Any) -> Any:
    data = {**form, "csrf_token": csrf_token(client, path)}
    return client.post(path, data=data, files=files or None, follow_redirects=False)


def test_a_refused_upload_keeps_what_was_typed(investigator: TestClient, source: str) -> None:
    typed = {
        "title": "Список табору «Ромашка» [SYNTHETIC]",
        "kind": "photo",
        "collector": "Оксана К.",
        "source_id": source,
        "facility_id": "999999",
        "description": "Фото списку на дошці оголошень",
        "reason": "Надіслала родина 2024-05-01",
    }
    page = _post(investigator, "/evidence/new", typed, file=("list.pdf", PDF))
    assert page.status_code == 400
    assert field_error(page.text, "facility_id") == "Немає закладу з номером 999999."
    assert form_values(page.text, "upload-form") == {**typed}
    # the other form stays as it was, and nothing was saved
    assert form_values(page.text, "capture-form") == {
        "kind": "web_capture", "title": "", "url": "", "captured_at": "", "tool": "",
        "collector": "", "source_id": "", "facility_id": "", "description": "", "reason": "",
    }  # fmt: skip
    assert investigator.get("/api/v1/evidence").json() == []


def test_a_refused_file_is_named_beside_the_file_field(investigator: TestClient) -> None:
    typed = {"title": "Лист [SYNTHETIC]", "kind": "document", "collector": "Оксана К."}
    page = _post(investigator, "/evidence/new", typed, file=("a.pdf", b""))
    assert page.status_code == 400
    assert field_error(page.text, "file") == "Файл a.pdf порожній."
    assert form_values(page.text, "upload-form")["title"] == typed["title"]
    assert investigator.get("/api/v1/evidence").json() == []


def test_a_refused_web_capture_keeps_what_was_typed(investigator: TestClient) -> None:
    typed = {
        "title": "Сторінка табору [SYNTHETIC]",
        "kind": "web_capture",
        "url": "https://example.org/camp",
        "captured_at": "2024-05-01T14:30:00",
        "tool": "ArchiveBox 0.7",
        "collector": "Оксана К.",
        "description": "Оголошення про «оздоровлення»",
    }
    html = ("page.html", b"<html>synthetic</html>", "text/html")
    page = _post(investigator, "/evidence/new", typed, html=html)
    assert page.status_code == 400
    assert "не вказано часового поясу" in field_error(page.text, "captured_at")
    shown = form_values(page.text, "capture-form")
    assert {k: shown[k] for k in typed} == typed
    assert form_values(page.text, "upload-form")["title"] == ""
    assert investigator.get("/api/v1/evidence").json() == []


def _evidence(db: Database, app: Any) -> int:
    with db.session() as session:
        store = store_for(app.state.settings, ring_of(session.get_bind().dialect))
        data = EvidenceIn("Список [SYNTHETIC]", EvidenceKind.document, "tester")
        data.files = [Upload(FileRole.original, "list.pdf", io.BytesIO(PDF))]
        return collect(session, store, data).id


@pytest.mark.parametrize(
    ("typed", "field", "ukrainian"),
    [
        (
            {"action": "analysed", "reason": "   "},
            "reason",
            "Вкажіть причину (записи про зберігання фіксують, хто, коли і чому).",
        ),
        (
            {"action": "collected", "reason": "Передано до прокуратури"},
            "action",
            "Запис «зібрано» робиться один раз, коли доказ додають.",
        ),
    ],
)
def test_a_refused_custody_entry_comes_back_on_the_evidence_page(
    investigator: TestClient,
    db: Database,
    app: Any,
    typed: dict[str, str],
    field: str,
    ukrainian: str,
) -> None:
    evidence_id = _evidence(db, app)
    path = f"/evidence/{evidence_id}"
    data = {**typed, "csrf_token": csrf_token(investigator, path)}
    page = investigator.post(f"{path}/custody", data=data, follow_redirects=False)
    assert page.status_code == 400
    assert "<h1>Список [SYNTHETIC]</h1>" in page.text  # the evidence page, not an error page
    assert field_error(page.text, field) == ukrainian
    shown = form_values(page.text, f"{path}/custody")
    assert shown["reason"] == typed["reason"]
    if typed["action"] != "collected":  # not offered: the list cannot show it chosen
        assert shown["action"] == typed["action"]
    log = investigator.get(f"/api/v1{path}").json()["custody"]
    assert [entry["action"] for entry in log] == ["collected"]


def test_a_refused_claim_keeps_what_was_typed(investigator: TestClient, source: str) -> None:
    typed = {
        "source_id": source,
        "kind": "quantity",
        "statement": "У таборі 120 дітей [SYNTHETIC]",
        "facility_id": "",
        "child_id": "",
        "on_date": "2099",
        "quantity": "120",
        "measure": "children",
        "region": "Краснодарський край",
        "part_of_claim_id": "",
        "activity": "re_education",
        "credibility": "2",
    }
    page = _post(investigator, "/claims", typed)
    assert page.status_code == 400
    assert field_error(page.text, "on_date") == "Дата 2099 ще не настала. Перевірте рік."
    assert form_values(page.text, "/claims") == typed
    blank = _post(investigator, "/claims", {**typed, "on_date": "2023-06", "statement": "  "})
    assert blank.status_code == 400
    assert field_error(blank.text, "statement") == "Це поле обов’язкове."
    assert form_values(blank.text, "/claims")["region"] == "Краснодарський край"
    assert investigator.get("/api/v1/claims").json() == []
