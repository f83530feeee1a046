"""A list's filter or pager given a wrong value (an edited address, an old link) names the field
in the reader's words on the error page, not by its code (``page``, ``age_max``, ``since``)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from tests.helpers import login, make_user

pytestmark = pytest.mark.usefixtures("in_ukrainian")


def _problems(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 422, page.text
    main = re.search(r"<main.*?</main>", page.text, re.S)
    assert main, page.text
    return main.group(0)


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("/children?page=abc", "page", "Номер сторінки"),
        ("/children?age_max=1000", "age_max", "Вік до"),
        ("/children?age_min=1000", "age_min", "Вік від"),
        ("/tracing?page=0", "page", "Номер сторінки"),
        ("/review?state=maybe", "state", "Стан питання"),
    ],
)
def test_a_caseworkers_list_names_the_field_in_words(
    client: TestClient, db: Database, url: str, code: str, words: str
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    shown = _problems(client, url)
    assert words in shown
    assert f">{code}<" not in shown and f" {code} " not in shown


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("since=2026-02-30", "since", "З дати"),
        ("until=someday", "until", "По дату"),
        ("entity_id=" + "9" * 201, "entity_id", "Номер запису"),
        ("actor=" + "x" * 201, "actor", "Хто"),
        ("page=-1", "page", "Номер сторінки"),
    ],
)
def test_the_audit_filters_are_named_in_words(
    client: TestClient, db: Database, query: str, code: str, words: str
) -> None:
    with db.session() as session:
        make_user(session, "admin", RoleName.system_admin, organisation=None)
    login(client, "admin")
    shown = _problems(client, "/admin/audit?" + query)
    assert words in shown
    assert f">{code}<" not in shown and f" {code} " not in shown
