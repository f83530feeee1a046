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
