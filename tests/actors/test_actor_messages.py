"""The actor forms refuse a blank name and say what is wrong in the reader's language."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import csrf_token

pytestmark = pytest.mark.usefixtures("in_ukrainian")


def _alert(page: str) -> str:
    found = re.search(r'id="form-error">(.*?)</p>', page, re.S)
    assert found, "no error on the page"
    return html.unescape(found.group(1))


def _add(client: TestClient, **fields: str) -> Any:
    form = {"name": "Director [SYNTHETIC]", "kind": "person", **fields}
    form["csrf_token"] = csrf_token(client, "/actors")
    return client.post("/actors", data=form, follow_redirects=False)


def test_a_blank_actor_name_is_refused_on_the_page_and_by_the_api(
    investigator: TestClient,
) -> None:
    page = _add(investigator, name="   ")
    assert page.status_code == 400
    assert _alert(page.text) == "Ім’я: Це поле обов’язкове."
    api = investigator.post("/api/v1/actors", json={"name": " \t", "kind": "person"})
    assert api.status_code == 422
    assert investigator.get("/api/v1/actors").json() == []


@pytest.mark.parametrize(
    ("fields", "ukrainian", "english"),
    [
        ({"kind": "robot"}, "Вид: Оберіть один із варіантів.", "Input should be"),
        ({"country": "R"}, "Вкажіть дволітерний код країни, наприклад UA.", "String should"),
    ],
)
def test_the_actor_form_says_what_is_wrong_in_ukrainian(
    investigator: TestClient, fields: dict[str, str], ukrainian: str, english: str
) -> None:
    page = _add(investigator, **fields)
    assert page.status_code == 400
    assert ukrainian in _alert(page.text)
    assert english not in page.text


def test_the_link_form_says_what_is_wrong_in_ukrainian(investigator: TestClient) -> None:
    actor = investigator.post("/api/v1/actors", json={"name": "Org [SYNTHETIC]", "kind": "person"})
    path = f"/actors/{actor.json()['id']}"
    cases = [
        ({"target": "moon"}, "Оберіть, з чим пов’язаний причетний.", "choose what"),
        ({"target_id": "0"}, "номер: Вкажіть число, не менше за 1.", "greater than"),
        ({"target_id": "abc"}, "«abc» — не число", "not a number"),
        ({"target_id": "999999"}, "Немає закладу з номером 999999.", "no facility"),
        ({"role": "boss"}, "Роль: Оберіть один із варіантів.", "Input should be"),
    ]
    for fields, ukrainian, english in cases:
        form = {"role": "funder", "target": "facility", "target_id": "1", **fields}
        form["csrf_token"] = csrf_token(investigator, path)
        page = investigator.post(f"{path}/links", data=form, follow_redirects=False)
        assert page.status_code == 400, fields
        assert ukrainian in _alert(page.text), fields
        assert english not in page.text, fields
