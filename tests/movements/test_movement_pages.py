"""The case page's movement form, the correction page and the contradiction note."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ridni.accounts.models import RoleName
from ridni.movements.models import Movement, MovementChange
from ridni.storage.engine import Database
from tests.helpers import csrf_token, login, make_user
from tests.movements.conftest import Scene


def _record(client: TestClient, scene: Scene, **fields: str) -> object:
    form = {"csrf_token": csrf_token(client, f"/children/{scene.child}"), **fields}
    return client.post(f"/children/{scene.child}/movements", data=form, follow_redirects=False)


def test_a_movement_recorded_on_the_case_page_appears_in_its_timeline(
    client: TestClient, scene: Scene
) -> None:
    page = client.get(f"/children/{scene.child}")
    assert 'id="movement-form"' in page.text
    options = client.get("/movements/options").text
    assert f"ДОЛ «Ромашка» [SYNTHETIC] #{scene.camp}" in options
    saved = _record(
        client,
        scene,
        kind="transfer",
        on_date="2022-06",
        facility=f"ДОЛ «Ромашка» [SYNTHETIC] #{scene.camp}",
        source=str(scene.source),
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    timeline = client.get(f"/children/{scene.child}").text
    assert f'href="/facilities/{scene.camp}"' in timeline and "Camp list (synthetic)" in timeline
    assert "2022-06" in client.get(f"/facilities/{scene.camp}").text


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(
    client: TestClient, scene: Scene
) -> None:
    client.cookies.set("ridni_lang", "en")
    refused = _record(client, scene, kind="taken", on_date="2010", from_place="Херсон")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert 'id="movement-error"' in text and "before the child&#39;s birth" in text
    assert 'value="Херсон"' in text
    unknown = _record(client, scene, kind="transfer", facility="Nowhere at all")
    assert (
        "To facility (name or number): Choose it from the list, or give its number." in unknown.text  # type: ignore[attr-defined]
    )
    assert "movement-timeline" not in client.get(f"/children/{scene.child}").text


def test_an_empty_movement_is_refused_with_a_message_and_nothing_is_saved(
    client: TestClient, db: Database, scene: Scene
) -> None:
    client.cookies.set("ridni_lang", "en")
    # The form as the case page sends it when nothing was filled in.
    blank = dict.fromkeys(("on_date", "from_place", "facility", "to_place", "after"), "")
    refused = _record(
        client, scene, kind="taken", source=str(scene.source), notes="seen on a list", **blank
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert 'id="movement-error"' in text and '<details id="record-movement" open>' in text
    assert (
        "Date (YYYY-MM-DD, YYYY-MM or YYYY): Give at least a date, a place or a facility." in text
    )
    assert f'name="source" maxlength="320" list="source-options" value="{scene.source}"' in text
    assert ">seen on a list</textarea>" in text
    with db.session() as session:
        assert session.scalar(select(func.count(Movement.id))) == 0
        assert session.scalar(select(func.count(MovementChange.id))) == 0
    assert "movement-timeline" not in client.get(f"/children/{scene.child}").text
    # A place alone is enough.
    assert _record(client, scene, kind="taken", from_place="Олешки").status_code == 303  # type: ignore[attr-defined]


def test_form_errors_name_the_field_in_the_readers_language(
    client: TestClient, db: Database, scene: Scene
) -> None:
    client.cookies.set("ridni_lang", "uk")
    long_place = "Херсон" * 60  # 360 characters: more than a place may have
    refused = _record(
        client, scene, kind="taken", on_date="2022-05", from_place=long_place, facility="?"
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert "Звідки (місце): Задовгий текст." in text
    assert "До закладу (назва або номер): Оберіть зі списку або вкажіть номер." in text
    assert "from_place" not in text.split('id="movement-error"')[1].split("</p>")[0]
    assert "String should have" not in text and "choose the facility" not in text
    assert f'value="{long_place}"' in text and 'value="2022-05"' in text
    empty = _record(client, scene, kind="taken")
    assert "Вкажіть принаймні дату, місце або заклад." in empty.text  # type: ignore[attr-defined]
    future = _record(client, scene, kind="taken", on_date="2099")
    assert "Дата (РРРР-ММ-ДД, РРРР-ММ або РРРР): Ця дата ще не настала." in future.text  # type: ignore[attr-defined]
    # A date in a form the page reads that is no date was told to be written as YYYY-MM-DD.
    for typed, said in (
        ("31.02.2012", "Такої дати не існує."),
        ("01.1899", "Вкажіть рік повністю, від 1900 до 2100."),
        ("March 2012", "Перевірте дату: запишіть її як РРРР-ММ-ДД, РРРР-ММ або РРРР."),
    ):
        page = _record(client, scene, kind="taken", on_date=typed, from_place="Херсон")
        assert f"Дата (РРРР-ММ-ДД, РРРР-ММ або РРРР): {said}" in page.text, typed  # type: ignore[attr-defined]
    with db.session() as session:
        assert session.scalar(select(func.count(Movement.id))) == 0


def test_dates_out_of_order_are_noted_on_the_case_page(client: TestClient, scene: Scene) -> None:
    _record(client, scene, kind="transfer", on_date="2023-05", facility=str(scene.camp))
    _record(client, scene, kind="return", on_date="2023-01", to_place="Херсон")
    checks = client.get(f"/children/{scene.child}/movements/checks")
    # In the reader's language (Ukrainian by default), like the rest of the page.
    assert 'class="contradiction"' in checks.text
    assert "крок 2 (2023-01) датовано раніше за крок 1 (2023-05)" in checks.text
    assert "dated before" not in checks.text


def test_a_correction_on_its_page_is_logged_and_a_stale_one_shows_the_other_change(
    client: TestClient, scene: Scene
) -> None:
    _record(client, scene, kind="transfer", on_date="2022-06", facility=str(scene.camp))
    page = client.get(f"/children/{scene.child}")
    link = re.search(r'href="(/children/\d+/movements/(\d+)/edit)"', page.text)
    assert link
    edit = client.get(link.group(1))
    assert 'name="version" value="1"' in edit.text
    form = {
        "csrf_token": csrf_token(client, link.group(1)),
        "version": "1",
        "kind": "transfer",
        "on_date": "2022-07",
        "facility": str(scene.camp),
        "reason": "the list says July",
    }
    assert client.post(link.group(1), data=form, follow_redirects=False).status_code == 303
    stale = client.post(link.group(1), data={**form, "on_date": "2022-08"})
    assert stale.status_code == 409 and 'id="conflict"' in stale.text
    assert "the list says July" in stale.text and 'value="2022-08"' in stale.text
    withdraw = link.group(1).replace("/edit", "/withdraw")
    gone = client.post(
        withdraw,
        data={"csrf_token": form["csrf_token"], "version": "2", "reason": "wrong child"},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    assert "movement-timeline" not in client.get(f"/children/{scene.child}").text
    history = client.get(f"/children/{scene.child}/movements/checks").text
    assert "wrong child" in history and "the list says July" in history


def test_an_analyst_sees_the_chain_without_places_and_cannot_record(
    client: TestClient, db: Database, scene: Scene
) -> None:
    _record(client, scene, kind="taken", on_date="2022-05", from_place="Олешки")
    _record(client, scene, kind="transfer", on_date="2022-06", facility=str(scene.camp))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    with db.session() as session:
        make_user(session, "analyst", RoleName.analyst)
    login(client, "analyst")
    page = client.get(f"/children/{scene.child}")
    assert page.status_code == 200
    assert f'href="/facilities/{scene.camp}"' in page.text and "Олешки" not in page.text
    assert 'id="movement-form"' not in page.text
    assert not re.search(r"movements/\d+/edit", page.text)
    chain = client.get(f"/api/v1/children/{scene.child}/movements").json()
    assert [m["from_place"] for m in chain["movements"]] == [None, None]
    assert "Олешки" not in client.get(f"/children/{scene.child}/movements/checks").text


def test_the_correction_page_names_the_wrong_field_and_saves_nothing(
    client: TestClient, scene: Scene
) -> None:
    client.cookies.set("ridni_lang", "en")
    _record(client, scene, kind="taken", on_date="2022-05", from_place="Олешки")
    page = client.get(f"/children/{scene.child}")
    link = re.search(r'href="(/children/\d+/movements/(\d+)/edit)"', page.text)
    assert link
    form = {"csrf_token": csrf_token(client, link.group(1)), "version": "1", "kind": "taken"}
    emptied = client.post(link.group(1), data={**form, "reason": "unsure"})
    assert emptied.status_code == 400 and 'id="form-error"' in emptied.text
    assert "Date (YYYY-MM-DD, YYYY-MM or YYYY): Give at least a date" in emptied.text
    client.cookies.set("ridni_lang", "uk")
    no_reason = client.post(link.group(1), data={**form, "on_date": "2022-06", "reason": " "})
    assert no_reason.status_code == 400
    assert "Чому (обов’язково): Це поле обов’язкове." in no_reason.text
    assert (
        'value="2022-06"' in no_reason.text and "a correction needs a reason" not in no_reason.text
    )
    history = client.get(f"/api/v1/children/{scene.child}/movements").json()["movements"]
    assert [(m["on_date"], m["from_place"], m["version"]) for m in history] == [
        ("2022-05", "Олешки", 1)
    ]


def test_withdrawing_a_movement_actors_refer_to_is_refused_in_the_readers_language(
    client: TestClient, db: Database, scene: Scene
) -> None:
    from ridni.actors.models import ActorKind, ActorRole
    from ridni.actors.service import ActorIn, LinkIn, create_actor, link_actor

    _record(client, scene, kind="transfer", on_date="2022-06", facility=str(scene.camp))
    page = client.get(f"/children/{scene.child}")
    link = re.search(r'href="(/children/\d+/movements/(\d+)/edit)"', page.text)
    assert link
    with db.session() as session:
        actor = create_actor(session, ActorIn(name="Driver [SYNTHETIC]", kind=ActorKind.person))
        link_actor(
            session,
            actor.id,
            LinkIn(role=ActorRole.transporter, movement_id=int(link.group(2))),
        )
    client.cookies.set("ridni_lang", "uk")
    refused = client.post(
        link.group(1).replace("/edit", "/withdraw"),
        data={"csrf_token": csrf_token(client, link.group(1)), "version": "1", "reason": "x"},
    )
    assert refused.status_code == 400
    assert "посилаються на це переміщення: 1" in refused.text
    assert "actor link" not in refused.text
    assert 'id="movement-timeline"' in client.get(f"/children/{scene.child}").text


def test_a_step_to_follow_that_is_gone_is_refused_beside_the_form(
    client: TestClient, scene: Scene
) -> None:
    client.cookies.set("ridni_lang", "uk")
    _record(client, scene, kind="taken", on_date="2022-05", from_place="Олешки")
    refused = _record(
        client, scene, kind="transfer", on_date="2022-06", to_place="Москва", after="1800"
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert 'id="movement-error"' in text and "no step" not in text
    assert "Цього кроку вже немає в ланцюжку" in text
    assert 'value="2022-06"' in text, "what was typed is kept"


def test_a_version_too_big_to_be_real_is_refused_on_the_correction_page(
    client: TestClient, scene: Scene
) -> None:
    _record(client, scene, kind="taken", on_date="2022-05", from_place="Олешки")
    page = client.get(f"/children/{scene.child}")
    link = re.search(r'href="(/children/\d+/movements/(\d+)/edit)"', page.text)
    assert link
    form = {
        "csrf_token": csrf_token(client, link.group(1)),
        "version": "9" * 20,
        "kind": "taken",
        "on_date": "2022-06",
        "reason": "x",
    }
    assert client.post(link.group(1), data=form).status_code == 400
    withdraw = link.group(1).replace("/edit", "/withdraw")
    assert client.post(withdraw, data=form).status_code == 400
