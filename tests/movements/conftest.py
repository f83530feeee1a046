"""A logged-in caseworker, a child born in 2012, two synthetic facilities and a source."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from ridni.facilities.models import Facility, FacilityKind
from ridni.storage.engine import Database
from tests.helpers import login, make_child, make_source, make_user


@dataclass(frozen=True)
class Scene:
    child: int
    camp: int
    school: int
    source: int


@pytest.fixture
def scene(client: TestClient, db: Database) -> Scene:
    with db.session() as session:
        make_user(session)
        child = make_child(session, born="2012-03-14")
        camp = Facility(
            name="ДОЛ «Ромашка» [SYNTHETIC]", kind=FacilityKind.camp_sanatorium, country="RU"
        )
        school = Facility(
            name="Кадетская школа [SYNTHETIC]", kind=FacilityKind.cadet_school, country="RU"
        )
        session.add_all([camp, school])
        session.flush()
        source = make_source(session, "Camp list (synthetic)")
        found = Scene(child.id, camp.id, school.id, source.id)
    login(client)
    return found
