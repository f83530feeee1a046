"""`ridni cases`, `ridni tracing match` and `ridni review next` on each backend."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ridni.accounts.models import RoleName
from ridni.accounts.service import ensure_organisation
from ridni.audit.models import AuditEvent
from ridni.cases.models import Child
from ridni.cli.main import app
from ridni.storage.engine import Database
from ridni.tracing.intake import receive
from ridni.tracing.models import Channel, MatchCandidate, RequestStatus, TracingRequest
from ridni.tracing.report_form import validate
from tests.helpers import make_record, make_source, make_user
from tests.tracing.conftest import REPORT

runner = CliRunner()


@pytest.fixture
def request_id(db: Database, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    with db.session() as session:
        make_user(session)
        camp = make_source(session, "Camp list (synthetic)")
        make_record(
            session,
            None,
            camp,
            "Александр",
            "Шевченко",
            "Николаевич",
            born="2012-03",
            birth_place="Херсон",
            source_ref="camp-1",
            consent_share=True,
        )
        report = validate(REPORT).report
        assert report is not None
        org = ensure_organisation(session, "Test NGO (synthetic)")
        return receive(session, report, channel=Channel.caseworker, organisation=org).request.id


def test_match_then_review_from_the_terminal(request_id: int) -> None:
    matched = runner.invoke(app, ["tracing", "match", "--request", str(request_id)])
    assert matched.exit_code == 0, matched.output
    assert "1 candidates" in matched.output and "Александр" in matched.output
    reviewed = runner.invoke(
        app, ["review", "next", "--user", "caseworker"], input="c\nsame birthday\n"
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "Олександр" in reviewed.output and "Александр" in reviewed.output
    assert "Recorded: confirm" in reviewed.output
    empty = runner.invoke(app, ["review", "next", "--user", "caseworker"])
    assert empty.exit_code == 5 and "the review queue is empty" in empty.output


def test_skipping_records_nothing(request_id: int) -> None:
    runner.invoke(app, ["tracing", "match", "--request", str(request_id)])
    skipped = runner.invoke(app, ["review", "next", "--user", "caseworker"], input="s\n")
    assert "Skipped" in skipped.output
    again = runner.invoke(app, ["review", "next", "--user", "caseworker", "--decide", "reject"])
    assert "Recorded: reject" in again.output


def test_cases_list_and_show(request_id: int, db: Database) -> None:
    listed = runner.invoke(app, ["cases", "list", "Aleksandr Shevchenko"])
    assert listed.exit_code == 0, listed.output
    assert "1 children" in listed.output and "Шевченко Олександр" in listed.output
    with db.session() as session:
        child_id = session.scalars(select(Child.id)).one()
    assert f"│ {child_id} " in listed.output
    shown = runner.invoke(app, ["cases", "show", str(child_id)])
    assert shown.exit_code == 0, shown.output
    assert "Records" in shown.output and "2012-03-14" in shown.output


def test_unknown_ids_and_users_are_one_line_errors(request_id: int) -> None:
    unknown = runner.invoke(app, ["tracing", "match", "--request", "999999"])
    assert unknown.exit_code == 5 and "error: no tracing request with id 999999" in unknown.output
    nobody = runner.invoke(app, ["review", "next", "--user", "nobody"])
    assert nobody.exit_code == 5 and "no active user 'nobody'" in nobody.output
    missing = runner.invoke(app, ["cases", "show", "999999"])
    assert missing.exit_code == 5


@pytest.mark.parametrize(
    "command",
    [
        ["cases", "show", "{id}"],
        ["tracing", "match", "--request", "{id}"],
        ["tracing", "close", "{id}", "--reason", "reunited", "--user", "x"],
        ["movements", "list", "{id}"],
        ["evidence", "log", "{id}"],
        ["export", "list", "--fields", "id", "--organisation", "{id}", "--out", "o.csv", "-u", "x"],
        ["export", "dossier", "{id}", "--out", "d.zip", "--user", "x"],
    ],
)
@pytest.mark.parametrize("huge", ["2147483648", "99999999999999999999999"])
def test_an_id_too_large_for_the_database_is_a_usage_error_not_a_traceback(
    request_id: int, command: list[str], huge: str
) -> None:
    # SQLite's driver raised OverflowError beyond 64 bits, PostgreSQL a DataError beyond its
    # 32-bit INTEGER: a traceback either way. The option's range now says so before any work.
    result = runner.invoke(app, [part.format(id=huge) for part in command])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "2147483647" in result.output


def test_every_open_request_is_matched_at_once(request_id: int, db: Database) -> None:
    """After a bulk import with --no-match: one command matches what families look for."""
    matched = runner.invoke(app, ["tracing", "match", "--all-open"])
    assert matched.exit_code == 0, matched.output
    assert "1 open requests matched against the registry: 1 candidates" in matched.output
    again = runner.invoke(app, ["tracing", "match", "--all-open"])
    assert again.exit_code == 0, again.output
    with db.session() as session:
        pairs = session.execute(
            select(MatchCandidate.sought_record_id, MatchCandidate.found_record_id)
        )
        assert len(pairs.all()) == 1, "a second run updates the candidate, adds none"
        request = session.get(TracingRequest, request_id)
        assert request is not None
        request.status = RequestStatus.closed
    closed = runner.invoke(app, ["tracing", "match", "--all-open"])
    assert "0 open requests matched against the registry: 0 candidates" in closed.output


def test_match_wants_one_request_or_all_open(request_id: int) -> None:
    for arguments in ([], ["--all-open", "--request", str(request_id)]):
        refused = runner.invoke(app, ["tracing", "match", *arguments])
        assert refused.exit_code != 0
        assert "give either --request ID or --all-open" in refused.output


def test_close_and_reopen_from_the_terminal(request_id: int, db: Database) -> None:
    closed = runner.invoke(
        app,
        [
            *("tracing", "close", str(request_id), "--reason", "consent_withdrawn"),
            *("--note", "the father asked us to stop", "--user", "caseworker"),
        ],
    )
    assert closed.exit_code == 0, closed.output
    assert "no longer matched" in closed.output
    refused = runner.invoke(app, ["tracing", "match", "--request", str(request_id)])
    assert refused.exit_code == 4 and "is closed" in refused.output
    blank = runner.invoke(
        app, ["tracing", "reopen", str(request_id), "--note", "  ", "--user", "caseworker"]
    )
    assert blank.exit_code == 4 and "3 to 500 characters" in blank.output
    no_consent = runner.invoke(
        app, ["tracing", "reopen", str(request_id), "--note", "he called", "--user", "caseworker"]
    )
    assert no_consent.exit_code == 4 and "withdrew consent" in no_consent.output
    reopened = runner.invoke(
        app,
        [
            *("tracing", "reopen", str(request_id), "--note", "he called back"),
            *("--consent-renewed", "--user", "caseworker"),
        ],
    )
    assert reopened.exit_code == 0, reopened.output
    assert "1 candidates" in reopened.output, "matched against the registry on reopening"
    unknown = runner.invoke(
        app,
        ["tracing", "close", "999999", "--reason", "other", "--note", "test", "-u", "caseworker"],
    )
    assert unknown.exit_code != 0 and "no tracing request with id 999999" in unknown.output
    with db.session() as session:
        item = session.get(TracingRequest, request_id)
        assert item is not None and item.status is RequestStatus.open and item.consent_tracing
        notes = session.scalars(
            select(AuditEvent.reason)
            .where(AuditEvent.entity_id == str(request_id))
            .order_by(AuditEvent.id)
        ).all()
        assert notes == ["the father asked us to stop", "he called back"]


def test_only_users_who_may_change_a_request_close_it_from_the_terminal(
    request_id: int, db: Database
) -> None:
    with db.session() as session:
        make_user(session, "analyst", RoleName.analyst)
        make_user(session, "elsewhere", organisation="Other NGO (synthetic)")
    analyst = runner.invoke(
        app,
        [
            "tracing",
            "close",
            str(request_id),
            "--reason",
            "other",
            "--note",
            "test",
            "-u",
            "analyst",
        ],
    )
    assert analyst.exit_code == 4 and "may not close or reopen" in analyst.output
    other = runner.invoke(
        app,
        [
            *("tracing", "close", str(request_id), "--reason", "other"),
            *("--note", "test", "-u", "elsewhere"),
        ],
    )
    assert other.exit_code != 0 and f"no tracing request with id {request_id}" in other.output
    with db.session() as session:
        item = session.get(TracingRequest, request_id)
        assert item is not None and item.status is RequestStatus.open
