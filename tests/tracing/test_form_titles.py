"""A form page's title (the browser tab, history) says what its heading says."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ridni.storage.engine import Database
from tests.helpers import login, make_user


def _title_and_heading(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?) · Ridni</title>", page)
    heading = re.search(r"<h1>(.*?)</h1>", page)
    assert title and heading
    return title[1], heading[1]


def test_the_new_tracing_request_page_is_titled_as_its_heading(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    for language, expected in (("en", "New tracing request"), ("uk", "Нове звернення про розшук")):
        client.cookies.set("ridni_lang", language)
        assert _title_and_heading(client.get("/tracing/new").text) == (expected, expected)
    # The public form keeps its own title.
    client.cookies.set("ridni_lang", "en")
    assert _title_and_heading(client.get("/report").text)[0] == "Report a missing child"
