"""FollowTheMoney export: valid entities, documents with their hash, never a child."""

from __future__ import annotations

import io
import json

from fastapi.testclient import TestClient
from followthemoney import model

from ridni.accounts.models import RoleName
from ridni.actors.models import ActorKind, ActorRole
from ridni.actors.service import ActorIn, LinkIn, create_actor, link_actor
from ridni.evidence.models import EvidenceKind, FileRole
from ridni.evidence.service import EvidenceIn, Upload, collect
from ridni.evidence.store import EvidenceStore
from ridni.facilities.geojson import facilities_geojson
from ridni.facilities.models import Activity, Facility, FacilityActivity, FacilityKind
from ridni.facilities.service import FacilityFilter, all_facilities
from ridni.movements.models import Movement, MovementKind
from ridni.storage.engine import Database
from tests.evidence.conftest import PDF
from tests.helpers import login, make_child, make_user


def _world(db: Database, store: EvidenceStore) -> None:
    with db.session() as session:
        agency = create_actor(
            session,
            ActorIn(
                name="Regional ministry [SYNTHETIC]", kind=ActorKind.organisation, country="RU"
            ),
        )
        official = create_actor(
            session,
            ActorIn(name="Official [SYNTHETIC]", kind=ActorKind.person, position="Minister"),
        )
        facility = Facility(
            name="ДОЛ «Ромашка» [SYNTHETIC]",
            kind=FacilityKind.camp_sanatorium,
            country="RU",
            settlement="Анапа",
            latitude=44.894,
            longitude=37.316,
            operator_actor_id=agency.id,
        )
        facility.activities = [FacilityActivity(activity=Activity.re_education)]
        session.add(facility)
        child = make_child(session)
        movement = Movement(
            child_id=child.id, sequence=1, kind=MovementKind.transfer, facility_id=facility.id
        )
        session.add(movement)
        session.flush()
        link_actor(
            session,
            official.id,
            LinkIn(role=ActorRole.official_in_charge, target_actor_id=agency.id),
        )
        link_actor(
            session, official.id, LinkIn(role=ActorRole.transporter, movement_id=movement.id)
        )
        data = EvidenceIn(
            "Order [SYNTHETIC]", EvidenceKind.document, "tester", facility_id=facility.id
        )
        data.files = [Upload(FileRole.original, "order.pdf", io.BytesIO(PDF))]
        evidence = collect(session, store, data)
        link_actor(session, official.id, LinkIn(role=ActorRole.other, evidence_id=evidence.id))


def test_ftm_entities_are_valid_and_carry_no_child(
    client: TestClient, db: Database, store: EvidenceStore
) -> None:
    _world(db, store)
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    login(client, "investigator")
    response = client.get("/api/v1/export/ftm.jsonl")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    entities = [json.loads(line) for line in response.text.splitlines()]
    proxies = [model.get_proxy(e, cleaned=False) for e in entities]
    by_schema: dict[str, list[object]] = {}
    for proxy in proxies:
        by_schema.setdefault(proxy.schema.name, []).append(proxy)
        for prop, values in proxy.properties.items():
            assert values, (proxy.id, prop)
    assert {
        "Organization",
        "Person",
        "Address",
        "Membership",
        "UnknownLink",
        "Document",
        "Documentation",
    } <= set(by_schema)
    document = next(p for p in proxies if p.schema.name == "Document")
    assert document.get("contentHash") and len(document.get("contentHash")[0]) == 64  # type: ignore[attr-defined]
    facility = next(p for p in proxies if p.id.startswith("ridni-facility-"))
    assert facility.get("addressEntity") and facility.get("sector") == ["re_education"]
    ids = {p.id for p in proxies}
    for proxy in proxies:  # every reference points at an exported entity
        for prop, values in proxy.properties.items():
            if proxy.schema.get(prop).type.name == "entity":
                assert set(values) <= ids, (proxy.id, prop, values)
    text = response.text
    assert "Олександр" not in text and "Шевченко" not in text and "child" not in text.lower()
    assert len(by_schema["Person"]) == 1  # the official, never a child


def test_geojson_carries_activities(db: Database, store: EvidenceStore) -> None:
    _world(db, store)
    with db.session() as session:
        assert facilities_geojson(all_facilities(session, FacilityFilter()))["features"][0][
            "properties"
        ]["activities"] == ["re_education"]
