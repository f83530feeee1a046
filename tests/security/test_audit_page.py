"""/admin/audit says what each event did and what its permission allows, in the reader's
language, with the action as recorded beside the words."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.audit.actions import WORDS, action_words
from ridni.audit.chain import record
from ridni.security.matrix import PERMISSIONS, ROUTES
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_user


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
    assert "Перегляд списку справ" in row.group(0)
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


def _rows(client: TestClient, **filters: str) -> list[str]:
    page = client.get("/admin/audit", params=filters)
    assert page.status_code == 200, page.text
    return re.findall(r"<tr><td>\d+</td>.*?</tr>", page.text, re.S)


def _opened_a_case(client: TestClient, db: Database) -> None:
    """The caseworker opens a case on its page and through the API; the admin then signs in."""
    with db.session() as session:
        make_user(session)
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        child_id = make_child(session).id
    login(client)
    assert client.get(f"/children/{child_id}").status_code == 200
    assert client.get(f"/api/v1/children/{child_id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "admin")


def test_an_action_is_shown_in_words_with_the_route_beside_them(
    client: TestClient, db: Database
) -> None:
    _opened_a_case(client, db)
    client.cookies.set("ridni_lang", "en")
    api, page = _rows(client, actor="caseworker", action="/children/{child_id}")
    assert '<span class="action-words">Opened a child&#39;s case</span>' in page
    assert "<code>read /children/{child_id}</code>" in page
    assert "Case list and case pages" in page  # the permission, as before
    assert "Opened a child&#39;s case, through the API" in api
    assert "<code>read /api/v1/children/{child_id}</code>" in api


def test_the_words_are_in_ukrainian_for_a_ukrainian_reader(
    client: TestClient, db: Database
) -> None:
    _opened_a_case(client, db)
    client.cookies.set("ridni_lang", "uk")
    api, page = _rows(client, actor="caseworker", action="/children/{child_id}")
    assert '<span class="action-words">Перегляд справи дитини</span>' in page
    assert "Перегляд справи дитини, через API" in api
    assert "<code>read /children/{child_id}</code>" in page
    assert "Opened" not in page + api


def test_the_filter_finds_an_action_by_its_words_in_the_readers_language(
    client: TestClient, db: Database
) -> None:
    _opened_a_case(client, db)
    client.cookies.set("ridni_lang", "en")
    assert len(_rows(client, actor="caseworker", action="opened a CHILD'S case")) == 2
    client.cookies.set("ridni_lang", "uk")
    rows = _rows(client, actor="caseworker", action="справи дитини")
    assert len(rows) == 2 and all("Перегляд справи дитини" in row for row in rows)
    assert _rows(client, actor="caseworker", action="no such words") == []


def test_an_action_without_words_is_shown_as_recorded(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
        record(session, "recount shelters", actor="olena (script)", detail={"via": "cli"})
    login(client, "admin")
    for language in ("en", "uk"):
        client.cookies.set("ridni_lang", language)
        (row,) = _rows(client, actor="olena (script)")
        assert "<code>recount shelters</code>" in row
        assert "action-words" not in row


def test_every_audited_route_has_words() -> None:
    """The guard records every write and every read of personal data under the route's name:
    each has words for the audit page (add them to ridni.audit.actions.WORDS)."""
    audited = {
        f"{'read' if method == 'GET' or permission.endswith('.read') else 'write'} {path}"
        for (method, path), permission in ROUTES.items()
        if PERMISSIONS[permission].personal or method != "GET"
    }
    assert sorted(audited - set(WORDS)) == []
    assert sorted(set(WORDS) - audited) == [
        "close tracing request",
        "export dossier",
        "export list",
        "reopen tracing request",
    ]
    assert action_words("write /api/v1/tracing-requests") == (
        "Registered a tracing request, through the API"
    )
    assert action_words("read /nowhere") is None
