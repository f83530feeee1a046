"""Server-side login sessions: the browser holds a random token, the database its hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ridni.accounts.models import LoginSession, User
from ridni.storage.types import utcnow

# Writing last_seen on every request would turn each page view into a write.
_TOUCH_AFTER = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session,
    user: User,
    *,
    max_age: timedelta,
    ip_address: str | None = None,
    user_agent: str | None = None,
    stage: str = "full",
) -> str:
    """Create a login session and return the token for the cookie (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + max_age,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:300] or None,
            stage=stage,
        )
    )
    session.flush()
    return token


def resolve_session(session: Session, token: str, *, idle: timedelta) -> User | None:
    """The user behind a token, if the session is neither expired nor idle too long."""
    found = session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
    if found is None:
        return None
    now = utcnow()
    if now >= found.expires_at or now - found.last_seen_at > idle or not found.user.is_active:
        session.delete(found)
        return None
    if now - found.last_seen_at > _TOUCH_AFTER:
        found.last_seen_at = now
    return found.user


def end_session(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def purge_expired(session: Session) -> int:
    result = session.execute(delete(LoginSession).where(LoginSession.expires_at < utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def session_of(session: Session, token: str) -> LoginSession | None:
    return session.scalar(select(LoginSession).where(LoginSession.token_hash == _digest(token)))
