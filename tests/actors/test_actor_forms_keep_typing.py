"""A refused actor or link comes back with what was typed and the message beside the field it
names, in the reader's language; nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.evidence.form_fields import field_error, form_values
from tests.helpers import csrf_token

pytestmark = pytest.mark.usefixtures("in_ukrainian")


def _post(client: TestClient, page: str, path: str, form: dict[str, str]) -> Any:
    data = {**form, "csrf_token": csrf_token(client, page)}
    return client.post(path, data=data, follow_redirects=False)


@pytest.mark.parametrize(
    ("changed", "field", "ukrainian"),
    [
        ({"country": "R"}, "country", "Вкажіть дволітерний код країни, наприклад UA."),
        ({"name": "   "}, "name", "Це поле обов’язкове."),
    ],
)
def test_a_refused_actor_keeps_what_was_typed(
    investigator: TestClient, changed: dict[str, str], field: str, ukrainian: str
) -> None:
    typed = {
        "name": "Фонд «Діти» [SYNTHETIC]",
        "kind": "organisation",
        "position": "Оператор табору",
        "country": "RU",
        "description": "Возить дітей до таборів",
        **changed,
    }
    page = _post(investigator, "/actors", "/actors", typed)
    assert page.status_code == 400
    assert field_error(page.text, field) == ukrainian
    assert form_values(page.text, "/actors") == typed
    assert investigator.get("/api/v1/actors").json() == []


@pytest.mark.parametrize(
    ("changed", "field", "ukrainian"),
    [
        ({"target_id": "999999"}, "target_id", "Немає доказу з номером 999999."),
        ({"target_id": "abc"}, "target_id", "«abc» — не число"),
        ({"target": "moon"}, "target", "Оберіть, з чим пов’язаний причетний."),
    ],
)
def test_a_refused_link_keeps_what_was_typed(
    investigator: TestClient, changed: dict[str, str], field: str, ukrainian: str
) -> None:
    actor = investigator.post("/api/v1/actors", json={"name": "Org [SYNTHETIC]", "kind": "person"})
    path = f"/actors/{actor.json()['id']}"
    typed = {
        "role": "transporter",
        "target": "evidence",
        "target_id": "1",
        "notes": "Автобус із Херсона, за свідченням",
        **changed,
    }
    page = _post(investigator, path, f"{path}/links", typed)
    assert page.status_code == 400
    assert field_error(page.text, field).startswith(ukrainian)
    shown = form_values(page.text, f"{path}/links")
    if typed["target"] == "moon":  # not offered: the list cannot show it chosen
        shown["target"] = typed["target"]
    assert shown == typed
    assert investigator.get(f"/api/v1{path}").json()["links"] == []
