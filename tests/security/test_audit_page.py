"""/admin/audit says what each event's permission allows, in the reader's language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user


def test_the_audit_page_says_in_words_what_was_done(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
        make_user(session, "admin", RoleName.system_admin, organisation=None)
    login(client)
    assert client.get("/children").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "admin")
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/admin/audit", params={"actor": "caseworker", "action": "/children"})
    assert page.status_code == 200
    row = re.search(r"<tr><td>\d+</td>.*?</tr>", page.text, re.S)
    assert row, page.text
    assert "Список справ і сторінки справ" in row.group(0)
    assert "<code>read /children</code>" in row.group(0)


def test_a_broken_chain_is_explained_in_the_readers_language(
    client: TestClient, db: Database
) -> None:
    from sqlalchemy import text

    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
    login(client, "admin")
    client.get("/children")  # a few events to tamper with
    with db.engine.begin() as connection:
        first = connection.execute(text("SELECT min(id) FROM audit_events")).scalar_one()
        connection.execute(
            text("UPDATE audit_events SET action = 'nothing' WHERE id = :id"), {"id": first}
        )
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/admin/audit")
    problems = re.search(r'id="audit-problems".*?</div>', page.text, re.S)
    assert problems, page.text
    assert f"подію {first} змінено після запису" in problems.group(0)
    assert "was changed" not in problems.group(0) and "modified" not in problems.group(0)
