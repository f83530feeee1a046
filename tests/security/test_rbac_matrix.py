"""Every endpoint × every role against the documented matrix.

For each route of the running app and each role (and anonymous visitors), one request is sent:
a role the matrix allows must get past the guard (whatever the route then says about the empty
request: 200, 404, 409, 422, a CSRF refusal), a role it does not allow must be refused by the
guard itself (403 "your role may not…"), and anonymous visitors must be sent to log in.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.security.matrix import PERMISSIONS, ROUTES, Role, markdown
from ridni.settings import load_settings
from ridni.storage.engine import Database
from ridni.storage.migrate import upgrade
from ridni.web.app import create_app
from tests.helpers import login, make_user

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
SAMPLE = {"token": "a" * 32, "code": "en", "rule": "adoption_in_russia"}
DENIED = "your role may not do this"


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if type(route).__name__ == "_IncludedRouter":
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "methods") and route.methods:
                for method in route.methods - {"HEAD"}:
                    found.add((method, prefix + route.path))

    walk(app.routes, "")
    return found


def test_the_documentation_is_the_matrix() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "run `python scripts/permissions_doc.py` after changing the matrix"
    )


def test_every_route_has_a_permission_and_every_entry_a_route(app: FastAPI) -> None:
    routes = app_routes(app)
    assert routes - set(ROUTES) == set(), "routes without a permission (refused to everybody)"
    assert set(ROUTES) - routes == set(), "matrix entries for routes that do not exist"
    assert set(ROUTES.values()) <= set(PERMISSIONS)


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "1"), path)


def _refused_by_guard(response: Any) -> bool:
    return response.status_code == 403 and DENIED in response.text


def _sent_to_login(response: Any, api: bool) -> bool:
    if api:
        return response.status_code == 401
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_endpoint_for_every_role(empty_sqlite: Database) -> None:
    """On SQLite only: the guard does not depend on the database, and 800 requests twice
    would cost a minute of CI."""
    upgrade(empty_sqlite)
    db = empty_sqlite
    app = create_app(load_settings(), db)
    users = {
        Role.caseworker: RoleName.caseworker,
        Role.investigator: RoleName.investigator,
        Role.analyst: RoleName.analyst,
        Role.org_admin: RoleName.org_admin,
        Role.system_admin: RoleName.system_admin,
    }
    with db.session() as session:
        for role, name in users.items():
            make_user(session, role.value, name)
    wrong: list[str] = []
    for role in Role:
        with TestClient(app) as client:
            # Pages say the guard's refusal in the reader's language; the API keeps DENIED.
            client.cookies.set("ridni_lang", "en")
            if role is not Role.public:
                login(client, role.value)
            for (method, path), permission in sorted(ROUTES.items()):
                if (method, path) == ("POST", "/logout"):
                    continue  # would end the session the other requests need
                response = client.request(method, _url(path), follow_redirects=False)
                api = path.startswith("/api/")
                allowed = role in PERMISSIONS[permission].roles
                if permission == "public" or allowed:
                    ok = not _refused_by_guard(response) and not _sent_to_login(response, api)
                elif role is Role.public:
                    ok = _sent_to_login(response, api)
                else:
                    ok = _refused_by_guard(response)
                if not ok:
                    wrong.append(f"{role.value:12} {method:6} {path} → {response.status_code}")
    assert wrong == []
