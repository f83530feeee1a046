"""Changing a case: logged field history, the status lifecycle, stale edits, filters."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ridni.cases.models import ChildStatus, Sex
from ridni.facilities.models import Facility, FacilityKind
from ridni.movements.models import Movement, MovementKind
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_child, make_user


@pytest.fixture
def child_id(db: Database) -> int:
    with db.session() as session:
        make_user(session)
        return make_child(session, origin_oblast="Херсонська").id


@pytest.fixture
def signed_in(client: TestClient, child_id: int) -> TestClient:
    login(client)
    client.cookies.set("ridni_lang", "en")
    return client


def test_an_edit_is_logged_field_by_field(signed_in: TestClient, child_id: int) -> None:
    version = signed_in.get(f"/api/v1/children/{child_id}").json()["version"]
    edited = signed_in.patch(
        f"/api/v1/children/{child_id}",
        json={
            "version": version,
            "reason": "birth certificate seen",
            "birth_date": "2012-03-15",
            "russian_citizenship_imposed": True,
        },
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["birth_date"] == "2012-03-15"
    assert edited.json()["version"] == version + 1
    history = signed_in.get(f"/api/v1/children/{child_id}/history").json()
    assert {(h["field"], h["old_value"], h["new_value"]) for h in history} == {
        ("birth_date", "2012-03-14", "2012-03-15"),
        ("russian_citizenship_imposed", "no", "yes"),
    }
    assert all(h["reason"] == "birth certificate seen" and h["user_id"] for h in history)


def test_a_stale_edit_is_refused_and_shows_what_changed(
    signed_in: TestClient, child_id: int
) -> None:
    version = signed_in.get(f"/api/v1/children/{child_id}").json()["version"]
    first = signed_in.patch(
        f"/api/v1/children/{child_id}",
        json={"version": version, "reason": "camp list", "birth_place": "Олешки"},
    )
    assert first.status_code == 200
    second = signed_in.patch(
        f"/api/v1/children/{child_id}",
        json={"version": version, "reason": "mine", "birth_place": "Херсон"},
    )
    assert second.status_code == 409
    assert [(c["field"], c["new_value"]) for c in second.json()["changes"]] == [
        ("birth_place", "Олешки")
    ]
    assert signed_in.get(f"/api/v1/children/{child_id}").json()["birth_place"] == "Олешки"


def test_the_edit_page_detects_a_stale_edit(signed_in: TestClient, child_id: int) -> None:
    page = signed_in.get(f"/children/{child_id}/edit").text
    token = csrf_token(signed_in, f"/children/{child_id}/edit")
    form = {
        "csrf_token": token,
        "version": "1",
        "family_name": "Шевченко",
        "given_name": "Олександр",
        "birth_year": "2012",
        "birth_month": "3",
        "birth_day": "14",
        "birth_place": "Скадовськ",
        "reason": "caseworker A",
    }
    assert 'name="version" value="1"' in page
    assert (
        signed_in.post(f"/children/{child_id}/edit", data=form, follow_redirects=False).status_code
        == 303
    )
    late = signed_in.post(
        f"/children/{child_id}/edit",
        data={**form, "birth_place": "Херсон", "reason": "caseworker B"},
    )
    assert late.status_code == 409
    assert 'id="stale-edit"' in late.text and "Скадовськ" in late.text
    assert 'value="Херсон"' in late.text, "the late editor's values are not thrown away"


def test_the_same_edit_sent_twice_is_saved_once_without_a_conflict(
    signed_in: TestClient, db: Database, child_id: int
) -> None:
    """A double click on Save (or a retry of a PATCH): the second copy, based on the version
    the first one replaced, answered 409 "someone changed this case ... your changes were not
    saved", showing the editor's own change as someone else's. The case already holds what it
    asks for: it lands on the case like the first."""
    page = signed_in.get(f"/children/{child_id}/edit").text
    form = {
        **_edit_form(page, child_id),
        "csrf_token": csrf_token(signed_in, f"/children/{child_id}/edit"),
        "birth_place": "Скадовськ",
        "reason": "birth certificate seen",
    }
    for _copy in range(2):
        sent = signed_in.post(f"/children/{child_id}/edit", data=form, follow_redirects=False)
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"] == f"/children/{child_id}"
    history = signed_in.get(f"/api/v1/children/{child_id}/history").json()
    assert [(h["field"], h["new_value"]) for h in history] == [("birth_place", "Скадовськ")]
    version = signed_in.get(f"/api/v1/children/{child_id}").json()["version"]
    patch = {"version": version, "reason": "retry", "notes": "seen in Anapa (synthetic)"}
    for _copy in range(2):
        sent = signed_in.patch(f"/api/v1/children/{child_id}", json=patch)
        assert sent.status_code == 200, sent.text
    assert signed_in.get(f"/api/v1/children/{child_id}").json()["version"] == version + 1
    # Someone else's different value is still a conflict.
    other = signed_in.patch(f"/api/v1/children/{child_id}", json={**patch, "notes": "other"})
    assert other.status_code == 409


def _edit_form(page: str, child_id: int) -> dict[str, str]:
    """The edit form's fields as the browser would send them unchanged."""
    form = re.search(
        rf'<form method="post" action="/children/{child_id}/edit".*?</form>', page, re.S
    )
    assert form, page
    values = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form.group(0)
        )
    }
    for name, block in re.findall(
        r'<select[^>]*name="([a-z_]+)"[^>]*>(.*?)</select>', form.group(0), re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', block)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrf_token", None)
    return values


def test_the_api_keeps_a_name_on_the_case_as_the_edit_form_does(
    signed_in: TestClient, child_id: int
) -> None:
    """PATCH could leave a case with no name at all ("" or only invisible characters for both
    names), which the edit form refuses; and a name too long read "at most 200 items"."""
    url = f"/api/v1/children/{child_id}"

    def patch(**fields: object) -> Any:
        version = signed_in.get(url).json()["version"]
        return signed_in.patch(url, json={"version": version, "reason": "test", **fields})

    cleared = patch(given_name="\u202e\u200b")
    assert cleared.status_code == 200 and cleared.json()["given_name"] is None
    for nameless in ({"family_name": "\u200b"}, {"family_name": ""}, {"family_name": None}):
        refused = patch(**nameless)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0]["loc"] == ["body", "family_name"]
    assert signed_in.get(url).json()["family_name"] == "Шевченко"
    long = patch(given_name="А" * 201)
    assert long.status_code == 422
    assert long.json()["detail"][0]["msg"] == "String should have at most 200 characters"


def test_a_patch_with_another_status_is_refused_not_silently_ignored(
    signed_in: TestClient, child_id: int
) -> None:
    """A client sending back the case it read (status included) may edit it; one asking for
    another status through PATCH got 200 with the status unchanged, believing it changed."""
    url = f"/api/v1/children/{child_id}"
    read = signed_in.get(url).json()
    as_read = signed_in.patch(
        url,
        json={
            "version": read["version"],
            "reason": "test",
            "status": read["status"],
            "birth_place": "Бердянськ",
        },
    )
    assert as_read.status_code == 200, as_read.text
    assert as_read.json()["birth_place"] == "Бердянськ"
    version = as_read.json()["version"]
    other = "located" if read["status"] != "located" else "verified"
    refused = signed_in.patch(
        url, json={"version": version, "reason": "test", "status": other, "birth_place": "Херсон"}
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()["detail"][0]
    assert problem["loc"] == ["body", "status"] and "/status" in problem["msg"]
    after = signed_in.get(url).json()
    assert (after["status"], after["birth_place"], after["version"]) == (
        read["status"],
        "Бердянськ",
        version,
    )


def test_edits_need_a_reason_and_valid_dates(signed_in: TestClient, child_id: int) -> None:
    token = csrf_token(signed_in, f"/children/{child_id}/edit")
    form = {
        "csrf_token": token,
        "version": "1",
        "family_name": "Шевченко",
        "birth_year": "2012",
        "birth_month": "2",
        "birth_day": "30",
        "reason": "x",
    }
    bad_date = signed_in.post(f"/children/{child_id}/edit", data=form)
    assert bad_date.status_code == 422 and "This date does not exist." in bad_date.text
    no_reason = signed_in.post(
        f"/children/{child_id}/edit", data={**form, "birth_day": "", "reason": ""}
    )
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["verified", "located", "return_in_progress", "returned", "reunited"], 200),
        (["returned"], 409),
        (["reunited"], 409),
    ],
)
def test_the_status_lifecycle_is_enforced_and_logged(
    signed_in: TestClient, child_id: int, path: list[str], expected: int
) -> None:
    for status in path:
        response = signed_in.post(
            f"/api/v1/children/{child_id}/status",
            json={"status": status, "reason": f"evidence for {status}"},
        )
    assert response.status_code == expected, response.text
    if expected == 200:
        child = signed_in.get(f"/api/v1/children/{child_id}").json()
        assert [e["to_status"] for e in child["status_history"]] == path
        assert child["status_history"][-1]["reason"] == "evidence for reunited"
    else:
        assert "cannot go from reported to" in response.json()["detail"]


def test_a_status_change_needs_a_reason(signed_in: TestClient, child_id: int) -> None:
    response = signed_in.post(
        f"/api/v1/children/{child_id}/status", json={"status": "verified", "reason": ""}
    )
    assert response.status_code == 422


def test_status_form_on_the_case_page(signed_in: TestClient, child_id: int) -> None:
    token = csrf_token(signed_in, f"/children/{child_id}")
    done = signed_in.post(
        f"/children/{child_id}/status",
        data={"csrf_token": token, "status": "located", "reason": "camp list"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = signed_in.get(f"/children/{child_id}").text
    assert "Located" in page and "camp list" in page
    refused = signed_in.post(
        f"/children/{child_id}/status",
        data={"csrf_token": token, "status": "reunited", "reason": "x"},
    )
    assert refused.status_code == 409
    assert "A case cannot go from “Located” to “Reunited”." in refused.text
    assert "From “Located” it can go to: Verified, Return in progress, Returned," in refused.text


def test_a_status_change_sent_twice_is_logged_once_without_a_refusal(
    signed_in: TestClient, child_id: int
) -> None:
    """A double click on the status form: the second copy answered 409 "a case cannot go from
    Verified to Verified" although the change was made. The case is where it was asked to go."""
    token = csrf_token(signed_in, f"/children/{child_id}")
    form = {"csrf_token": token, "status": "verified", "reason": "birth certificate seen"}
    for _copy in range(2):
        sent = signed_in.post(f"/children/{child_id}/status", data=form, follow_redirects=False)
        assert sent.status_code == 303, sent.text
    body = {"status": "located", "reason": "camp list"}
    for _copy in range(2):
        sent = signed_in.post(f"/api/v1/children/{child_id}/status", json=body)
        assert sent.status_code == 200, sent.text
        assert sent.json()["status"] == "located"
    history = signed_in.get(f"/api/v1/children/{child_id}").json()["status_history"]
    assert [e["to_status"] for e in history] == ["verified", "located"]
    blank = signed_in.post(
        f"/api/v1/children/{child_id}/status", json={"status": "located", "reason": " "}
    )
    assert blank.status_code == 409 and "needs a reason" in blank.json()["detail"]


def test_a_refused_status_change_reads_in_ukrainian(signed_in: TestClient, child_id: int) -> None:
    signed_in.cookies.set("ridni_lang", "uk")
    token = csrf_token(signed_in, f"/children/{child_id}")
    refused = signed_in.post(
        f"/children/{child_id}/status",
        data={"csrf_token": token, "status": "returned", "reason": "x"},
    )
    assert refused.status_code == 409
    assert "Справу не можна перевести зі статусу «Повідомлено» у статус «Повернуто»" in refused.text
    assert "можна перейти до: Перевірено, Місцеперебування встановлено," in refused.text
    alert = refused.text.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert "cannot go from" not in alert and "closed_duplicate" not in alert, alert
    no_reason = signed_in.post(
        f"/children/{child_id}/status",
        data={"csrf_token": token, "status": "verified", "reason": " "},
    )
    assert no_reason.status_code == 409 and "Вкажіть причину зміни статусу" in no_reason.text
    assert "needs a reason" not in no_reason.text
    api = signed_in.post(
        f"/api/v1/children/{child_id}/status", json={"status": "returned", "reason": "x"}
    )
    assert api.status_code == 409, "the API keeps its English message"
    assert "a case cannot go from reported to returned" in api.json()["detail"]


def test_filters_narrow_the_list(signed_in: TestClient, db: Database, child_id: int) -> None:
    with db.session() as session:
        young = make_child(
            session,
            "Анна",
            "Бойко",
            None,
            "2021-05-01",
            sex=Sex.female,
            origin_oblast="Донецька",
            status=ChildStatus.located,
        )
        camp = Facility(name="Synthetic camp", kind=FacilityKind.camp_sanatorium, country="RU")
        session.add(camp)
        session.flush()
        session.add(
            Movement(child_id=young.id, sequence=1, kind=MovementKind.transfer, facility_id=camp.id)
        )
        facility_id, young_id = camp.id, young.id

    def ids(**params: object) -> list[int]:
        return [i["id"] for i in signed_in.get("/api/v1/children", params=params).json()["items"]]

    assert ids(oblast="Донецька") == [young_id]
    assert ids(age_max=8) == [young_id]
    assert ids(age_min=10) == [child_id]
    assert ids(facility_id=facility_id) == [young_id]
    assert sorted(ids()) == sorted([child_id, young_id])
    page = signed_in.get("/children", params={"oblast": "Донецька", "age_min": "", "facility": ""})
    assert f'href="/children/{young_id}"' in page.text
    assert f'href="/children/{child_id}"' not in page.text
    assert '<option value="Донецька" selected>' in page.text


def test_numbers_too_big_to_be_real_are_refused_not_a_server_error(
    signed_in: TestClient, child_id: int
) -> None:
    token = csrf_token(signed_in, f"/children/{child_id}/edit")
    form = {"csrf_token": token, "version": "1", "family_name": "Шевченко", "reason": "x"}
    huge = "9" * 20
    day = signed_in.post(
        f"/children/{child_id}/edit",
        data={**form, "birth_year": "2012", "birth_month": "3", "birth_day": huge},
    )
    assert day.status_code == 422 and "This date does not exist." in day.text
    version = signed_in.post(f"/children/{child_id}/edit", data={**form, "version": huge})
    assert version.status_code == 422 and 'value="Шевченко"' in version.text
    api = signed_in.patch(
        f"/api/v1/children/{child_id}",
        json={"version": int(huge), "reason": "qa", "given_name": "X"},
    )
    assert api.status_code == 422
    assert signed_in.get(f"/api/v1/children/{child_id}").json()["version"] == 1


def test_a_blank_reason_is_explained_in_ukrainian(signed_in: TestClient, child_id: int) -> None:
    signed_in.cookies.set("ridni_lang", "uk")
    token = csrf_token(signed_in, f"/children/{child_id}/edit")
    form = {"csrf_token": token, "version": "1", "family_name": "Коваль", "reason": "   "}
    refused = signed_in.post(f"/children/{child_id}/edit", data=form)
    assert refused.status_code == 422
    assert "Зміна справи потребує причини. Зазначте, звідки нові відомості." in refused.text
    assert "needs a reason" not in refused.text
