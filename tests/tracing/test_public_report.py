"""A family reports without an account and follows the search through a private link."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ridni.cases.models import Child, Record, RecordKind
from ridni.evidence.models import Evidence
from ridni.storage.engine import Database
from ridni.tracing import public_routes
from ridni.tracing.models import MatchCandidate, Trace, TracingRequest
from tests.helpers import csrf_token
from tests.tracing.conftest import REPORT, status_link, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def test_a_report_creates_a_case_a_request_and_ranked_candidates(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    code, page = submit(client)
    assert code == 200, page
    link = status_link(page)
    assert link.startswith("http://testserver/status/") and len(link.rsplit("/", 1)[1]) >= 32
    with db.session() as session:
        request = session.scalars(select(TracingRequest)).one()
        assert request.status_token_hash and request.status_token_hash not in link
        record = session.scalars(
            select(Record).where(Record.kind == RecordKind.family_report)
        ).one()
        assert record.birth_date is not None
        assert (record.given_name, record.birth_date.iso()) == ("Олександр", "2012-03-14")
        child = session.get(Child, record.child_id)
        assert child is not None and child.status.value == "reported"
        candidates = session.scalars(select(MatchCandidate)).all()
        assert candidates[0].found_record_id == registry["boy"]
        assert candidates[0].probability > 0.5
        assert candidates[0].explanation["birth_date"]["level"]


def test_the_status_link_shows_the_status_and_nothing_personal(
    client: TestClient, registry: dict[str, int]
) -> None:
    _code, page = submit(client)
    status = client.get(status_link(page).replace("http://testserver", ""))
    assert status.status_code == 200
    assert 'id="family-status-1"' in status.text
    for personal in ("Шевченко", "Олександр", "Херсон", "+380", "2012"):
        assert personal not in status.text
    assert client.get("/status/" + "x" * 32).status_code == 404
    assert client.get("/status/short").status_code == 404


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "This is needed."),
        ({"birth_day": "31", "birth_month": "2"}, "birth_day", "This date does not exist."),
        ({"birth_year": "2099"}, "birth_year", "This date is in the future."),
        ({"birth_day": "5", "birth_month": ""}, "birth_month", "A day needs its month."),
        ({"birth_year": "14.03.2012"}, "birth_year", "Use digits for day, month and year."),
        ({"taken_year": "2010"}, "taken_year", "The child was taken before being born"),
        ({"consent_tracing": ""}, "consent_tracing", "We can only search with your consent."),
        ({"inquirer_relation": "tsar"}, "inquirer_relation", "Choose one of the options."),
        ({"family_name": "x" * 201}, "family_name", "This is too long."),
        ({"family_name": "!!!"}, "family_name", "A name needs letters."),
        ({"birth_day": "9" * 20}, "birth_day", "This date does not exist."),
        ({"taken_year": "2" * 20}, "taken_year", "Give the year in full, between 1900 and 2100."),
        # A year of two digits, or outside the range, was "This date does not exist." (under
        # the day when one was given); a month past 12 without a day was under the year.
        ({"birth_year": "12"}, "birth_year", "Give the year in full, between 1900 and 2100."),
        ({"birth_year": "1899"}, "birth_year", "Give the year in full, between 1900 and 2100."),
        ({"birth_month": "13", "birth_day": ""}, "birth_month", "This date does not exist."),
        ({"family_name": "\x00\x0b"}, "family_name", "This is needed."),
    ],
)
def test_form_errors_are_shown_beside_the_field_and_nothing_is_saved(
    client: TestClient, db: Database, values: dict[str, str], field: str, message: str
) -> None:
    client.cookies.set("ridni_lang", "en")
    code, page = submit(client, values)
    assert code == 422
    assert f'id="{field}-error">{message}' in page
    with db.session() as session:
        assert session.scalars(select(TracingRequest)).all() == []
        assert session.scalars(select(Child)).all() == [], "nothing half-written is kept"
        assert session.scalars(select(Child)).all() == []


def test_form_errors_are_in_the_readers_language(client: TestClient) -> None:
    code, page = submit(client, {"birth_day": "31", "birth_month": "2"})
    assert code == 422
    assert "Такої дати не існує." in page
    assert 'value="Шевченко"' in page, "what was typed is kept"


def test_photos_are_kept_as_evidence_with_their_hash(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    code, page = submit(client, files=[("photos", ("boy.png", PNG, "image/png"))])
    assert code == 200, page
    with db.session() as session:
        evidence = session.scalars(select(Evidence)).one()
        assert evidence.sha256 and len(evidence.sha256) == 64
        assert evidence.kind.value == "photo"


@pytest.mark.parametrize(
    ("name", "content"),
    [("boy.png", b"MZ\x90\x00 not an image"), ("boy.exe", PNG), ("boy.pdf", b"%PDF-1.4")],
)
def test_non_image_photos_are_refused_with_a_reason(
    client: TestClient, db: Database, name: str, content: bytes
) -> None:
    client.cookies.set("ridni_lang", "en")
    code, page = submit(client, files=[("photos", (name, content, "image/png"))])
    assert code == 422
    assert f"{name} is not a JPEG or PNG photo." in page
    with db.session() as session:
        assert session.scalars(select(Evidence)).all() == []
        assert session.scalars(select(TracingRequest)).all() == []


def test_a_right_to_left_override_in_a_name_is_not_kept(client: TestClient, db: Database) -> None:
    """Pasted into a name, U+202E turned the rest of the line around in every list, export
    and dossier that showed it; it is dropped like a control character."""
    values = {
        "given_name": "\u202eОлександр",
        "family_name": "Шевченко\u2066",
        "residence": "\u202dХерсон",
    }
    assert submit(client, values)[0] == 200
    with db.session() as session:
        record = session.scalars(
            select(Record).where(Record.kind == RecordKind.family_report)
        ).one()
        assert (record.given_name, record.family_name) == ("Олександр", "Шевченко")
        child = session.get(Child, record.child_id)
        assert child is not None and child.given_name == "Олександр"


def test_a_refused_photos_name_is_echoed_without_tricks(client: TestClient) -> None:
    """The file's name is the sender's: a right-to-left override would show
    "boy\u202egpj.exe" as "boyexe.jpg", and a name of thousands of letters or a whole path
    filled the message. It is shown as evidence files are named."""
    client.cookies.set("ridni_lang", "en")
    name = "C:\\Users\\x\\boy\u202egpj" + "a" * 3000 + ".exe"
    code, page = submit(client, files=[("photos", (name, b"MZ\x90\x00", "image/jpeg"))])
    assert code == 422
    message = re.search(r"([^<>]*) is not a JPEG or PNG photo\.", page)
    assert message, page
    shown = message.group(1)
    assert "\u202e" not in shown and "Users" not in shown and shown.startswith("boygpj")
    assert len(shown) <= 200 and shown.endswith(".exe")


def test_oversized_reports_are_refused_before_reading(client: TestClient) -> None:
    client.cookies.set("ridni_lang", "en")
    big = b"\xff\xd8\xff" + b"\x00" * (16 * 1024 * 1024)
    code, page = submit(client, files=[("photos", ("big.jpg", big, "image/jpeg"))])
    assert code == 413
    assert "too large" in page


def test_a_photo_over_the_per_photo_limit_is_refused(client: TestClient) -> None:
    client.cookies.set("ridni_lang", "en")
    big = b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024)
    code, page = submit(client, files=[("photos", ("big.jpg", big, "image/jpeg"))])
    assert code == 422
    assert "big.jpg is larger than 5 MB." in page


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    client.get("/report")
    response = client.post("/report", data=REPORT)
    assert response.status_code == 403


def test_a_form_that_expired_comes_back_with_what_was_typed(
    client: TestClient, db: Database
) -> None:
    """The browser dropped its cookie while the family was writing (or the form was left open
    for days): nothing is saved, and instead of an error page that loses the report, the form
    comes back filled in, with a new token, and sending it again works."""
    client.cookies.set("ridni_lang", "uk")
    token = csrf_token(client, "/report")
    client.cookies.clear()
    client.cookies.set("ridni_lang", "uk")
    typed = {**REPORT, "circumstances": "Забрали зі школи <b>вночі</b> (synthetic)."}
    expired = client.post("/report", data={**typed, "csrf_token": token})
    assert expired.status_code == 403
    page = expired.text
    assert 'id="form-expired"' in page and "нічого не збережено" in page
    assert 'value="Шевченко"' in page and "вночі" in page and "<b>вночі" not in page
    assert token not in page
    with db.session() as session:
        assert session.scalars(select(TracingRequest)).all() == []
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert fresh
    again = client.post("/report", data={**typed, "csrf_token": fresh.group(1)})
    assert again.status_code == 200 and 'id="status-link"' in again.text


def test_one_address_cannot_flood_the_form(client: TestClient, db: Database) -> None:
    client.app.state.report_limiter.limit = 2  # type: ignore[attr-defined]
    assert submit(client)[0] == 200
    assert submit(client)[0] == 200
    assert submit(client)[0] == 429
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 2


def test_refused_forms_do_not_use_up_the_reports_allowed(client: TestClient, db: Database) -> None:
    """A family correcting typos is not locked out; a flood of bad forms still stops."""
    client.app.state.report_limiter.limit = 1  # type: ignore[attr-defined]
    client.app.state.attempt_limiter.limit = 5  # type: ignore[attr-defined]
    for _ in range(3):
        assert submit(client, {"birth_year": "garbage"})[0] == 422
    assert submit(client)[0] == 200, "three refused forms, then the corrected one is received"
    assert submit(client)[0] == 429, "one report an hour, as set"
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 1
    assert submit(client, {"birth_year": "garbage"})[0] == 429, "five attempts in all"


def test_a_database_failure_keeps_the_report_and_asks_to_send_it_again(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = public_routes.receive

    def busy(*args: Any, **kwargs: Any) -> None:
        written(*args, **kwargs)  # half the report is written when the database gives up
        raise OperationalError("INSERT INTO …", {}, Exception("database is locked"))

    monkeypatch.setattr(public_routes, "receive", busy)
    client.cookies.set("ridni_lang", "en")
    status, page = submit(client)
    assert status == 503
    assert "could not be saved just now" in page and "send it again" in page
    assert 'value="Шевченко"' in page, "what the family typed is still in the form"
    with db.session() as session:
        assert session.scalars(select(TracingRequest)).all() == []
        assert session.scalars(select(Child)).all() == [], "nothing half-written is kept"


def test_control_characters_pasted_into_names_are_dropped(client: TestClient, db: Database) -> None:
    code, page = submit(
        client, {"family_name": "Шев\x00ченко", "circumstances": "Line one\r\nline\x07 two"}
    )
    assert code == 200, page
    with db.session() as session:
        record = session.scalars(
            select(Record).where(Record.kind == RecordKind.family_report)
        ).one()
        assert record.family_name == "Шевченко"
        trace = session.scalars(select(Trace)).one()
        assert trace.circumstances == "Line one\nline two"


def test_the_same_form_sent_twice_is_one_report(client: TestClient, db: Database) -> None:
    """A double click or a refresh posts the form again: the child is registered once."""
    client.cookies.set("ridni_lang", "en")
    form = client.get("/report").text
    key = re.search(r'name="submission" value="([^"]+)"', form)
    assert key and key.group(1) not in client.get("/report").text, "a new key per form"
    first_code, first = submit(client, {"submission": key.group(1)})
    again_code, again = submit(client, {"submission": key.group(1)})
    assert first_code == again_code == 200
    assert 'id="status-link"' in first and 'id="already-received"' in again
    assert 'id="status-link"' not in again
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 1
        assert len(session.scalars(select(Child)).all()) == 1
    other_code, _page = submit(client, {"submission": "another-form-" + "x" * 20})
    assert other_code == 200
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 2


def test_a_caseworker_sending_a_request_twice_lands_on_the_first(
    client: TestClient, db: Database
) -> None:
    from tests.helpers import csrf_token, login, make_user

    with db.session() as session:
        make_user(session)
    login(client)
    data = {**REPORT, "submission": "caseworker-form-" + "k" * 20}
    first = client.post(
        "/tracing/new", data={**data, "csrf_token": csrf_token(client, "/tracing/new")}
    )
    assert first.status_code == 200
    again = client.post(
        "/tracing/new",
        data={**data, "csrf_token": csrf_token(client, "/tracing/new")},
        follow_redirects=False,
    )
    assert again.status_code == 303
    with db.session() as session:
        only = session.scalars(select(TracingRequest)).one()
    assert again.headers["location"] == f"/tracing/{only.id}"


def test_a_caseworkers_request_sent_twice_at_once_lands_on_the_first(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/tracing/new with two copies in flight: the second passes the "sent before?" check
    before the first is saved, then meets it in the database (it was a 500)."""
    from ridni.tracing import routes
    from tests.helpers import csrf_token, login, make_user

    with db.session() as session:
        make_user(session)
    login(client)
    data = {**REPORT, "submission": "caseworker-twice-" + "t" * 20}
    first = client.post(
        "/tracing/new", data={**data, "csrf_token": csrf_token(client, "/tracing/new")}
    )
    assert first.status_code == 200
    real = routes.received_before
    calls: list[int] = []

    def not_yet_saved(session: object, submission: str | None) -> object:
        calls.append(1)
        return None if len(calls) == 1 else real(session, submission)  # type: ignore[arg-type]

    monkeypatch.setattr(routes, "received_before", not_yet_saved)
    again = client.post(
        "/tracing/new",
        data={**data, "csrf_token": csrf_token(client, "/tracing/new")},
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    with db.session() as session:
        only = session.scalars(select(TracingRequest)).one()
        assert len(session.scalars(select(Child)).all()) == 1
    assert again.headers["location"] == f"/tracing/{only.id}"


def test_the_same_form_sent_twice_at_once_is_answered_not_a_server_error(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies in flight together: the second passes the "sent before?" check before the
    first is saved, then meets it in the database."""
    key = "double-click-" + "d" * 20
    assert submit(client, {"submission": key})[0] == 200
    real = public_routes.received_before
    calls: list[int] = []

    def not_yet_saved(session: object, submission: str | None) -> object:
        calls.append(1)
        return None if len(calls) == 1 else real(session, submission)  # type: ignore[arg-type]

    monkeypatch.setattr(public_routes, "received_before", not_yet_saved)
    code, page = submit(client, {"submission": key})
    assert code == 200, page
    assert 'id="already-received"' in page
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 1
        assert len(session.scalars(select(Child)).all()) == 1


def test_a_corrected_form_or_another_browser_with_the_same_key_is_a_new_report(
    client: TestClient, db: Database
) -> None:
    """Only the same form sent again is kept once: a correction is never silently dropped,
    and a key reused from another browser does not swallow someone else's report."""
    key = "corrected-form-" + "c" * 20
    assert submit(client, {"submission": key})[0] == 200
    corrected_code, corrected = submit(client, {"submission": key, "birth_year": "2011"})
    assert corrected_code == 200 and 'id="status-link"' in corrected
    client.cookies.clear()  # another browser: its own CSRF cookie
    other_code, other = submit(client, {"submission": key})
    assert other_code == 200 and 'id="status-link"' in other
    with db.session() as session:
        assert len(session.scalars(select(TracingRequest)).all()) == 3


def test_the_case_history_says_how_the_report_came_in_the_readers_language(
    client: TestClient, db: Database
) -> None:
    from tests.helpers import login, make_user

    assert submit(client)[0] == 200
    with db.session() as session:
        make_user(session)
        child = session.scalars(select(Child)).one().id
    login(client)
    client.cookies.set("ridni_lang", "uk")
    page = client.get(f"/children/{child}").text
    assert "звернення отримано (через публічну форму)" in page
    assert "report received" not in page
