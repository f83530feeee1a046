"""Login in Chromium against a real server: two-factor enrolment and login, and throttling."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyotp
import pytest

from ridni.accounts.models import RoleName
from ridni.accounts.service import create_user
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade
from tests.browser.conftest import screenshot
from tests.helpers import PASSWORD, TEST_KEYS
from tests.servers import Server, free_port, running

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("login")
    url = f"sqlite:///{folder / 'ridni.sqlite3'}"
    db = open_database(url, keyring=TEST_KEYS)
    upgrade(db)
    with db.session() as session:
        create_user(session, "investigator", PASSWORD, roles=[RoleName.investigator])
        create_user(session, "caseworker", PASSWORD, roles=[RoleName.caseworker])
    db.dispose()
    with running("serve", "--port", str(free_port()), env={"RIDNI_DATABASE_URL": url}) as started:
        yield started


def _password(page: object, server: Server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{server.url}/login")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", password)  # type: ignore[attr-defined]
    page.click("form[action='/login'] button")  # type: ignore[attr-defined]


def test_an_investigator_must_enrol_a_second_factor_then_use_it(
    server: Server, browser: object
) -> None:
    page = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]
    _password(page, server, "investigator")
    page.wait_for_url(f"{server.url}/account/2fa")
    assert page.locator(".qr svg").count() == 1, "a QR code to scan"
    page.goto(f"{server.url}/facilities")
    assert page.url.endswith("/account/2fa"), "nothing else answers before enrolment"
    secret = page.locator("#totp-secret").inner_text()
    screenshot(page, "two-factor-enrolment.png")
    page.fill("#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.click("form[action='/account/2fa'] button")
    assert "That code is not right" in page.content()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("form[action='/account/2fa'] button")
    page.goto(f"{server.url}/facilities")
    assert page.url.endswith("/facilities")

    page.click("button.link:has-text('Log out')")
    page.wait_for_url(f"{server.url}/login")
    _password(page, server, "investigator")
    page.wait_for_url(f"{server.url}/login/2fa?next=/")
    # The enrolment code is spent (each code is good once): the next step's, within the drift.
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("form[action='/login/2fa'] button")
    page.goto(f"{server.url}/facilities")
    assert page.url.endswith("/facilities")
    page.close()


def test_repeated_wrong_passwords_lock_the_account(server: Server, browser: object) -> None:
    page = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]
    for _attempt in range(5):
        _password(page, server, "caseworker", "not the password at all")
        assert "Wrong username or password." in page.content()
    _password(page, server, "caseworker")  # even the right password, for a while
    assert "Too many failed attempts for this account" in page.content()
    assert "/login" in page.url
    page.close()
