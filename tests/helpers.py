"""Factories and helpers shared by tests: a new resource's tests should be a few lines."""

from __future__ import annotations

import re
import time
import weakref
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ridni.accounts.models import RoleName, User
from ridni.accounts.service import create_user, ensure_organisation
from ridni.cases.models import Child, ChildStatus, Record, RecordKind, Sex
from ridni.evidence.models import Source, SourceKind
from ridni.linkage.scripts import detect_script
from ridni.partial_date import PartialDate, parse_optional
from ridni.security.guard import needs_second_factor
from ridni.security.keys import KeyRing

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # synthetic, for test users with 2FA
# One key ring per test run; subprocesses get it through RIDNI_KEYS.
TEST_KEYS = KeyRing.generate()


def make_user(
    session: Session,
    username: str = "caseworker",
    role: RoleName = RoleName.caseworker,
    organisation: str | None = "Test NGO (synthetic)",
) -> User:
    org = ensure_organisation(session, organisation) if organisation else None
    user = create_user(session, username, PASSWORD, roles=[role], organisation=org)
    if needs_second_factor(user):  # enrolled already, with a secret tests know
        user.totp_secret = TOTP_SECRET
        user.totp_enabled = True
    return user


def make_source(session: Session, title: str = "Test list (synthetic)", **fields: Any) -> Source:
    source = Source(title=title, kind=fields.pop("kind", SourceKind.camp_list), **fields)
    session.add(source)
    session.flush()
    return source


def make_child(
    session: Session,
    given: str = "Олександр",
    family: str = "Шевченко",
    patronymic: str | None = "Миколайович",
    born: str | None = "2012-03-14",
    **fields: Any,
) -> Child:
    child = Child(
        given_name=given,
        family_name=family,
        patronymic=patronymic,
        sex=fields.pop("sex", Sex.male),
        birth_date=parse_optional(born),
        birth_place=fields.pop("birth_place", "Херсон"),
        status=fields.pop("status", ChildStatus.reported),
        **fields,
    )
    session.add(child)
    session.flush()
    return child


def make_record(
    session: Session,
    child: Child | None,
    source: Source,
    given: str,
    family: str,
    patronymic: str | None = None,
    born: PartialDate | str | None = None,
    **fields: Any,
) -> Record:
    record = Record(
        child_id=child.id if child else None,
        source_id=source.id,
        source_ref=fields.pop("source_ref", f"row-{given}-{family}-{id(fields)}"),
        kind=fields.pop("kind", RecordKind.camp_list),
        given_name=given,
        family_name=family,
        patronymic=patronymic,
        name_script=detect_script(given, family, patronymic),
        birth_date=parse_optional(born) if isinstance(born, str) or born is None else born,
        **fields,
    )
    session.add(record)
    session.flush()
    return record


def csrf_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# The TOTP step each app's users last logged in with: a code is accepted once (migration
# 0011), so a second login within 30 s needs the next step's code.
_USED_STEPS: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()


def totp_code(app: Any, username: str) -> str:
    """A current TOTP code for ``username`` that this app has not accepted yet."""
    totp = pyotp.TOTP(TOTP_SECRET)
    used = _USED_STEPS.setdefault(app, {})
    while True:
        moment = time.time()
        now = totp.timecode(moment)
        # The previous step's code only while the server will still be in this step when it
        # checks it: a code for now - 1 sent in a step's last seconds arrives two steps old.
        oldest = now - 1 if totp.interval - moment % totp.interval > 5 else now
        step = max(oldest, used.get(username, oldest - 1) + 1)
        if step <= now + 1:  # the server allows one step of drift either way
            used[username] = step
            return totp.generate_otp(step)
        time.sleep(1)  # three logins of one account within 30 s: wait for the next step


def login(client: TestClient, username: str = "caseworker", password: str = PASSWORD) -> None:
    """Log in, giving the second factor too when the account has one."""
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    if response.headers["location"].startswith("/login/2fa"):
        second = client.post(
            "/login/2fa",
            data={"code": totp_code(client.app, username), "csrf_token": csrf_token(client)},
            follow_redirects=False,
        )
        assert second.status_code == 303, second.text
