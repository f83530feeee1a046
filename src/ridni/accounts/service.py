"""Creating users and checking who they are."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ridni.accounts.models import Organisation, OrganisationKind, Role, RoleName, User
from ridni.accounts.passwords import hash_password, needs_rehash, verify_password
from ridni.errors import InputError
from ridni.form_input import clean_text
from ridni.storage.types import utcnow

ROLE_DESCRIPTIONS = {
    RoleName.caseworker: "Registers cases and tracing requests, reviews matches.",
    RoleName.investigator: "Facilities, evidence, actors and dossiers.",
    RoleName.analyst: "Aggregates and patterns; no names or contacts.",
    RoleName.org_admin: "Manages the users of one organisation.",
    RoleName.system_admin: "Manages users, roles, organisations, keys and backups.",
}
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MAX_NAME = 200  # organisations' and users' display names (the columns' length)


def _name(text: str, what: str) -> str:
    """A name given on the command line, cleaned as a form's (no terminal escapes, not only
    invisible marks) and refused in one line when over its column, which PostgreSQL would
    refuse with a traceback (and SQLite store whole)."""
    cleaned = clean_text(text)
    if not 1 <= len(cleaned) <= MAX_NAME:
        raise InputError(
            f"the {what} must be 1–{MAX_NAME} characters (it is {len(cleaned)})",
            f"give a shorter {what}",
        )
    return cleaned


def ensure_roles(session: Session) -> dict[RoleName, Role]:
    """Create the built-in roles that are missing; return all of them by name."""
    roles = {role.name: role for role in session.scalars(select(Role))}
    for name, description in ROLE_DESCRIPTIONS.items():
        if name not in roles:
            roles[name] = Role(name=name, description=description)
            session.add(roles[name])
    session.flush()
    return roles


def ensure_organisation(
    session: Session, name: str, kind: OrganisationKind = OrganisationKind.ngo
) -> Organisation:
    name = _name(name, "organisation's name")
    organisation = session.scalar(select(Organisation).where(Organisation.name == name))
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        session.add(organisation)
        session.flush()
    return organisation


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    roles: Iterable[RoleName],
    display_name: str | None = None,
    organisation: Organisation | None = None,
) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InputError(
            f"invalid username {username!r}",
            "use 2–80 lower-case letters, digits, dots, dashes or underscores",
        )
    display_name = _name(display_name, "full name") if display_name else None
    taken = session.scalar(select(func.count()).select_from(User).where(User.username == username))
    if taken:
        raise InputError(f"the username {username!r} is taken", "choose another")
    all_roles = ensure_roles(session)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        organisation=organisation,
        roles=[all_roles[role] for role in roles],
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same work is done either way."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    stored = user.password_hash if user is not None and user.is_active else None
    if not verify_password(stored, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
