"""The PDF dossier: who may download it, what it says (in Cyrillic), that it is encrypted and
audited, and that it renders (pdftoppm, where installed)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from typer.testing import CliRunner

from ridni.cli.main import app as cli
from ridni.storage.engine import Database
from tests.exports.conftest import EXPORT_PASSWORD, REASON, audit_events, unzip, world
from tests.helpers import csrf_token, login


def _dossier(client: TestClient, child_id: int, **body: str) -> Any:
    payload = {"password": EXPORT_PASSWORD, "reason": REASON, **body}
    return client.post(f"/api/v1/children/{child_id}/dossier", json=payload)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_investigator_downloads_an_encrypted_dossier_in_cyrillic(
    client: TestClient, db: Database
) -> None:
    w = world(db)
    login(client, "investigator")
    response = _dossier(client, w.verified)
    assert response.status_code == 200, response.text
    raw = response.content
    assert response.headers["x-ridni-encrypted"] == "aes-256"
    assert "Шевченко".encode() not in raw
    name, pdf = unzip(raw)
    assert name.startswith(f"ridni-dossier-case-{w.verified}-")
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in ("Шевченко", "Олександр", "Александр", "ДОЛ «Ромашка»", "two lists agree"):
        assert expected in text, expected
    (event,) = audit_events(db, "export dossier")
    assert event.actor == "investigator"
    assert event.entity_id == str(w.verified)
    assert event.reason == REASON
    assert event.detail["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert event.detail["encrypted"] is True


def test_dossier_permissions_scope_and_bad_input(client: TestClient, db: Database) -> None:
    w = world(db)
    login(client, "analyst")
    denied = _dossier(client, w.verified)
    assert denied.status_code == 403
    page = client.get(f"/children/{w.verified}")
    assert "dossier-link" not in page.text
    client.cookies.clear()
    login(client, "caseworker")
    assert "dossier-link" in client.get(f"/children/{w.verified}").text
    hidden = _dossier(client, w.hidden)  # another organisation's, not shared
    assert hidden.status_code == 404
    unknown = _dossier(client, 999_999)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no child with id 999999"
    short = _dossier(client, w.verified, password="short")
    assert short.status_code == 422
    assert "too short" in short.json()["detail"][0]["msg"]
    assert audit_events(db, "export dossier") == []
    # The web form: a page first, then the download.
    form = client.get(f"/children/{w.verified}/dossier")
    assert "AES-256" in form.text
    done = client.post(
        f"/children/{w.verified}/dossier",
        data={
            "csrf_token": csrf_token(client, f"/children/{w.verified}/dossier"),
            "password": EXPORT_PASSWORD,
            "reason": REASON,
        },
    )
    assert done.status_code == 200
    assert "encrypted.zip" in done.headers["content-disposition"]
    assert len(audit_events(db, "export dossier")) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_dossier_renders_to_png(client: TestClient, db: Database, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    w = world(db)
    login(client, "system_admin")
    _name, pdf = unzip(_dossier(client, w.verified).content)
    (tmp_path / "dossier.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "dossier.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 2000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "dossier.pdf", "-"], cwd=tmp_path, capture_output=True, check=True
        ).stdout.decode()
        assert "Шевченко" in text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_exports_are_scoped_encrypted_and_audited(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world(db)
    monkeypatch.setenv("RIDNI_DATABASE_URL", str(db.engine.url.render_as_string(False)))
    monkeypatch.setenv("EXPORT_SECRET", EXPORT_PASSWORD)
    runner = CliRunner()
    out = tmp_path / "list.zip"
    result = runner.invoke(
        cli,
        [
            "export", "list", "--fields", "id,family_name,status", "--status", "verified",
            "--format", "csv", "--out", str(out), "--user", "caseworker",
            "--reason", REASON, "--password-env", "EXPORT_SECRET",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "AES-256 encrypted ZIP" in result.output
    _name, content = unzip(out.read_bytes())
    text = content.decode("utf-8-sig")
    assert "Шевченко" in text
    assert "Таємна" not in text  # another organisation's unshared case
    dossier = tmp_path / "dossier.zip"
    secret = tmp_path / "secret.txt"
    secret.write_text(EXPORT_PASSWORD + "\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        [
            "export", "dossier", str(w.verified), "--out", str(dossier), "--user", "caseworker",
            "--reason", REASON, "--password-file", str(secret),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert unzip(dossier.read_bytes())[1].startswith(b"%PDF")
    (list_event,) = audit_events(db, "export list")
    (dossier_event,) = audit_events(db, "export dossier")
    assert list_event.detail["channel"] == dossier_event.detail["channel"] == "cli"
    assert list_event.detail["rows"] == 3
    # Refusals: an analyst asking for names, a short password, an unknown child.
    result = runner.invoke(
        cli,
        ["export", "list", "--fields", "id,given_name", "--out", str(out), "--user", "analyst"],
    )
    assert result.exit_code == 6
    assert "may not export names" in result.output
    result = runner.invoke(
        cli,
        [
            "export", "dossier", str(w.hidden), "--out", str(dossier), "--user", "caseworker",
            "--reason", REASON, "--password-env", "EXPORT_SECRET",
        ],
    )  # fmt: skip
    assert result.exit_code == 5
    assert "no child with id" in result.output
    assert "Traceback" not in result.output
