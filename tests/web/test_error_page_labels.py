"""A list's filter or pager given a wrong value (an edited address, an old link) names the field
in the reader's words on the error page, not by its code (``page``, ``age_max``, ``since``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.labels import FIELD_LABELS
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user

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


def _multipart(values: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The form as a browser sends a multipart one (the report form's enctype)."""
    boundary = "----ridni-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in values.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_a_form_too_big_to_read_is_explained_in_words(client: TestClient, db: Database) -> None:
    """A value far past the form's limit (sent by a script past the browser's maxlength)
    stopped the public form's reading with Starlette's English 'Part exceeded maximum size of
    64KB.' on a Ukrainian page."""
    from tests.tracing.conftest import REPORT

    huge = {**REPORT, "circumstances": "с" * 100_000}
    body, headers = _multipart({**huge, "csrf_token": csrf_token(client, "/report")})
    public = client.post("/report", content=body, headers=headers)
    with db.session() as session:
        make_user(session)
    login(client)
    body, headers = _multipart({**huge, "csrf_token": csrf_token(client, "/tracing/new")})
    caseworker = client.post("/tracing/new", content=body, headers=headers)
    assert public.status_code == 400, public.text
    assert "Форму не вдалося прочитати" in public.text and "exceeded" not in public.text
    # The caseworker's form is read under the CSRF check's larger limit: the field says it.
    assert caseworker.status_code == 422
    assert 'id="circumstances-error">Задовгий текст.' in caseworker.text


@pytest.mark.parametrize(
    ("method", "url", "status", "words"),
    [
        ("GET", "/no-such-page", 404, "За цією адресою сторінки немає"),
        ("GET", "/static/no-such-file.css", 404, "За цією адресою сторінки немає"),
        ("GET", "/tracing/1/close", 405, "Ця адреса приймає лише форму"),
        ("DELETE", "/children/1", 405, "Ця адреса приймає лише форму"),
    ],
)
def test_an_address_that_answers_nothing_says_so_in_words(
    client: TestClient, db: Database, method: str, url: str, status: int, words: str
) -> None:
    """Starlette's English 'Not Found' and 'Method Not Allowed' were shown on Ukrainian pages."""
    with db.session() as session:
        make_user(session)
    login(client)
    response = client.request(method, url)
    assert response.status_code == status
    assert words in response.text
    assert "Not Found" not in response.text and "Method Not Allowed" not in response.text
    api = client.request(method, "/api/v1" + url)
    assert api.status_code in (404, 405) and "detail" in api.json()  # the API answers JSON


# Never refused by a field's check: any text will do (a redirect target, read with safe_next;
# the form token, which the CSRF check answers itself; a sealed draft carried through the
# login, dropped with a notice when it does not open).
UNREFUSED = {"next", "csrf_token", "draft"}


def test_every_field_a_page_takes_has_words(app: FastAPI) -> None:
    """The error page names a refused field by its label: every field of a page's form or
    address has one (decision, consent_renewed, username, … were shown as codes)."""
    missing: set[str] = set()

    def fields(dependant: Any) -> Iterator[str]:
        for param in [*dependant.query_params, *dependant.body_params]:
            yield getattr(param, "alias", None) or param.name
        for inner in dependant.dependencies:
            yield from fields(inner)

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if type(route).__name__ == "_IncludedRouter":
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute) and not (prefix + route.path).startswith("/api/"):
                missing.update(set(fields(route.dependant)) - set(FIELD_LABELS) - UNREFUSED)

    walk(app.routes, "")
    assert not missing, " ".join(sorted(missing))


def test_a_refused_decision_is_named_in_words(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    url = "/review/1"
    refused = client.post(url, data={"decision": "maybe", "csrf_token": csrf_token(client, "/")})
    shown = re.search(r"<main.*?</main>", refused.text, re.S)
    assert refused.status_code == 422 and shown, refused.text
    assert "Рішення" in shown.group(0) and "decision" not in shown.group(0)
