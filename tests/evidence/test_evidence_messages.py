"""Evidence and claim forms say what is wrong in the reader's language; a file whose name holds
a control character is stored under a clean name and downloads; implausible captures and
claim dates are refused."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ridni.evidence.models import EvidenceFile, EvidenceKind, FileRole
from ridni.evidence.service import EvidenceIn, Upload, collect, store_for
from ridni.security.encryption import ring_of
from ridni.storage.engine import Database
from tests.evidence.conftest import PDF
from tests.helpers import csrf_token, make_child, make_source

CAPTURE = {
    "title": "Camp page [SYNTHETIC]",
    "kind": "web_capture",
    "url": "https://example.org/camp",
    "captured_at": "2024-05-01T14:30:00Z",
}
HTML = ("page.html", b"<html>synthetic</html>", "text/html")


def _alert(page: str) -> str:
    found = re.search(r'id="form-error">(.*?)</p>', page, re.S)
    assert found, "no error on the page"
    return html.unescape(found.group(1))


def _upload(client: TestClient, files: dict[str, Any], **fields: str) -> Any:
    form = {"title": "Camp list [SYNTHETIC]", "kind": "document", **fields}
    form["csrf_token"] = csrf_token(client, "/evidence/new")
    return client.post("/evidence/new", data=form, files=files, follow_redirects=False)


def _raw_upload(client: TestClient, filename: bytes) -> Any:
    """An upload whose file name is sent byte for byte (httpx would percent-encode a NUL)."""
    parts = [
        b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nNote [SYNTHETIC]\r\n',
        b'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndocument\r\n',
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--b--\r\n",
    ]
    return client.post(
        "/api/v1/evidence",
        content=b"".join(parts),
        headers={"content-type": "multipart/form-data; boundary=b"},
    )


def test_a_file_named_with_a_nul_is_stored_clean_and_downloads(investigator: TestClient) -> None:
    created = _raw_upload(investigator, b"a\x00b\x07.pdf")
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["files"][0]["filename"] == "ab.pdf"
    got = investigator.get(f"/evidence/{item['id']}/files/{item['files'][0]['id']}")
    assert got.status_code == 200 and got.content == PDF
    assert 'filename="ab.pdf"' in got.headers["content-disposition"]


def test_a_file_stored_earlier_with_a_control_character_still_downloads(
    investigator: TestClient, db: Database, app: Any
) -> None:
    created = investigator.post(
        "/api/v1/evidence",
        data={"title": "Note [SYNTHETIC]", "kind": "document", "collector": "tester"},
        files={"file": ("old.pdf", PDF, "application/pdf")},
    ).json()
    with db.session() as session:  # as names were kept before they were cleaned
        session.execute(update(EvidenceFile).values(filename="o\x01l\x7fd.pdf"))
    got = investigator.get(f"/evidence/{created['id']}/files/{created['files'][0]['id']}")
    assert got.status_code == 200 and got.content == PDF
    assert 'filename="old.pdf"' in got.headers["content-disposition"]


@pytest.mark.parametrize(
    ("files", "fields", "ukrainian", "english"),
    [
        ({"file": ("a.pdf", PDF)}, {"title": "  "}, "Назва: Доказу потрібна назва.", "needs a"),
        ({"file": ("a.pdf", PDF)}, {"kind": "xx"}, "Невідомий вид доказу «xx».", "unknown kind"),
        (
            {"file": ("a.pdf", PDF)},
            {"facility_id": "999999"},
            "Немає закладу з номером 999999.",
            "no facility",
        ),
        ({"file": ("a.pdf", PDF)}, {"source_id": "abc"}, "«abc» — не число", "not a number"),
        ({"file": ("a.pdf", b"")}, {}, "Файл: Файл a.pdf порожній.", "is empty"),
        ({"file": ("a.exe", b"MZ")}, {}, "не приймаються як докази", "not accepted"),
        ({"file": ("a.pdf", b"MZ")}, {}, "не містить того, що каже його назва", "does not"),
        ({}, {}, "Файл: Оберіть файл для завантаження.", "choose a file"),
    ],
)
def test_the_upload_form_says_what_is_wrong_in_ukrainian(
    investigator: TestClient,
    files: dict[str, Any],
    fields: dict[str, str],
    ukrainian: str,
    english: str,
) -> None:
    investigator.cookies.set("ridni_lang", "uk")
    page = _upload(investigator, files, **fields)
    assert page.status_code == 400
    assert ukrainian in _alert(page.text)
    assert english not in page.text


@pytest.mark.parametrize(
    ("fields", "ukrainian", "english"),
    [
        ({"captured_at": "2024-05-01T14:30:00"}, "не вказано часового поясу", "no time zone"),
        ({"captured_at": "2999-01-01T00:00:00Z"}, "Час збереження ще не настав.", "future"),
        ({"captured_at": "0001-01-01T00:00:00Z"}, "раніший за 1991 рік", "before 1991"),
        # No UTC time at the calendar's edge: an OverflowError, a 500 (and a CLI traceback).
        ({"captured_at": "0001-01-01T00:00:00+01:00"}, "раніший за 1991 рік", "before 1991"),
        ({"captured_at": "9999-12-31T23:59:59-01:00"}, "Час збереження ще не настав.", "future"),
        ({"url": "http://"}, "потрібна адреса, з якої її збережено", "needs the address"),
        ({"url": "ftp://example.org/"}, "потрібна адреса", "needs the address"),
    ],
)
def test_an_implausible_web_capture_is_refused_in_ukrainian(
    investigator: TestClient, fields: dict[str, str], ukrainian: str, english: str
) -> None:
    investigator.cookies.set("ridni_lang", "uk")
    page = _upload(investigator, {"html": HTML}, **{**CAPTURE, **fields})
    assert page.status_code == 400
    assert ukrainian in _alert(page.text)
    assert english not in page.text
    api = investigator.post("/api/v1/evidence", data={**CAPTURE, **fields}, files={"html": HTML})
    assert api.status_code == 400 and english in api.json()["detail"]


def test_a_custody_entry_without_a_reason_is_refused_in_ukrainian(
    investigator: TestClient, db: Database, app: Any
) -> None:
    with db.session() as session:
        store = store_for(app.state.settings, ring_of(session.get_bind().dialect))
        data = EvidenceIn("List [SYNTHETIC]", EvidenceKind.document, "tester")
        data.files = [Upload(FileRole.original, "list.pdf", io.BytesIO(PDF))]
        evidence_id = collect(session, store, data).id
    investigator.cookies.set("ridni_lang", "uk")
    path = f"/evidence/{evidence_id}"
    form = {"action": "transferred", "reason": "   ", "csrf_token": csrf_token(investigator, path)}
    page = investigator.post(f"{path}/custody", data=form, follow_redirects=False)
    assert page.status_code == 400
    assert "Вкажіть причину (записи про зберігання фіксують, хто, коли і чому)." in page.text
    assert "say why" not in page.text


def _claim(client: TestClient, **fields: str) -> Any:
    form = {"kind": "quantity", "statement": "120 children [SYNTHETIC]", **fields}
    form["csrf_token"] = csrf_token(client, "/claims")
    return client.post("/claims", data=form, follow_redirects=False)


def test_the_claim_form_says_what_is_wrong_in_ukrainian(
    investigator: TestClient, db: Database
) -> None:
    with db.session() as session:
        source = str(make_source(session).id)
        child = str(make_child(session).id)
    investigator.cookies.set("ridni_lang", "uk")
    counted = {"source_id": source, "quantity": "120", "measure": "children"}
    cases = [
        ({"source_id": ""}, "Джерело: Оберіть джерело.", "valid integer"),
        ({"source_id": " "}, "Джерело: Оберіть джерело.", "valid integer"),
        ({**counted, "statement": "   "}, "Твердження: Це поле обов’язкове.", "String should"),
        (
            {**counted, "child_id": "999999"},
            "Номер дитини: Немає дитини з номером 999999.",
            "no child",
        ),
        (
            {"source_id": source},
            "Кількість: Твердження про кількість називає число",
            "a quantity claim",
        ),
        ({**counted, "part_of_claim_id": child}, "Частина має належати", "a part must"),
        ({**counted, "on_date": "2099"}, "Дата: Дата 2099 ще не настала.", "in the future"),
        ({**counted, "on_date": "0"}, "Дата: Не вдалося прочитати дату «0».", "unreadable date"),
        ({**counted, "kind": "xx"}, "Вид: Оберіть один із варіантів.", "Input should be"),
    ]
    for fields, ukrainian, english in cases:
        page = _claim(investigator, **fields)
        assert page.status_code == 400, fields
        assert ukrainian in _alert(page.text), fields
        assert english not in page.text, fields
    assert investigator.get("/api/v1/claims").json() == []


def test_the_claim_api_refuses_a_blank_statement_and_a_future_date(
    investigator: TestClient, db: Database
) -> None:
    with db.session() as session:
        source = make_source(session).id
    claim = {"source_id": source, "kind": "quantity", "quantity": 5, "measure": "children"}
    blank = investigator.post("/api/v1/claims", json={**claim, "statement": "  "})
    assert blank.status_code == 422
    future = investigator.post(
        "/api/v1/claims", json={**claim, "statement": "five", "on_date": "2099"}
    )
    assert future.status_code == 400 and "in the future" in future.json()["detail"]
