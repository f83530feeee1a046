"""Schemathesis against the OpenAPI spec: generated requests to every operation, as every role.

No request may get a server error, and every documented response must match its schema, on
SQLite and on PostgreSQL.
At least 1,000 requests in all; the test prints the count per role.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ridni.accounts.models import RoleName
from ridni.accounts.tokens import create_token
from ridni.security.matrix import PERMISSIONS, Role, allowed
from ridni.settings import load_settings
from ridni.storage.engine import Database
from ridni.web.app import create_app
from tests.helpers import make_child, make_record, make_source, make_user

EXAMPLES_PER_OPERATION = 5
MINIMUM_REQUESTS = 1000


def _tokens(db: Database) -> dict[str, dict[str, str]]:
    """A bearer token per role, carrying every permission of that role."""
    headers: dict[str, dict[str, str]] = {"public": {}}
    with db.session() as session:
        source = make_source(session)
        child = make_child(session)
        make_record(session, child, source, "Олександр", "Шевченко", source_ref="fuzz")
        for role in Role:
            if role is Role.public:
                continue
            user = make_user(session, role.value, RoleName(role.value))
            scopes = [
                name
                for name in PERMISSIONS
                if name != "public" and allowed(name, frozenset({role}))
            ]
            _token, text = create_token(session, user, f"fuzz {role.value}", scopes)
            headers[role.value] = {"Authorization": f"Bearer {text}"}
    return headers


def _generated(operation: Any) -> list[Any]:
    """The operation's generated requests. Derandomized, so they were the same for every
    role when each role generated its own: generated once here, and sent as every role."""
    cases: list[Any] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def generate(case: Any) -> None:
        cases.append(case)

    generate()
    return cases


def _send(
    case: Any, role: str, auth: dict[str, str], sent: Counter[str], failures: list[str]
) -> None:
    response = case.call(headers=auth)
    sent[role] += 1
    try:
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    except (Exception, BaseExceptionGroup) as exc:  # collect all, report together
        failures.append(f"{role} {case.method} {case.formatted_path}: {exc}"[:400])


def test_generated_requests_get_no_server_error_and_match_the_schema(db: Database) -> None:
    # On both backends: PostgreSQL refuses values SQLite takes (a NUL, an id past INTEGER).
    app = create_app(load_settings(), db)
    headers = _tokens(db)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    generated = [_generated(result.ok()) for result in schema.get_all_operations()]
    sent: Counter[str] = Counter()
    failures: list[str] = []
    for role, auth in headers.items():
        for cases in generated:
            for case in cases:
                _send(case, role, auth, sent, failures)
    print(f"\nschemathesis requests per role: {dict(sent)}; total {sum(sent.values())}")
    assert sum(sent.values()) >= MINIMUM_REQUESTS
    assert len(sent) == len(Role), "every role was tried"
    assert failures == []
