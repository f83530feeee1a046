"""The TOTP second factor: current codes only, each code good once."""

from __future__ import annotations

import time

import pyotp
from fastapi.testclient import TestClient

from ridni.accounts.models import RoleName, User
from ridni.accounts.second_factor import accept
from ridni.storage.engine import Database
from tests.helpers import PASSWORD, TOTP_SECRET, csrf_token, make_user

TOTP = pyotp.TOTP(TOTP_SECRET)


def test_a_current_code_gives_its_step_once() -> None:
    now = TOTP.timecode(time.time())
    code = TOTP.generate_otp(now)
    step = accept(TOTP_SECRET, code, None)
    assert step in (now, now + 1)  # the clock may have moved on a step meanwhile
    assert accept(TOTP_SECRET, code, step) is None, "the same code again"
    assert accept(TOTP_SECRET, f" {code[:3]} {code[3:]} ", None) == step, "spaces are fine"


def test_one_step_of_drift_either_way_but_nothing_older_than_the_last_code() -> None:
    now = TOTP.timecode(time.time())
    assert accept(TOTP_SECRET, TOTP.generate_otp(now + 1), None) is not None
    assert accept(TOTP_SECRET, TOTP.generate_otp(now - 1), now) is None, "older than the last"
    assert accept(TOTP_SECRET, TOTP.generate_otp(now - 3), None) is None, "a minute old"
    assert accept(TOTP_SECRET, TOTP.generate_otp(now + 3), None) is None, "from the future"


def test_a_right_code_in_other_digits_or_with_other_spaces_is_right() -> None:
    # Typed on a full-width or Arabic keyboard, or copied with a no-break space: it was
    # "That code is not right" and a failed attempt towards the account's lock.
    now = TOTP.timecode(time.time())
    code = TOTP.generate_otp(now)
    full_width = "".join(chr(ord(digit) - ord("0") + ord("０")) for digit in code)
    arabic = "".join(chr(ord(digit) - ord("0") + ord("٠")) for digit in code)
    spaced = f"{code[:3]}\u00a0{code[3:]}\u202f"
    for typed in (full_width, arabic, spaced):
        assert accept(TOTP_SECRET, typed, now - 2) in (now, now + 1), typed
    assert accept(TOTP_SECRET, code.replace(code[0], "²"), None) is None, "not a decimal digit"


def test_malformed_codes_and_missing_secrets_are_refused() -> None:
    for code in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "' OR 1=1"):
        assert accept(TOTP_SECRET, code, None) is None, code
    assert accept(None, TOTP.now(), None) is None


def _second_factor(client: TestClient, code: str) -> int:
    first = client.post(
        "/login",
        data={"username": "investigator", "password": PASSWORD, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert first.headers["location"].startswith("/login/2fa")
    token = csrf_token(client, first.headers["location"])
    answer = client.post(
        "/login/2fa", data={"code": code, "csrf_token": token}, follow_redirects=False
    )
    return answer.status_code


def test_a_code_seen_once_cannot_log_in_again(db: Database, client: TestClient) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    now = TOTP.timecode(time.time())
    code = TOTP.generate_otp(now)
    assert _second_factor(client, code) == 303
    assert client.get("/facilities").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/facilities", follow_redirects=False).status_code == 303

    refused = _second_factor(client, code)
    assert refused == 401, "the same code within its window"
    assert client.get("/facilities", follow_redirects=False).status_code == 303
    with db.session() as session:
        user = session.query(User).filter_by(username="investigator").one()
        assert user.totp_last_step is not None and user.totp_last_step >= now

    assert _second_factor(client, TOTP.generate_otp(now + 1)) == 303, "the next code works"
    assert client.get("/facilities").status_code == 200


def test_a_code_typed_in_full_width_digits_logs_in(db: Database, client: TestClient) -> None:
    with db.session() as session:
        make_user(session, "investigator", RoleName.investigator)
    code = TOTP.generate_otp(TOTP.timecode(time.time()))
    assert (
        _second_factor(client, code.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
        == 303
    )
    assert client.get("/facilities").status_code == 200
