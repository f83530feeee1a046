"""Users, passwords and login sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ridni.accounts.login_sessions import end_session, resolve_session, start_session
from ridni.accounts.models import LoginSession, RoleName, User
from ridni.accounts.service import authenticate, create_user
from ridni.errors import InputError
from ridni.storage.engine import Database
from ridni.storage.types import utcnow
from tests.helpers import PASSWORD, make_user


def test_production_hashing_uses_the_recommended_argon2id_cost() -> None:
    from argon2 import PasswordHasher, Type

    from ridni.accounts.passwords import _DUMMY_HASH

    assert _DUMMY_HASH.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PasswordHasher().type is Type.ID


def test_passwords_are_stored_as_argon2id_hashes(db: Database) -> None:
    with db.session() as session:
        user = make_user(session)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert user.has_role(RoleName.caseworker)
        assert not user.has_role(RoleName.system_admin)


def test_login_needs_the_right_password_and_an_active_account(db: Database) -> None:
    with db.session() as session:
        make_user(session, "Mariia.K")
    with db.session() as session:
        assert authenticate(session, "mariia.k", PASSWORD) is not None  # usernames ignore case
        assert authenticate(session, "mariia.k", PASSWORD + "x") is None
        assert authenticate(session, "nobody", PASSWORD) is None
        session.query(User).update({User.is_active: False})
        assert authenticate(session, "mariia.k", PASSWORD) is None


@pytest.mark.parametrize("username", ["a", "Has Space", "<script>", "x" * 81, "ім'я"])
def test_bad_usernames_are_refused(db: Database, username: str) -> None:
    with db.session() as session, pytest.raises(InputError, match="invalid username"):
        create_user(session, username, PASSWORD, roles=[RoleName.caseworker])


def test_short_passwords_and_taken_usernames_are_refused(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(InputError, match="too short"):
            create_user(session, "olena", "short", roles=[RoleName.caseworker])
        make_user(session, "olena")
        with pytest.raises(InputError, match="taken"):
            make_user(session, "OLENA")


def test_sessions_end_at_logout_after_idling_and_at_their_age_limit(db: Database) -> None:
    idle = timedelta(minutes=30)
    with db.session() as session:
        user = make_user(session)
        active = start_session(session, user, max_age=timedelta(hours=12))
        idled = start_session(session, user, max_age=timedelta(hours=12))
        aged = start_session(session, user, max_age=timedelta(hours=12))
        logged_out = start_session(session, user, max_age=timedelta(hours=12))
    with db.session() as session:
        rows = {row.id: row for row in session.query(LoginSession)}
        ordered = sorted(rows)
        rows[ordered[1]].last_seen_at = utcnow() - timedelta(minutes=31)
        rows[ordered[2]].expires_at = utcnow() - timedelta(seconds=1)
        end_session(session, logged_out)
    with db.session() as session:
        assert resolve_session(session, active, idle=idle) is not None
        assert resolve_session(session, idled, idle=idle) is None
        assert resolve_session(session, aged, idle=idle) is None
        assert resolve_session(session, logged_out, idle=idle) is None
        assert resolve_session(session, "forged-token", idle=idle) is None
    with db.session() as session:
        assert session.query(LoginSession).count() == 1, "dead sessions are removed"
