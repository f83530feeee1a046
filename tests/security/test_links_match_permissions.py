"""Pages offer each role only links and forms it may use: no link that answers 403."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ridni.accounts.models import Organisation, RoleName
from ridni.actors.models import Actor
from ridni.cases.models import Child
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.facilities.models import Facility
from ridni.security.matrix import ROUTES, allowed, roles_of
from ridni.storage.engine import Database
from ridni.tracing.intake import receive
from ridni.tracing.matching import match_request
from ridni.tracing.models import Channel
from ridni.tracing.registry_index import RegistryIndex
from ridni.tracing.report_form import validate
from tests.helpers import login, make_user
from tests.tracing.conftest import REPORT

ROLES = (
    RoleName.caseworker,
    RoleName.org_admin,
    RoleName.investigator,
    RoleName.analyst,
    RoleName.system_admin,
)
TAGS = re.compile(r"<(a|form)\b([^>]*)>", re.IGNORECASE)
TARGET = re.compile(r'\b(?:href|action)="(/[^"?#]*)')
PATTERNS = [
    (method, re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$"), path)
    for method, path in ROUTES
]


def _permission(method: str, path: str) -> str | None:
    """The matrix's permission for a concrete path (a literal route wins over a template)."""
    hits = [template for m, rx, template in PATTERNS if m == method and rx.match(path)]
    if not hits:
        return None
    return ROUTES[(method, min(hits, key=lambda template: template.count("{")))]


def _offered(page: str) -> set[tuple[str, str]]:
    """(method, path) of every link and form on ``page``."""
    found = set()
    for tag, attributes in TAGS.findall(page):
        target = TARGET.search(attributes)
        if target is None:
            continue
        post = tag.lower() == "form" and 'method="get"' not in attributes.lower()
        found.add(("POST" if post else "GET", target.group(1)))
    return found


@pytest.fixture
def pages(db: Database) -> list[str]:
    load_dataset(db, generate(40, seed=3))
    with db.session() as session:
        child = session.scalars(select(Child).order_by(Child.id).limit(1)).one()
        organisation = session.get(Organisation, child.organisation_id)
        assert organisation is not None
        for role in ROLES:
            make_user(session, role.value, role, organisation=organisation.name)
        report = validate(REPORT).report
        assert report is not None
        traced = receive(session, report, channel=Channel.caseworker, organisation=organisation)
        with_request = traced.trace.record.child_id
        request_id = traced.request.id
        match_request(session, RegistryIndex(), traced.request)
        actor = session.scalar(select(Actor.id).limit(1))
        facility = session.scalar(
            select(Facility.id).where(Facility.operator_actor_id.is_not(None)).limit(1)
        )
        child_id = child.id
    assert with_request and facility and actor, "the demo set has what the pages show"
    return [
        "/children",
        f"/children/{child_id}",
        f"/children/{with_request}",
        "/facilities",
        f"/facilities/{facility}",
        "/claims",
        "/evidence",
        "/alerts",
        "/actors",
        "/tracing",
        f"/tracing/{request_id}",
        f"/actors/{actor}",
        "/review",
        "/statistics",
    ]


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_no_page_offers_what_the_role_may_not_do(
    client: TestClient, pages: list[str], role: RoleName
) -> None:
    login(client, role.value)
    roles = roles_of([role.value])
    offered: set[tuple[str, str, str]] = set()
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue  # a page the role may not open is the guard's business, tested elsewhere
        offered |= {(page, method, target) for method, target in _offered(response.text)}
    refused = [
        (page, method, target)
        for page, method, target in sorted(offered)
        if (permission := _permission(method, target)) is not None
        and not allowed(permission, roles)
    ]
    assert refused == [], refused
    assert len(offered) > 20, "the pages were read"
