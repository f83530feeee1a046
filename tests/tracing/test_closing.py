"""Closing a request stops its matching; reopening brings it back, with consent if withdrawn."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.accounts.signed_in import SignedIn
from ridni.audit.models import AuditEvent
from ridni.cases.models import Record
from ridni.errors import InputError
from ridni.storage.engine import Database
from ridni.tracing.closing import close_request, reopen_request
from ridni.tracing.matching import match_new_records, match_request
from ridni.tracing.models import CloseReason, RequestStatus, Trace, TracingRequest
from ridni.tracing.queue import queue
from ridni.tracing.registry_index import RegistryIndex
from tests.helpers import csrf_token, login, make_record, make_source, make_user
from tests.tracing.test_review import _report


def _request_of(session: Session, sought: Record) -> TracingRequest:
    trace = session.scalar(select(Trace).where(Trace.record_id == sought.id))
    assert trace is not None
    return trace.request


def _signed_in_with_a_request(client: TestClient, db: Database) -> int:
    """A caseworker logged in and the id of the tracing request a family's report opened."""
    with db.session() as session:
        make_user(session)
        request_id = _request_of(session, _report(session)).id
    login(client)
    return request_id


def _listing(session: Session, ref: str) -> Record:
    """A new Russian-side entry for the sought boy, as an adoption listing writes him."""
    source = make_source(session, f"Adoption listing {ref} (synthetic)")
    return make_record(
        session,
        None,
        source,
        "Aleksandr",
        "Shevchenko",
        born="2012",
        birth_place="Kherson",
        source_ref=ref,
        consent_share=True,
    )


def test_a_closed_request_raises_no_questions_and_leaves_the_queue(
    db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        viewer = SignedIn.of(make_user(session))
        sought = _report(session)
        item = _request_of(session, sought)
        assert match_request(session, RegistryIndex(), item), "the camp list's boy is a candidate"
        waiting, _ = queue(session, viewer)
        assert {c.sought_record_id for c in waiting} == {sought.id}

        close_request(item, CloseReason.reunited, "back home")
        session.flush()
        assert queue(session, viewer) == ([], 0)
        assert match_new_records(session, [_listing(session, "listing-1")]) == []
        with pytest.raises(InputError, match="is closed"):
            match_request(session, RegistryIndex(), item)
        with pytest.raises(InputError, match="already closed"):
            close_request(item, CloseReason.duplicate, "same as 12")

        with pytest.raises(InputError, match="Say why"):
            reopen_request(item, "   ")
        reopen_request(item, "closed by mistake")
        session.flush()
        assert item.status is RequestStatus.open and item.closed_reason is None
        assert {c.sought_record_id for c in queue(session, viewer)[0]} == {sought.id}
        new = match_new_records(session, [_listing(session, "listing-2")])
        assert [c.sought_record_id for c in new] == [sought.id]


def test_withdrawn_consent_can_be_reopened_only_with_renewed_consent(db: Database) -> None:
    with db.session() as session:
        item = _request_of(session, _report(session))
        with pytest.raises(InputError, match="Say why"):
            close_request(item, CloseReason.consent_withdrawn, "  \t ")
        assert item.status is RequestStatus.open, "a blank note changes nothing"
        close_request(item, CloseReason.consent_withdrawn, "mother asked to stop")
        assert item.consent_tracing is False
        with pytest.raises(InputError, match="withdrew consent"):
            reopen_request(item, "she called back")
        assert item.status is RequestStatus.closed
        entry = reopen_request(item, "she called back", consent_renewed=True)
        assert item.status is RequestStatus.open and item.consent_tracing is True
        assert entry.detail["closed_reason_was"] == "consent_withdrawn", "the audit keeps why"
        with pytest.raises(InputError, match="open already"):
            reopen_request(item, "again")


def test_only_withdrawn_consent_asks_for_renewed_consent(db: Database) -> None:
    """A request that never had consent recorded (an imported list) and was closed by
    mistake reopens without anyone ticking a statement that is not true."""
    with db.session() as session:
        item = _request_of(session, _report(session))
        item.consent_tracing = False
        close_request(item, CloseReason.reunited, "closed the wrong one")
        reopen_request(item, "closed by mistake")
        assert item.status is RequestStatus.open and item.consent_tracing is False


def test_caseworker_closes_and_reopens_on_the_request_page(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    request_id = _signed_in_with_a_request(client, db)
    client.cookies.set("ridni_lang", "en")
    page = f"/tracing/{request_id}"
    assert "Open: matched against new lists" in client.get("/tracing").text

    refused = client.post(
        f"{page}/close",
        data={"csrf_token": csrf_token(client, page), "reason": "reunited", "note": ""},
    )
    assert refused.status_code == 422
    closed = client.post(
        f"{page}/close",
        data={
            "csrf_token": csrf_token(client, page),
            "reason": "consent_withdrawn",
            "note": "mother called: stop the search",
        },
    )
    assert closed.status_code == 200
    assert "Closed: no longer matched" in closed.text
    assert "The family withdrew consent to tracing" in closed.text
    assert "Match again against the registry" not in closed.text
    assert 'id="consent-renewed"' in closed.text
    with db.session() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "write /tracing/{request_id}/close")
        )
        assert event is not None and event.reason == "mother called: stop the search"
        assert event.actor == "caseworker"

    twice = client.post(
        f"{page}/close",
        data={"csrf_token": csrf_token(client, page), "reason": "other", "note": "again"},
    )
    assert twice.status_code == 400 and "already closed" in twice.text
    no_consent = client.post(
        f"{page}/reopen", data={"csrf_token": csrf_token(client, page), "note": "she called back"}
    )
    assert no_consent.status_code == 400 and "withdrew consent" in no_consent.text
    client.cookies.set("ridni_lang", "uk")
    blank = client.post(
        f"{page}/reopen",
        data={"csrf_token": csrf_token(client, page), "note": "    ", "consent_renewed": "true"},
    )
    assert blank.status_code == 400 and "Поясніть причину, від 3 до 500 символів." in blank.text
    client.cookies.set("ridni_lang", "en")
    reopened = client.post(
        f"{page}/reopen",
        data={
            "csrf_token": csrf_token(client, page),
            "note": "she called back",
            "consent_renewed": "true",
        },
    )
    assert reopened.status_code == 200
    assert "Open: matched against new lists" in reopened.text
    assert "Camp list «Ромашка» (synthetic)" in reopened.text, "matched again on reopening"


def test_a_close_or_reopen_form_sent_twice_lands_on_the_request(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    """A double click on Close or Reopen: the second copy answered an error page ("The request
    could not be understood: tracing request 7 is already closed") although it was done. The
    same form again lands on the request; closing it for another reason is still refused."""
    request_id = _signed_in_with_a_request(client, db)
    client.cookies.set("ridni_lang", "en")
    page = f"/tracing/{request_id}"
    form = {"reason": "reunited", "note": "back with her mother"}
    for _copy in range(2):
        sent = client.post(
            f"{page}/close",
            data={**form, "csrf_token": csrf_token(client, page)},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
    other = client.post(
        f"{page}/close",
        data={"csrf_token": csrf_token(client, page), "reason": "other", "note": "again"},
    )
    assert other.status_code == 400 and "already closed" in other.text
    for _copy in range(2):
        sent = client.post(
            f"{page}/reopen",
            data={"csrf_token": csrf_token(client, page), "note": "closed the wrong one"},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
    with db.session() as session:
        actions = session.scalars(
            select(AuditEvent.reason).where(AuditEvent.action.like("write /tracing/%"))
        ).all()
        assert sorted(reason for reason in actions if reason) == [
            "back with her mother",
            "closed the wrong one",
        ]


def test_api_closes_and_reopens(client: TestClient, db: Database) -> None:
    request_id = _signed_in_with_a_request(client, db)
    url = f"/api/v1/tracing-requests/{request_id}"
    closed = client.post(f"{url}/close", json={"reason": "duplicate", "note": "same as #12"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_reason"] == "duplicate"
    again = client.post(f"{url}/close", json={"reason": "other", "note": "x" * 3})
    assert again.status_code == 409
    assert client.post(f"{url}/close", json={"reason": "lost"}).status_code == 422
    blank = client.post(f"{url}/reopen", json={"note": "     "})
    assert blank.status_code == 422, "a note of spaces says nothing"
    reopened = client.post(f"{url}/reopen", json={"note": "not a duplicate"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
