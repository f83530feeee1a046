"""Recording, correcting and withdrawing movements through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from ridni.movements.models import Movement, MovementChange, MovementKind
from ridni.movements.service import MovementIn, StaleMovement, correct_movement, record_movement
from ridni.storage.engine import Database
from tests.helpers import make_child
from tests.movements.conftest import Scene


def _post(client: TestClient, scene: Scene, **fields: Any) -> Any:
    return client.post(f"/api/v1/children/{scene.child}/movements", json=fields)


def _chain(client: TestClient, scene: Scene) -> list[tuple[int, str, str | None]]:
    body = client.get(f"/api/v1/children/{scene.child}/movements").json()
    return [(m["sequence"], m["kind"], m["on_date"]) for m in body["movements"]]


def test_steps_are_numbered_by_kind_and_date_and_fill_the_occupancy_chart(
    client: TestClient, scene: Scene
) -> None:
    later = _post(client, scene, kind="transfer", on_date="2022-09", facility_id=scene.school)
    assert later.status_code == 201, later.text
    assert later.json()["contradictions"] == []
    _post(
        client,
        scene,
        kind="transfer",
        on_date="2022-06-02",
        facility_id=scene.camp,
        source_id=scene.source,
    )
    _post(client, scene, kind="taken", on_date="2022-05", from_place="Херсон")
    assert _chain(client, scene) == [
        (1, "taken", "2022-05"),
        (2, "transfer", "2022-06-02"),
        (3, "transfer", "2022-09"),
    ]
    # At the camp from June until the transfer in September (that month counts at the school).
    months = client.get(f"/api/v1/facilities/{scene.camp}/occupancy").json()
    assert [m["month"] for m in months if m["children"]] == ["2022-06", "2022-07", "2022-08"]
    child = client.get(f"/api/v1/children/{scene.child}").json()
    assert [m["facility"]["id"] for m in child["movements"] if m["facility"]] == [
        scene.camp,
        scene.school,
    ]


def test_bad_movements_are_refused_and_nothing_is_saved(client: TestClient, scene: Scene) -> None:
    assert _post(client, scene, kind="taken", from_place="Херсон").status_code == 201
    missing_child = client.post(
        "/api/v1/children/999999/movements", json={"kind": "taken", "on_date": "2022"}
    )
    assert missing_child.status_code == 404
    facility = _post(client, scene, kind="transfer", facility_id=999999)
    assert facility.status_code == 404 and "no facility with id 999999" in facility.json()["detail"]
    source = _post(client, scene, kind="taken", on_date="2022", source_id=999999)
    assert source.status_code == 404 and "no source" in source.json()["detail"]
    future = _post(client, scene, kind="taken", on_date="2099-01")
    assert future.status_code == 400 and "future" in future.json()["detail"]
    unborn = _post(client, scene, kind="taken", on_date="2011")
    assert unborn.status_code == 400 and "before the child's birth" in unborn.json()["detail"]
    nowhere = _post(client, scene, kind="transfer", on_date="2022")
    assert nowhere.status_code == 400 and "where" in nowhere.json()["detail"]
    unreadable = _post(client, scene, kind="taken", on_date="May 2022")
    assert unreadable.status_code == 400
    assert len(_chain(client, scene)) == 1


def test_a_movement_that_says_neither_when_nor_where_is_refused_and_not_saved(
    client: TestClient, db: Database, scene: Scene
) -> None:
    for empty in (
        {"kind": "taken"},
        {"kind": "return", "on_date": "  ", "from_place": "", "to_place": " "},
        {"kind": "taken", "source_id": scene.source, "notes": "a source alone", "after_step": 0},
    ):
        refused = _post(client, scene, **empty)
        assert refused.status_code == 422, refused.text
        [problem] = refused.json()["detail"]
        assert problem["loc"] == ["body"]
        assert "at least a date, a place or a facility" in problem["msg"]
        assert "on_date, from_place, facility_id or to_place" in problem["msg"]
    with db.session() as session:
        assert session.scalar(select(func.count(Movement.id))) == 0
        assert session.scalar(select(func.count(MovementChange.id))) == 0
    # Any one of them is enough: a date, a place taken from or to, or a facility.
    for enough in (
        {"on_date": "2022"},
        {"from_place": "Херсон"},
        {"to_place": "Таганрог"},
        {"facility_id": scene.camp},
    ):
        assert _post(client, scene, kind="taken", **enough).status_code == 201
    # A correction may not empty a movement either.
    moved = _post(client, scene, kind="taken", on_date="2022-05").json()
    emptied = client.patch(
        f"/api/v1/movements/{moved['id']}",
        json={"version": 1, "reason": "unsure", "on_date": None},
    )
    assert emptied.status_code == 422
    assert "at least a date" in emptied.json()["detail"][0]["msg"]
    chain = client.get(f"/api/v1/children/{scene.child}/movements").json()["movements"]
    kept = next(m for m in chain if m["id"] == moved["id"])
    assert (kept["on_date"], kept["version"]) == ("2022-05", 1)


def test_a_return_dated_before_a_stay_is_kept_and_shown_as_a_contradiction(
    client: TestClient, scene: Scene
) -> None:
    _post(client, scene, kind="transfer", on_date="2023-05", facility_id=scene.camp)
    back = _post(client, scene, kind="return", on_date="2023-01-10", to_place="Херсон")
    assert back.status_code == 201
    assert back.json()["sequence"] == 2
    assert [c["kind"] for c in back.json()["contradictions"]] == ["dates_out_of_order"]
    everywhere = client.get("/api/v1/contradictions").json()
    assert any(c["kind"] == "dates_out_of_order" for c in everywhere)
    # Placed explicitly after a later step: also kept, also reported.
    first = _post(
        client, scene, kind="transfer", on_date="2023-06", facility_id=scene.school, after_step=0
    )
    assert first.json()["sequence"] == 1 and len(first.json()["contradictions"]) == 2
    assert _post(client, scene, kind="taken", on_date="2022", after_step=9).status_code == 400


def test_a_correction_keeps_the_old_value_and_a_stale_one_is_refused(
    client: TestClient, scene: Scene
) -> None:
    moved = _post(client, scene, kind="transfer", on_date="2022-06", facility_id=scene.camp).json()
    patch = {"version": moved["version"], "reason": "the list says July", "on_date": "2022-07"}
    fixed = client.patch(f"/api/v1/movements/{moved['id']}", json=patch)
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["on_date"] == "2022-07" and fixed.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/movements/{moved['id']}", json={**patch, "on_date": "2022-08", "reason": "no"}
    )
    assert stale.status_code == 409
    assert [(c["field"], c["old_value"], c["new_value"]) for c in stale.json()["changes"]] == [
        ("on_date", "2022-06", "2022-07")
    ]
    no_reason = client.patch(f"/api/v1/movements/{moved['id']}", json={"version": 2, "reason": ""})
    assert no_reason.status_code == 422
    history = client.get(f"/api/v1/children/{scene.child}/movements/history").json()
    assert [h["action"] for h in history] == ["recorded", "corrected"]
    assert _chain(client, scene) == [(1, "transfer", "2022-07")]


def test_a_withdrawn_movement_leaves_the_chain_and_stays_in_the_history(
    client: TestClient, scene: Scene
) -> None:
    wrong = _post(client, scene, kind="transfer", on_date="2022-06", facility_id=scene.camp).json()
    _post(client, scene, kind="transfer", on_date="2022-09", facility_id=scene.school)
    url = f"/api/v1/movements/{wrong['id']}/withdrawal"
    assert client.post(url, json={"version": 1, "reason": ""}).status_code == 422
    gone = client.post(url, json={"version": 1, "reason": "recorded on the wrong child"})
    assert gone.status_code == 200, gone.text
    assert [(m["sequence"], m["on_date"]) for m in gone.json()["movements"]] == [(1, "2022-09")]
    assert client.get(f"/api/v1/facilities/{scene.camp}/occupancy").json() == []
    history = client.get(f"/api/v1/children/{scene.child}/movements/history").json()
    withdrawn = history[-1]
    assert (
        withdrawn["action"] == "withdrawn" and withdrawn["reason"] == "recorded on the wrong child"
    )
    assert f'"facility_id": "{scene.camp}"' in withdrawn["old_value"]
    assert client.post(url, json={"version": 1, "reason": "again"}).status_code == 404


def test_of_two_corrections_racing_from_one_version_only_one_is_applied(db: Database) -> None:
    with db.session() as session:
        child = make_child(session)
        step = MovementIn(kind=MovementKind.taken, on_date="2022-05", from_place="Херсон")
        movement = record_movement(session, child.id, step, user_id=None)
        # Another correction lands between reading the version and writing it.
        session.execute(
            update(Movement)
            .where(Movement.id == movement.id)
            .values(version=2)
            .execution_options(synchronize_session=False)
        )
        later = step.model_copy(update={"on_date": "2022-06"})
        with pytest.raises(StaleMovement):
            correct_movement(
                session, movement.id, later, based_on_version=1, user_id=None, reason="list"
            )
        session.expire_all()
        assert str(session.get(Movement, movement.id).on_date) == "2022-05"  # type: ignore[union-attr]
