"""Shared set-up for the tracing workflow: a registry with Russian-side lists."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ridni.cases.models import RecordKind
from ridni.evidence.models import SourceKind
from ridni.storage.engine import Database
from tests.helpers import csrf_token, make_record, make_source

REPORT = {
    "family_name": "Шевченко",
    "given_name": "Олександр",
    "patronymic": "Миколайович",
    "sex": "M",
    "birth_day": "14",
    "birth_month": "3",
    "birth_year": "2012",
    "birth_place": "Херсон",
    "residence": "Херсон",
    "taken_from": "Херсон",
    "taken_month": "10",
    "taken_year": "2022",
    "circumstances": "Taken with the school class to a 'rest camp' (synthetic test data).",
    "inquirer_name": "Марія Шевченко",
    "inquirer_relation": "mother",
    "inquirer_contact": "+380 00 000 0000",
    "consent_tracing": "on",
    "consent_share": "on",
}


@pytest.fixture
def registry(db: Database) -> dict[str, int]:
    """Registry-side records: the sought boy as a Russian camp list writes him, and others."""
    with db.session() as session:
        camp = make_source(session, "Camp list «Ромашка» (synthetic)", kind=SourceKind.camp_list)
        boy = make_record(
            session,
            None,
            camp,
            "Александр",
            "Шевченко",
            "Николаевич",
            born="2012-03",
            birth_place="Херсон",
            source_ref="camp-1",
            consent_share=True,
        )
        other = make_record(
            session,
            None,
            camp,
            "Анна",
            "Бойко",
            None,
            born="2015-07-01",
            source_ref="camp-2",
            kind=RecordKind.camp_list,
            consent_share=True,
        )
        return {"boy": boy.id, "other": other.id, "camp": camp.id}


def submit(
    client: TestClient,
    values: dict[str, str] | None = None,
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
) -> tuple[int, str]:
    data = {**REPORT, **(values or {}), "csrf_token": csrf_token(client, "/report")}
    response = client.post("/report", data=data, files=files or [])
    return response.status_code, response.text


def status_link(page: str) -> str:
    match = re.search(r'id="status-link" href="([^"]+)"', page)
    assert match, page
    return match.group(1)
