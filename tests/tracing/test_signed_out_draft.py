"""A caseworker's report sent after the login session ended is kept through the login
(``ridni.web.drafts``, decision 015): sealed into the login page, shown again after it, unsaved."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select, update

from ridni.accounts.models import LoginSession, RoleName
from ridni.storage.engine import Database
from ridni.storage.types import utcnow
from ridni.tracing.models import TracingRequest
from ridni.web import drafts
from tests.helpers import PASSWORD, TEST_KEYS, csrf_token, login, make_user, totp_code
from tests.tracing.conftest import REPORT

# Synthetic: a phrase found nowhere else, to tell whether typed text reached a page.
TYPED = {
    **REPORT,
    "circumstances": "Taken from school 17 by bus, said the neighbour Zxqv-7731 (synthetic).",
    "distinguishing_marks": "Scar above the left eyebrow (synthetic)",
}
DISTINCTIVE = "Zxqv-7731"


def _requests(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(TracingRequest)) or 0


def _idle_too_long(db: Database) -> None:
    """The idle timeout (30 minutes by default) passes while the caseworker types."""
    with db.session() as session:
        session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))


def _draft(page: str) -> str:
    match = re.search(r'name="draft" value="([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def _signed_out_while_writing(client: TestClient, db: Database) -> Response:
    token = csrf_token(client, "/tracing/new")
    _idle_too_long(db)
    return client.post("/tracing/new", data={**TYPED, "csrf_token": token}, follow_redirects=False)


def _log_in(
    client: TestClient, draft: str, username: str = "caseworker", password: str = PASSWORD
) -> Response:
    data = {
        "username": username,
        "password": password,
        "next": "/tracing/new",
        "draft": draft,
        "csrf_token": csrf_token(client),
    }
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def caseworker(client: TestClient, db: Database) -> TestClient:
    with db.session() as session:
        make_user(session)
    client.cookies.set("ridni_lang", "en")  # the tests read the English notices
    login(client)
    return client


def test_a_report_sent_after_the_session_ended_comes_back_after_the_login(
    caseworker: TestClient, db: Database
) -> None:
    kept = _signed_out_while_writing(caseworker, db)
    assert kept.status_code == 401
    assert 'id="draft-kept"' in kept.text and "your report is kept" in kept.text
    assert 'action="/login"' in kept.text and 'name="next" value="/tracing/new"' in kept.text
    draft = _draft(kept.text)
    outside = kept.text.replace(draft, "")
    for typed in ("Шевченко", "Олександр", DISTINCTIVE, "+380 00 000 0000", "eyebrow"):
        assert typed not in outside and html.escape(typed) not in outside, typed
    assert _requests(db) == 0

    restored = _log_in(caseworker, draft)
    assert restored.status_code == 200, restored.text
    assert "ridni_session=" in restored.headers["set-cookie"]
    page = restored.text
    assert 'id="draft-notice"' in page and "Nothing has been saved yet" in page
    assert 'action="/tracing/new"' in page and DISTINCTIVE in page and "eyebrow" in page
    assert 'value="Шевченко"' in page and 'value="+380 00 000 0000"' in page
    assert 'name="draft"' not in page and 'id="draft-kept"' not in page
    assert _requests(db) == 0, "a restored report is not saved until it is sent"

    sent = caseworker.post(
        "/tracing/new", data={**TYPED, "csrf_token": csrf_token(caseworker, "/tracing/new")}
    )
    assert sent.status_code == 200 and _requests(db) == 1


def test_a_wrong_password_keeps_the_draft(caseworker: TestClient, db: Database) -> None:
    draft = _draft(_signed_out_while_writing(caseworker, db).text)
    wrong = _log_in(caseworker, draft, password="not the password")
    assert wrong.status_code == 401 and "Wrong username or password." in wrong.text
    assert 'id="draft-kept"' in wrong.text and _draft(wrong.text) == draft
    assert DISTINCTIVE not in wrong.text
    restored = _log_in(caseworker, _draft(wrong.text))
    assert restored.status_code == 200 and DISTINCTIVE in restored.text


def test_the_notice_is_in_the_readers_language(caseworker: TestClient, db: Database) -> None:
    caseworker.cookies.set("ridni_lang", "uk")
    kept = _signed_out_while_writing(caseworker, db)
    assert "Увійдіть знову" in kept.text
    restored = _log_in(caseworker, _draft(kept.text))
    assert "Ще нічого не збережено" in restored.text


def _flipped(draft: str) -> str:
    head, body = draft.rsplit(":", 1)
    middle = len(body) // 2
    return f"{head}:{body[:middle]}{'A' if body[middle] != 'A' else 'B'}{body[middle + 1 :]}"


def test_a_draft_that_does_not_open_is_dropped_with_a_neutral_notice(
    caseworker: TestClient, db: Database
) -> None:
    draft = _draft(_signed_out_while_writing(caseworker, db).text)
    browser = caseworker.cookies["ridni_csrf"]
    fields = list(TYPED.items())
    hours_ago = utcnow().timestamp() - 3 * 3600
    unusable = {
        "altered": _flipped(draft),
        "not a draft": "v1:k1:bm90IGEgZHJhZnQ=",
        "garbage": "\u0417\u00ff:::",
        "too long": "v1:k1:" + "A" * drafts.MAX_SEALED,
        "expired": drafts.seal(TEST_KEYS, "/tracing/new", browser, fields, now=hours_ago),
        "for another page": drafts.seal(TEST_KEYS, "/children/new", browser, fields),
        "from another browser": drafts.seal(TEST_KEYS, "/tracing/new", "x" * 43, fields),
    }
    for what, sealed in unusable.items():
        assert sealed, what
        answer = _log_in(caseworker, sealed)
        assert answer.status_code == 200, (what, answer.text)
        assert "could not be restored" in answer.text, what
        assert DISTINCTIVE not in answer.text, what
        assert 'action="/tracing/new"' in answer.text, what
    assert _requests(db) == 0


def test_a_report_is_restored_after_the_second_factor(client: TestClient, db: Database) -> None:
    with db.session() as session:
        make_user(session, "orgadmin", RoleName.org_admin)  # must use TOTP
    client.cookies.set("ridni_lang", "en")
    login(client, "orgadmin")
    draft = _draft(_signed_out_while_writing(client, db).text)

    asked = _log_in(client, draft, username="orgadmin")
    assert asked.status_code == 200 and 'action="/login/2fa"' in asked.text
    assert _draft(asked.text) == draft and DISTINCTIVE not in asked.text
    code = {"next": "/tracing/new", "draft": draft, "csrf_token": csrf_token(client)}
    wrong = client.post("/login/2fa", data={**code, "code": "000000"}, follow_redirects=False)
    assert wrong.status_code == 401 and _draft(wrong.text) == draft

    right = client.post(
        "/login/2fa",
        data={**code, "code": totp_code(client.app, "orgadmin")},
        follow_redirects=False,
    )
    assert right.status_code == 200, right.text
    assert DISTINCTIVE in right.text and 'id="draft-notice"' in right.text
    assert _requests(db) == 0


def test_a_user_who_may_not_open_the_page_does_not_get_the_draft(
    caseworker: TestClient, db: Database
) -> None:
    """Whoever logs in at that browser sees what was typed there, but only on a page they
    may open: the normal refusal answers the others."""
    draft = _draft(_signed_out_while_writing(caseworker, db).text)
    with db.session() as session:
        make_user(session, "analyst", RoleName.analyst)
    answer = _log_in(caseworker, draft, username="analyst")
    assert answer.status_code == 303 and answer.headers["location"] == "/tracing/new"
    assert DISTINCTIVE not in answer.text
    refused = caseworker.get("/tracing/new")
    assert refused.status_code == 403 and DISTINCTIVE not in refused.text


def test_a_form_without_its_csrf_token_is_not_kept(caseworker: TestClient, db: Database) -> None:
    """A form posted from another site must not fill in a caseworker's page: it gets the
    redirect to the login page, as any page does, while the same form from this browser's
    page is kept."""
    token = csrf_token(caseworker, "/tracing/new")
    _idle_too_long(db)
    forged = caseworker.post(
        "/tracing/new",
        data={**TYPED, "csrf_token": "forged-" + "x" * 40},
        headers={"referer": "http://testserver/tracing/new"},
        follow_redirects=False,
    )
    assert forged.status_code == 303
    assert forged.headers["location"] == "/login?next=/tracing/new"
    kept = caseworker.post(
        "/tracing/new", data={**TYPED, "csrf_token": token}, follow_redirects=False
    )
    assert kept.status_code == 401 and _draft(kept.text)


def test_only_typed_text_within_the_size_limit_is_sealed() -> None:
    browser = "b" * 43
    fields = [("circumstances", "я" * 1000), ("csrf_token", "kept-out-by-the-caller")]
    sealed = drafts.seal(TEST_KEYS, "/tracing/new", browser, fields)
    assert sealed is not None and "я" not in sealed
    assert drafts.unseal(TEST_KEYS, "/tracing/new", browser, sealed) == fields
    too_long = [("circumstances", "я" * (drafts.MAX_BYTES // 2))]
    assert drafts.seal(TEST_KEYS, "/tracing/new", browser, too_long) is None
    assert (
        drafts.unseal(TEST_KEYS, "/tracing/new", browser, "v1:" + "A" * drafts.MAX_SEALED) is None
    )
