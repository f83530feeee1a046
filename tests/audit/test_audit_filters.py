"""/admin/audit's filters as an administrator types them: odd dates, odd text, many pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.audit.chain import record
from ridni.storage.engine import Database
from tests.helpers import login, make_user


@pytest.fixture
def admin(client: TestClient, db: Database) -> TestClient:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
    login(client, "admin")
    client.cookies.set("ridni_lang", "en")
    return client


@pytest.mark.parametrize("url", ["/admin/audit", "/api/v1/audit"])
def test_the_last_day_there_is_is_a_date_like_any_other(admin: TestClient, url: str) -> None:
    """until=9999-12-31 was a 500: the day after it does not exist."""
    for filters in ({"until": "9999-12-31"}, {"since": "2020-01-01", "until": "9999-12-31"}):
        response = admin.get(url, params=filters)
        assert response.status_code == 200, response.text
    page = admin.get("/api/v1/audit", params={"until": "9999-12-31"}).json()
    assert page["total"] >= 1  # the events of the login and of these reads


def test_the_pager_keeps_the_filters(admin: TestClient, db: Database) -> None:
    """Page 2 of a filtered list is page 2 of the same filter, not of every event."""
    with db.session() as session:
        for number in range(60):
            record(session, "export list", actor="olena", entity_id=str(number))
        record(session, "export list", actor="taras")
    first = admin.get("/admin/audit", params={"actor": "olena", "action": "export"})
    assert first.status_code == 200
    assert "Page 1 of 2" in first.text
    link = re.search(r'<a href="([^"]+)" rel="next">', first.text)
    assert link, first.text
    second = admin.get(link.group(1).replace("&amp;", "&"))
    assert "Page 2 of 2" in second.text
    rows = re.findall(r"<tr><td>\d+</td>.*?</tr>", second.text, re.S)
    assert len(rows) == 10 and all("<td>olena</td>" in row for row in rows)
    back = re.search(r'<a href="([^"]+)" rel="prev">', second.text)
    assert back and "actor=olena" in back.group(1) and "page=1" in back.group(1)


@pytest.mark.parametrize("field", ["actor", "action", "entity_type", "entity_id"])
def test_a_control_character_in_a_filter_is_dropped(
    admin: TestClient, db: Database, field: str
) -> None:
    """PostgreSQL refuses a NUL in a query (it was a 500): a control character pasted into a
    filter is dropped, as anywhere typed text comes in."""
    with db.session() as session:
        record(session, "olena", actor="olena", entity_type="olena", entity_id="olena")
    for url in ("/admin/audit", "/api/v1/audit"):
        response = admin.get(url, params={field: "ole\x00na\t"})
        assert response.status_code == 200, response.text
    assert admin.get("/api/v1/audit", params={field: "ole\x00na"}).json()["total"] == 1


@pytest.mark.parametrize("typed", ["об'єднання", "ОБʼЄДНАННЯ", "об’єднання двох"])
def test_the_action_filter_reads_any_apostrophe(
    admin: TestClient, db: Database, typed: str
) -> None:
    """A Ukrainian keyboard types the apostrophe as ' while the words are written with ’:
    «об'єднання» found nothing."""
    with db.session() as session:
        record(session, "write /facilities/{facility_id}/merge", actor="olena", entity_id="7")
    admin.cookies.set("ridni_lang", "uk")
    rows = re.findall(
        r"<tr><td>\d+</td>.*?</tr>", admin.get("/admin/audit", params={"action": typed}).text, re.S
    )
    assert len(rows) == 1 and "Об’єднання двох закладів" in rows[0]


def test_a_replayed_request_does_not_read_as_a_new_one(admin: TestClient, db: Database) -> None:
    """An API retry with its Idempotency-Key saves nothing, but its event read 'Registered a
    tracing request, through the API' like the request that did."""
    with db.session() as session:
        record(
            session,
            "write /api/v1/tracing-requests",
            actor="olena",
            detail={"replayed_request": 7},
        )
    admin.cookies.set("ridni_lang", "uk")
    page = admin.get("/admin/audit", params={"actor": "olena"}).text
    rows = re.findall(r"<tr><td>\d+</td>.*?</tr>", page, re.S)
    assert len(rows) == 1
    assert "надіслано повторно: нічого нового не збережено (звернення 7)" in rows[0]


def test_the_affected_record_is_named_in_words_and_found_by_them(
    admin: TestClient, db: Database
) -> None:
    """The page showed the route's identifier as the record's kind ("child_id 42") and the
    Record type filter found only that code."""
    with db.session() as session:
        record(
            session,
            "read /children/{child_id}",
            actor="olena",
            entity_type="child_id",
            entity_id="42",
        )
        record(
            session,
            "read /tracing/{request_id}",
            actor="olena",
            entity_type="request_id",
            entity_id="7",
        )
    admin.cookies.set("ridni_lang", "uk")

    def cells(**filters: str) -> list[str]:
        page = admin.get("/admin/audit", params={"actor": "olena", **filters}).text
        return re.findall(r'<td class="audit-entity">(.*?)</td>', page, re.S)

    shown = cells()
    assert len(shown) == 2
    assert any(">Справа дитини</span> 42" in cell for cell in shown)
    assert any(">Звернення про розшук</span> 7" in cell for cell in shown)
    assert all(">child_id<" not in cell and "request_id 7" not in cell for cell in shown)
    for typed in ("справа", "СПРАВА ДИТИНИ", "child_id"):
        found = cells(entity_type=typed)
        assert len(found) == 1 and "42" in found[0], typed
