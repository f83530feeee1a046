"""`ridni` as a real process: it serves, and every expected failure is one clear line."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import httpx2 as httpx
import pytest

from ridni.storage.engine import Database
from tests.servers import free_port, ridni, running
from tests.tracing.conftest import REPORT


def assert_one_clear_line(result: object, code: int, *phrases: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == code, (result.stdout, stderr)  # type: ignore[attr-defined]
    assert "Traceback" not in stderr + result.stdout  # type: ignore[attr-defined]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    for phrase in phrases:
        assert phrase in lines[0]


def test_a_bad_setting(tmp_path: Path) -> None:
    result = ridni("serve", env={"RIDNI_PORT": "eighty"})
    assert_one_clear_line(result, 2, "RIDNI_PORT='eighty'", "docs/settings.md")


def test_a_misspelt_setting() -> None:
    result = ridni("db", "current", env={"RIDNI_DATABSE_URL": "sqlite:///x.db"})
    assert_one_clear_line(result, 2, "unknown setting RIDNI_DATABSE_URL", "RIDNI_DATABASE_URL")


def test_an_unreachable_database() -> None:
    result = ridni(
        "db", "current", env={"RIDNI_DATABASE_URL": "postgresql://ridni:pw@127.0.0.1:1/ridni"}
    )
    assert_one_clear_line(result, 3, "cannot connect to postgresql+psycopg://ridni:***@127.0.0.1:1")


def test_a_corrupted_sqlite_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"\x00garbage" * 500)
    result = ridni("serve", env={"RIDNI_DATABASE_URL": f"sqlite:///{broken}"})
    assert_one_clear_line(result, 3, "not a usable SQLite database", "backup")


def test_a_missing_sqlite_directory(tmp_path: Path) -> None:
    result = ridni(
        "db", "upgrade", env={"RIDNI_DATABASE_URL": f"sqlite:///{tmp_path}/absent/ridni.sqlite3"}
    )
    assert_one_clear_line(result, 3, "does not exist")


def test_an_occupied_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = ridni("serve", "--port", str(port))
    assert_one_clear_line(result, 2, f"port {port} on 127.0.0.1 is already in use", "--port")


def test_serve_answers_on_the_configured_database(db: Database) -> None:
    url = db.url.render_as_string(hide_password=False)
    port = free_port()
    with running("serve", "--port", str(port), env={"RIDNI_DATABASE_URL": url}) as server:
        assert server.url == f"http://127.0.0.1:{port}"
        health = httpx.get(f"{server.url}/api/v1/health", timeout=10).json()
    assert health["status"] == "ok"
    assert health["database"] == db.engine.dialect.name


@pytest.mark.slow
def test_demo_serves_synthetic_children_with_a_printed_login(tmp_path: Path) -> None:
    port = free_port()
    args = ("demo", "--dir", str(tmp_path / "demo"), "--port", str(port), "--children", "2000")
    configured = tmp_path / "configured"  # a real installation's data directory
    with running(*args, env={"RIDNI_DATA_DIR": str(configured)}) as server:
        printed = "".join(server.output)
        match = re.search(r"user caseworker\s+password (\S+)", printed)
        assert match, printed
        assert "synthetic" in printed
        with httpx.Client(base_url=server.url, timeout=10) as client:
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            client.post(
                "/login",
                data={
                    "username": "caseworker",
                    "password": match.group(1),
                    "csrf_token": token.group(1),
                },
            )
            children = client.get("/api/v1/children").json()
            report = client.get("/report")
            token = re.search(r'name="csrf_token" value="([^"]+)"', report.text)
            assert token
            photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
            sent = client.post(
                "/report",
                data={**REPORT, "csrf_token": token.group(1)},
                files=[("photos", ("boy.png", photo, "image/png"))],
            )
            assert sent.status_code == 200, sent.text
    # The caseworker's organisation's cases and those shared with it (record scope).
    assert 1000 < children["total"] <= 2000
    # The family's photo is kept beside the demo database, not in the configured directory.
    assert [p.name for p in (tmp_path / "demo").rglob("*") if p.is_file() and "evidence" in str(p)]
    assert not configured.exists() or not any(configured.rglob("*"))
