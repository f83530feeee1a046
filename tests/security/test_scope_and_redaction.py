"""Record scope by organisation, and what analysts do not see."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName
from ridni.accounts.service import ensure_organisation
from ridni.movements.models import Movement, MovementKind
from ridni.storage.engine import Database
from tests.helpers import login, make_child, make_record, make_source, make_user


@pytest.fixture
def cases(db: Database) -> dict[str, int]:
    with db.session() as session:
        ours = ensure_organisation(session, "Test NGO (synthetic)")
        theirs = ensure_organisation(session, "Other NGO (synthetic)")
        make_user(session)
        make_user(session, "analyst", RoleName.analyst)
        make_user(session, "root", RoleName.system_admin, organisation=None)
        source = make_source(session)
        own = make_child(session, "Олександр", "Шевченко", organisation_id=ours.id)
        make_record(session, own, source, "Олександр", "Шевченко", source_ref="a")
        session.add(
            Movement(
                child_id=own.id,
                sequence=1,
                kind=MovementKind.taken,
                from_place="Херсон, вул. Синтетична 1",
            )
        )
        shared = make_child(
            session, "Ганна", "Бойко", organisation_id=theirs.id, consent_share=True
        )
        make_record(session, shared, source, "Ганна", "Бойко", source_ref="b")
        private = make_child(
            session, "Марія", "Коваль", organisation_id=theirs.id, consent_share=False
        )
        make_record(session, private, source, "Марія", "Коваль", source_ref="c")
        return {"own": own.id, "shared": shared.id, "private": private.id}


def _ids(client: TestClient) -> set[int]:
    return {item["id"] for item in client.get("/api/v1/children").json()["items"]}


def test_caseworkers_see_their_cases_and_shared_ones_only(
    client: TestClient, cases: dict[str, int]
) -> None:
    login(client)
    assert _ids(client) == {cases["own"], cases["shared"]}
    assert client.get(f"/api/v1/children/{cases['private']}").status_code == 404
    assert client.get(f"/children/{cases['private']}").status_code == 404
    assert client.get(f"/api/v1/children/{cases['shared']}").status_code == 200
    search = client.get("/api/v1/children", params={"q": "Marija Koval"}).json()
    assert search["total"] == 0, "not even a search reveals another organisation's case"


def test_system_administrators_see_every_case(client: TestClient, cases: dict[str, int]) -> None:
    login(client, "root")
    assert _ids(client) == set(cases.values())


def test_analysts_see_cases_without_names_or_places(
    client: TestClient, cases: dict[str, int]
) -> None:
    login(client, "analyst")
    client.cookies.set("ridni_lang", "en")
    items = client.get("/api/v1/children").json()["items"]
    assert items and all(i["family_name"] is None and i["birth_place"] is None for i in items)
    detail = client.get(f"/api/v1/children/{cases['own']}").json()
    assert detail["given_name"] is None
    assert all(r["family_name"] is None for r in detail["records"])
    assert detail["movements"], "the fixture's movement is listed"
    assert all(m["from_place"] is None and m["to_place"] is None for m in detail["movements"])
    page = client.get(f"/children/{cases['own']}").text
    assert "Шевченко" not in page and 'id="names-hidden"' in page
    listing = client.get("/children").text
    assert "Шевченко Олександр" not in listing and "Бойко" not in listing
    assert client.get(f"/api/v1/children/{cases['own']}/history").status_code == 403


def test_analysts_cannot_find_out_by_name_whether_a_child_is_listed(
    client: TestClient, cases: dict[str, int]
) -> None:
    """Without names a search would still answer "is Олександр Шевченко in the registry?"."""
    login(client, "analyst")
    client.cookies.set("ridni_lang", "en")
    for q in ("Шевченко Олександр", "Nobody Zzzyxqq"):
        api = client.get("/api/v1/children", params={"q": q})
        assert api.status_code == 403 and "may not search by name" in api.json()["detail"]
        page = client.get("/children", params={"q": q})
        assert page.status_code == 403 and "may not search by name" in page.text
        assert "1 child" not in page.text
    listing = client.get("/children")
    assert listing.status_code == 200 and 'id="q"' not in listing.text, "no name field"
    assert client.get("/children", params={"q": "  "}).status_code == 200
    login(client)
    found = client.get("/api/v1/children", params={"q": "Шевченко Олександр"}).json()
    assert [item["id"] for item in found["items"]] == [cases["own"]], "caseworkers still can"


def test_a_shared_case_is_seen_but_changed_only_by_the_organisation_holding_it(
    client: TestClient, cases: dict[str, int]
) -> None:
    """Sharing lets another organisation find the child; it must not let it rewrite the case
    or withdraw the family's consent to share."""
    from tests.helpers import csrf_token

    login(client)
    shared, own = cases["shared"], cases["own"]
    page = client.get(f"/children/{shared}")
    assert page.status_code == 200
    assert f"/children/{shared}/edit" not in page.text
    assert f'action="/children/{shared}/status"' not in page.text
    assert f"/children/{own}/edit" in client.get(f"/children/{own}").text
    version = client.get(f"/api/v1/children/{shared}").json()["version"]
    patched = client.patch(
        f"/api/v1/children/{shared}",
        json={"version": version, "reason": "qa", "consent_share": False},
    )
    assert patched.status_code == 403
    client.cookies.set("ridni_lang", "en")
    form = client.post(
        f"/children/{shared}/edit",
        data={"csrf_token": csrf_token(client, "/children"), "version": str(version)},
    )
    assert form.status_code == 403 and "Another organisation holds this case" in form.text
    assert client.get(f"/children/{shared}/edit").status_code == 403
    after = client.get(f"/api/v1/children/{shared}").json()
    assert after["consent_share"] is True and after["version"] == version


def test_another_organisations_private_movements_cannot_be_changed_by_their_number(
    client: TestClient, db: Database, cases: dict[str, int]
) -> None:
    """The movement API names only the movement: its child's organisation still decides."""
    with db.session() as session:
        hidden = Movement(
            child_id=cases["private"], sequence=1, kind=MovementKind.taken, from_place="Олешки"
        )
        session.add(hidden)
        session.flush()
        movement = hidden.id
    login(client)
    patched = client.patch(
        f"/api/v1/movements/{movement}", json={"version": 1, "reason": "probe", "notes": "x"}
    )
    assert patched.status_code == 404 and "Олешки" not in patched.text
    withdrawn = client.post(
        f"/api/v1/movements/{movement}/withdrawal", json={"version": 1, "reason": "probe"}
    )
    assert withdrawn.status_code == 404 and "Олешки" not in withdrawn.text
    with db.session() as session:
        kept = session.get(Movement, movement)
        assert kept is not None and kept.version == 1 and kept.notes in (None, "")


def test_a_shared_case_does_not_link_to_another_organisations_tracing_request(
    client: TestClient, db: Database, cases: dict[str, int]
) -> None:
    from sqlalchemy import select

    from ridni.cases.models import Child, Record
    from ridni.tracing.models import Trace, TracingRequest

    with db.session() as session:
        shared = session.get(Child, cases["shared"])
        assert shared is not None
        record = session.scalars(select(Record).where(Record.child_id == shared.id)).first()
        assert record is not None
        request = TracingRequest(
            inquirer_name="Мати (synthetic)", organisation_id=shared.organisation_id
        )
        session.add(request)
        session.flush()
        session.add(Trace(request_id=request.id, record_id=record.id))
        session.flush()
        request_id = request.id
    login(client)
    page = client.get(f"/children/{cases['shared']}").text
    assert f"{request_id}" in page and f'href="/tracing/{request_id}"' not in page
    assert client.get(f"/tracing/{request_id}").status_code == 404
