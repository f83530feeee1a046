"""Judging candidates: confirm links the records, transitivity, undo, merges, the consent gate."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.accounts.models import RoleName
from ridni.accounts.service import ensure_organisation
from ridni.accounts.signed_in import SignedIn
from ridni.audit.models import AuditEvent
from ridni.cases.models import Child, ChildStatus, Record
from ridni.errors import InputError, NotFoundError
from ridni.storage.engine import Database
from ridni.tracing.intake import receive
from ridni.tracing.matching import match_new_records, match_sought
from ridni.tracing.models import (
    CandidateState,
    Channel,
    Decision,
    MatchCandidate,
    MatchDecision,
    Trace,
)
from ridni.tracing.queue import next_candidate, queue, visible_candidate
from ridni.tracing.registry_index import RegistryIndex
from ridni.tracing.report_form import validate
from ridni.tracing.review import decide
from tests.helpers import csrf_token, login, make_child, make_record, make_source, make_user
from tests.tracing.conftest import REPORT


def _report(session: Session, organisation: str = "Test NGO (synthetic)", **values: str) -> Record:
    checked = validate({**REPORT, **values})
    assert checked.report is not None, checked.errors
    org = ensure_organisation(session, organisation)
    return receive(
        session, checked.report, channel=Channel.caseworker, organisation=org
    ).trace.record


def _viewer(session: Session, username: str, organisation: str) -> SignedIn:
    return SignedIn.of(make_user(session, username, organisation=organisation))


def test_confirming_links_the_record_and_locates_the_child(
    db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        sought = _report(session)
        candidates = match_sought(session, RegistryIndex(), sought)
        best = candidates[0]
        assert best.found_record_id == registry["boy"]
        decide(session, best, Decision.confirm, user_id=None, reason="same birthday month, town")
        found = session.get(Record, registry["boy"])
        assert found is not None and found.child_id == sought.child_id
        child = session.get(Child, sought.child_id)
        assert child is not None and child.status is ChildStatus.located
        assert "match confirmed with record" in child.status_events[-1].reason


def test_undo_restores_exactly_what_the_decision_changed(
    db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        sought = _report(session)
        best = match_sought(session, RegistryIndex(), sought)[0]
        decide(session, best, Decision.confirm, user_id=None)
        with pytest.raises(InputError, match="needs a reason"):
            decide(session, best, Decision.undo, user_id=None)
        decide(session, best, Decision.undo, user_id=None, reason="a namesake after all")
        found = session.get(Record, registry["boy"])
        assert found is not None and found.child_id is None
        child = session.get(Child, sought.child_id)
        assert child is not None and child.status is ChildStatus.reported
        assert best.state is CandidateState.open
        assert [d.decision for d in best.decisions] == [Decision.confirm, Decision.undo]


def test_a_decided_candidate_cannot_be_decided_again(
    db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        best = match_sought(session, RegistryIndex(), _report(session))[0]
        decide(session, best, Decision.reject, user_id=None)
        with pytest.raises(InputError, match=r"decided already \(rejected\)"):
            decide(session, best, Decision.confirm, user_id=None)


def test_judgements_are_transitive(db: Database) -> None:
    """A = B and B ≠ C: A vs C is never asked, and comes back when A = B is undone."""
    with db.session() as session:
        camp = make_source(session, "Camp list (synthetic)")
        b = make_record(
            session,
            None,
            camp,
            "Александр",
            "Шевченко",
            born="2012-03-14",
            birth_place="Херсон",
            source_ref="b",
            consent_share=True,
        )
        c = make_record(
            session,
            None,
            camp,
            "Олександр",
            "Шевченко",
            born="2012-03-14",
            source_ref="c",
            consent_share=True,
        )
        index = RegistryIndex()
        a = _report(session)
        asked = {cand.found_record_id: cand for cand in match_sought(session, index, a)}
        assert {b.id, c.id} <= set(asked)
        decide(session, asked[b.id], Decision.confirm, user_id=None)
        # Someone establishes B ≠ C directly (e.g. reviewing C's own report).
        other = MatchCandidate(
            sought_record_id=c.id,
            found_record_id=b.id,
            probability=0.6,
            explanation={},
            state=CandidateState.open,
        )
        session.add(other)
        session.flush()
        decide(session, other, Decision.reject, user_id=None)
        session.refresh(asked[c.id])
        assert asked[c.id].state is CandidateState.implied, "A vs C is answered, not asked"
        match_sought(session, index, a)  # matching again does not ask it again
        session.refresh(asked[c.id])
        assert asked[c.id].state is CandidateState.implied
        assert asked[c.id] not in queue(session, SignedIn.of(make_user(session)))[0]
        decide(session, asked[b.id], Decision.undo, user_id=None, reason="wrong")
        session.refresh(asked[c.id])
        assert asked[c.id].state is CandidateState.open


def test_confirming_a_record_of_another_case_merges_the_cases_and_undo_splits_them(
    db: Database,
) -> None:
    with db.session() as session:
        camp = make_source(session, "Camp list (synthetic)")
        registry_case = make_child(
            session, "Александр", "Шевченко", None, "2012-03-14", status=ChildStatus.verified
        )
        found = make_record(
            session,
            registry_case,
            camp,
            "Александр",
            "Шевченко",
            born="2012-03-14",
            source_ref="r1",
            consent_share=True,
        )
        sought = _report(session)
        candidate = next(
            c
            for c in match_sought(session, RegistryIndex(), sought)
            if c.found_record_id == found.id
        )
        decide(session, candidate, Decision.confirm, user_id=None)
        assert found.child_id == sought.child_id
        assert registry_case.status is ChildStatus.closed_duplicate
        decide(session, candidate, Decision.undo, user_id=None, reason="two boys")
        assert found.child_id == registry_case.id
        assert registry_case.status is ChildStatus.verified


def test_new_registry_records_are_matched_against_open_traces(db: Database) -> None:
    with db.session() as session:
        sought = _report(session)
        camp = make_source(session, "Adoption listing (synthetic)")
        listing = make_record(
            session,
            None,
            camp,
            "Aleksandr",
            "Shevchenko",
            born="2012",
            birth_place="Kherson",
            source_ref="listing-9",
            consent_share=True,
        )
        new = match_new_records(session, [listing])
        assert [(c.sought_record_id, c.found_record_id) for c in new] == [(sought.id, listing.id)]


def test_consent_gate_hides_other_organisations_unshared_records(db: Database) -> None:
    with db.session() as session:
        camp = make_source(session, "Camp list (synthetic)")
        other_org = ensure_organisation(session, "Other NGO (synthetic)")
        private = make_record(
            session,
            None,
            camp,
            "Александр",
            "Шевченко",
            born="2012-03-14",
            source_ref="p",
            organisation_id=other_org.id,
            consent_share=False,
        )
        shared = make_record(
            session,
            None,
            camp,
            "Олександр",
            "Шевченко",
            born="2012-03",
            source_ref="s",
            organisation_id=other_org.id,
            consent_share=True,
        )
        sought = _report(session)
        match_sought(session, RegistryIndex(), sought)
        mine = _viewer(session, "olena", "Test NGO (synthetic)")
        items, _total = queue(session, mine)
        assert shared.id in {c.found_record_id for c in items}
        assert private.id not in {c.found_record_id for c in items}
        hidden = session.scalar(
            select(MatchCandidate).where(MatchCandidate.found_record_id == private.id)
        )
        assert hidden is not None
        with pytest.raises(NotFoundError):
            visible_candidate(session, mine, hidden.id)
        theirs = _viewer(session, "taras", "Other NGO (synthetic)")
        assert queue(session, theirs)[1] == 0, "another organisation's traces are not theirs"
        admin = SignedIn.of(make_user(session, "root", RoleName.system_admin, organisation=None))
        assert private.id in {c.found_record_id for c in queue(session, admin)[0]}


def test_the_queue_offers_the_most_probable_first(db: Database, registry: dict[str, int]) -> None:
    with db.session() as session:
        match_sought(session, RegistryIndex(), _report(session))
        viewer = _viewer(session, "olena", "Test NGO (synthetic)")
        first = next_candidate(session, viewer)
        items, _total = queue(session, viewer)
        assert first.id == items[0].id
        assert [c.probability for c in items] == sorted(
            (c.probability for c in items), reverse=True
        )


def test_review_pages_compare_side_by_side_and_decide(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    client.cookies.set("ridni_lang", "en")
    form = {**REPORT, "csrf_token": csrf_token(client, "/tracing/new")}
    created = client.post("/tracing/new", data=form)
    assert created.status_code == 200
    assert 'id="status-link"' in created.text and "Александр" in created.text
    nxt = client.get("/review/next", follow_redirects=False)
    assert nxt.status_code == 303
    page = client.get(nxt.headers["location"]).text
    assert 'id="side-by-side"' in page
    assert "Олександр" in page and "Александр" in page
    assert "Date of birth" in page and "Weight" in page
    token = csrf_token(client, nxt.headers["location"])
    done = client.post(
        nxt.headers["location"],
        data={"decision": "confirm", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/review/next"
    after = client.get(nxt.headers["location"]).text
    assert "Confirmed: same child" in after and 'id="undo"' in after
    # A double click on Confirm: the second copy lands where the first did, not on a refusal.
    twice = client.post(
        nxt.headers["location"],
        data={"decision": "confirm", "csrf_token": token},
        follow_redirects=False,
    )
    assert twice.status_code == 303 and twice.headers["location"] == "/review/next"
    with db.session() as session:
        assert len(session.scalars(select(MatchDecision)).all()) == 1
    refused = client.post(nxt.headers["location"], data={"decision": "reject", "csrf_token": token})
    assert refused.status_code == 409
    assert "This candidate has been decided already (Confirmed: same child)." in refused.text
    client.cookies.set("ridni_lang", "uk")
    blank = client.post(
        nxt.headers["location"],
        data={"decision": "undo", "reason": "   ", "csrf_token": token},
    )
    assert blank.status_code == 409
    assert "undoing a decision" not in blank.text.lower()
    assert "Скасування рішення потребує причини." in blank.text


def test_request_pages_list_show_and_rematch(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        make_user(session)
        mine = _report(session).id
        theirs = _report(session, organisation="Other NGO (synthetic)").id
        request_of: dict[int, int] = {}
        for record_id, request_id in session.execute(
            select(Record.id, Trace.request_id).join(Trace, Trace.record_id == Record.id)
        ):
            request_of[record_id] = request_id
    login(client)
    client.cookies.set("ridni_lang", "en")
    listing = client.get("/tracing").text
    assert f'href="/tracing/{request_of[mine]}"' in listing
    assert f'href="/tracing/{request_of[theirs]}"' not in listing, "other organisations' requests"
    page = client.get(f"/tracing/{request_of[mine]}")
    assert page.status_code == 200
    assert "+380 00 000 0000" not in page.text and "No candidates yet" in page.text
    token = csrf_token(client, f"/tracing/{request_of[mine]}")
    shown = client.post(
        f"/tracing/{request_of[mine]}/contact",
        data={"csrf_token": token, "reason": "calling the mother back"},
    )
    assert shown.status_code == 200 and "+380 00 000 0000" in shown.text
    with db.session() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.reason == "calling the mother back"
        assert event.action == "read /tracing/{request_id}/contact"
    token = csrf_token(client, f"/tracing/{request_of[mine]}")
    again = client.post(f"/tracing/{request_of[mine]}/match", data={"csrf_token": token})
    assert again.status_code == 200 and "Camp list «Ромашка» (synthetic)" in again.text
    assert client.get(f"/tracing/{request_of[theirs]}").status_code == 404
