"""Actors are linked to facilities, evidence and each other; the dossier gathers it all."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.facilities.models import Facility, FacilityKind
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_source, make_user


def test_dossier_shows_facilities_organisations_and_sources(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
        facility = Facility(
            name="Кадетский корпус [SYNTHETIC]", kind=FacilityKind.cadet_school, country="RU"
        )
        session.add(facility)
        session.flush()
        facility_id = facility.id
        source_id = make_source(session, "Order of the ministry [SYNTHETIC]").id
    login(client, "investigator")
    ministry = client.post(
        "/api/v1/actors",
        json={"name": "Ministry [SYNTHETIC]", "kind": "organisation", "country": "RU"},
    )
    person = client.post(
        "/api/v1/actors",
        json={"name": "Director [SYNTHETIC]", "kind": "person", "position": "Director"},
    )
    assert ministry.status_code == person.status_code == 201
    pid, mid = person.json()["id"], ministry.json()["id"]
    linked = client.post(
        f"/api/v1/actors/{pid}/links",
        json={"role": "official_in_charge", "facility_id": facility_id, "source_id": source_id},
    )
    assert linked.status_code == 201
    assert (
        client.post(
            f"/api/v1/actors/{pid}/links", json={"role": "member", "target_actor_id": mid}
        ).status_code
        == 201
    )
    both = client.post(
        f"/api/v1/actors/{pid}/links",
        json={"role": "funder", "facility_id": facility_id, "target_actor_id": mid},
    )
    assert both.status_code == 400  # a link names exactly one thing

    page = client.get(f"/actors/{pid}")
    assert (
        "Кадетский корпус [SYNTHETIC]" in page.text
        and "Order of the ministry [SYNTHETIC]" in page.text
    )
    assert "Ministry [SYNTHETIC]" in page.text
    assert "Director [SYNTHETIC]" in client.get(f"/actors/{mid}").text  # seen from the other side
    assert "Director [SYNTHETIC]" in client.get(f"/facilities/{facility_id}").text

    form = client.post(
        f"/actors/{pid}/links",
        data={
            "csrf_token": csrf_token(client, f"/actors/{pid}"),
            "role": "funder",
            "target": "facility",
            "target_id": "999",
        },
    )
    assert form.status_code == 400 and "Немає закладу з номером 999." in form.text
