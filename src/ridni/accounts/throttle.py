"""Slowing down password guessing: failures counted per account and per address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ridni.accounts.models import LoginFailure
from ridni.settings import Settings
from ridni.storage.types import utcnow


def blocked(session: Session, settings: Settings, username: str, address: str) -> str | None:
    """ "account" or "address" when that one has failed too often lately; else None."""
    since = utcnow() - timedelta(minutes=settings.login_lock_minutes)
    count = select(func.count(LoginFailure.id)).where(LoginFailure.at >= since)
    if (session.scalar(count.where(LoginFailure.username == _account(username))) or 0) >= (
        settings.login_max_failures
    ):
        return "account"
    if (session.scalar(count.where(LoginFailure.ip_address == address)) or 0) >= (
        settings.login_max_failures_per_address
    ):
        return "address"
    return None


def failed(session: Session, username: str, address: str) -> None:
    session.add(LoginFailure(username=_account(username), ip_address=address, at=utcnow()))


def succeeded(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == _account(username)))


def _account(username: str) -> str:
    """The account a typed name logs into, as ``authenticate`` reads it: " Olena\t" is olena.
    Counted apart, each spelling (one more space) was a new account with its own five tries."""
    return username.strip().lower()[:200]
