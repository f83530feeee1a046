"""The web shell: login, logout, language, health, API documentation, security headers."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ridni import __version__
from ridni.accounts.models import RoleName
from ridni.storage.engine import Database
from ridni.web import routes
from tests.helpers import PASSWORD, csrf_token, login, make_child, make_user


@pytest.fixture
def user(db: Database) -> None:
    with db.session() as session:
        make_user(session)


def test_pages_need_a_login_and_come_back_after_it(client: TestClient, user: None) -> None:
    response = client.get("/children?q=Ivan", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/children%3Fq%3DIvan"
    token = csrf_token(client, response.headers["location"])
    answer = client.post(
        "/login",
        data={
            "username": "caseworker",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/children?q=Ivan",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/children?q=Ivan"
    cookie = answer.headers["set-cookie"]
    assert "ridni_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/children").status_code == 200


def test_a_wrong_password_is_said_plainly(client: TestClient, user: None) -> None:
    client.cookies.set("ridni_lang", "en")
    response = client.post(
        "/login",
        data={
            "username": "caseworker",
            "password": "wrong password!",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert "ridni_session" not in response.headers.get("set-cookie", "")


def test_forms_without_the_csrf_token_are_refused(client: TestClient, user: None) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "caseworker", "password": PASSWORD})
    assert response.status_code == 403


def test_login_never_redirects_to_another_site(client: TestClient, user: None) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = client.post(
            "/login",
            data={
                "username": "caseworker",
                "password": PASSWORD,
                "csrf_token": csrf_token(client),
                "next": target,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"


def test_logout_ends_the_session_on_the_server(client: TestClient, user: None) -> None:
    login(client)
    stolen = client.cookies.get("ridni_session")
    token = csrf_token(client, "/children")
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    client.cookies.set("ridni_session", stolen or "")
    assert client.get("/children", follow_redirects=False).status_code == 303


def test_api_answers_401_in_json_without_a_login(client: TestClient) -> None:
    response = client.get("/api/v1/children")
    assert response.status_code == 401
    assert response.json() == {"detail": "login required"}


def test_ukrainian_is_the_default_and_english_is_one_click_away(client: TestClient) -> None:
    page = client.get("/login")
    assert '<html lang="uk">' in page.text and "Увійти" in page.text
    switched = client.get("/language/en?next=/login", follow_redirects=False)
    assert switched.headers["location"] == "/login"
    client.cookies.set("ridni_lang", "en")
    page = client.get("/login")
    assert '<html lang="en">' in page.text and "Log in" in page.text and "Увійти" not in page.text


def test_the_browser_language_is_respected(client: TestClient) -> None:
    page = client.get("/login", headers={"accept-language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in page.text
    page = client.get("/login", headers={"accept-language": "ru-RU,ru;q=0.9"})
    assert '<html lang="uk">' in page.text  # unsupported: the default


def test_health_reports_the_database(client: TestClient, backend: str) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"] == backend
    assert body["schema_revision"]


def test_api_documentation_is_served_offline(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/v1/health", "/api/v1/children", "/api/v1/children/{child_id}"} <= set(
        spec["paths"]
    )
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in docs.text
    assert "<script>" not in docs.text, "inline script would break the content security policy"
    bundle = client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert client.get("/static/vendor/htmx-2.0.11/htmx.min.js").status_code == 200


def test_every_response_carries_security_headers(client: TestClient) -> None:
    for path in ("/", "/login", "/api/v1/health", "/no-such-page"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_unknown_pages_get_a_page_and_unknown_api_paths_get_json(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<h1>" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_identifiers_that_cannot_exist_are_not_found(client: TestClient, user: None) -> None:
    login(client)
    client.cookies.set("ridni_lang", "en")
    for path in ("/children/0", "/children/abc", "/tracing/-1", "/facilities/1.5"):
        page = client.get(path)
        assert page.status_code == 404 and "Nothing has this identifier" in page.text, path
    assert client.get("/api/v1/children/abc").status_code == 422, "the API keeps its shape"


def test_a_refused_form_value_is_named_in_the_readers_language(
    client: TestClient, user: None
) -> None:
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/children", params={"q": "я" * 300})
    assert page.status_code == 422
    assert "Ім’я будь-яким письмом" in page.text and "Щонайбільше 200 символів." in page.text
    assert "String should have" not in page.text
    client.cookies.set("ridni_lang", "en")
    page = client.get("/children", params={"q": "я" * 300})
    assert "Name, in any script" in page.text and "At most 200 characters." in page.text
    assert "Back button" in page.text


def test_a_refusal_by_role_is_said_in_the_readers_language(client: TestClient, user: None) -> None:
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.get("/facilities/new")
    assert page.status_code == 403
    assert "Ви увійшли, але ваша роль не дозволяє цього." in page.text
    assert "Потрібен дозвіл: Реєстрація, об’єднання та редагування закладів." in page.text
    assert "your role may not" not in page.text and "facilities.write" not in page.text
    client.cookies.set("ridni_lang", "en")
    page = client.get("/facilities/new")
    assert "You are logged in, but your role may not do this." in page.text
    assert "Permission needed: Register, merge and edit facilities." in page.text
    api = client.get("/api/v1/evidence")
    assert api.status_code == 403, "the API keeps its English detail"
    assert api.json() == {"detail": "your role may not do this (evidence.read)"}


def test_an_internal_error_is_said_in_the_readers_language(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(routes, "render", broken)
    monkeypatch.setattr(routes.MigrationContext, "configure", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.cookies.set("ridni_lang", "uk")
        page = client.get("/")
        assert page.status_code == 500
        assert "Внутрішня помилка. Її записано до журналу." in page.text
        assert "internal error" not in page.text.lower()
        client.cookies.set("ridni_lang", "en")
        assert "Internal error. It has been logged." in client.get("/").text
        api = client.get("/api/v1/health")
        assert api.status_code == 500
        assert api.json() == {"detail": "internal error; it has been logged"}


def test_a_refused_page_still_shows_who_is_logged_in(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "analyst", RoleName.analyst)
    login(client, "analyst")
    refused = client.get("/facilities/new")
    assert refused.status_code == 403
    assert 'action="/logout"' in refused.text and 'href="/login"' not in refused.text


def test_the_footer_names_the_release_on_pages_that_carry_a_record_version(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session)
        child = make_child(session).id
    login(client)
    page = client.get(f"/children/{child}/edit")
    assert page.status_code == 200 and f"Ridni {__version__}" in page.text


def test_a_form_sent_after_the_session_ran_out_comes_back_to_its_page(
    client: TestClient, db: Database, user: None
) -> None:
    with db.session() as session:
        child = make_child(session).id
    login(client)
    token = csrf_token(client, f"/children/{child}")
    client.cookies.delete("ridni_session")  # the idle timeout passed while the form was open
    form = {"csrf_token": token, "status": "verified", "reason": "seen on a list"}
    sent = client.post(
        f"/children/{child}/status",
        data=form,
        headers={"referer": f"http://testserver/children/{child}"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/login?next=/children/{child}"
    elsewhere = client.post(
        f"/children/{child}/status",
        data=form,
        headers={"referer": "https://evil.example/children/1"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/login?next=/"
