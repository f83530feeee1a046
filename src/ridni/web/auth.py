"""Who is asking: the login-session cookie, and the dependencies that demand a user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, HTTPException, Request, status
from sqlalchemy.orm import Session

from ridni.accounts.models import User
from ridni.accounts.signed_in import SignedIn
from ridni.i18n import gettext_
from ridni.security.guard import (
    SESSION_COOKIE,
    Access,
    LoginRequired,
    enforce,
    identify,
    return_target,
    write_audit,
)
from ridni.settings import Settings
from ridni.storage.engine import Database
from ridni.web.middleware import csrf_matches

__all__ = ["SESSION_COOKIE", "LoginRequired"]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A database session per request: committed when the handler succeeds, else rolled back.
    The request's audit event is appended last, so it commits with what it describes."""
    db: Database = request.app.state.db
    with db.session() as session:
        yield session
        if not db.is_sqlite:
            write_audit(request, session)  # commits with what it describes
    if db.is_sqlite:
        # SQLite allows one writer: appending inside the request's transaction would have to
        # hold the write lock through every request. Append just after it instead.
        with db.write_session() as audit_session:
            write_audit(request, audit_session)


DbSession = Annotated[Session, Depends(get_session)]


def guard(request: Request, session: DbSession) -> None:
    """The app-wide dependency: authentication, the permission matrix, audit bookkeeping."""
    try:
        access = enforce(request, session)
    except HTTPException:
        # Refused (403, 404 out of scope): the error page still shows who is logged in. Named
        # here, while the session that loaded the user is open.
        refused: Access | None = getattr(request.state, "access", None)
        if refused is not None and refused.user is not None and refused.stage == "full":
            request.state.user = SignedIn.of(refused.user)
        raise
    request.state.user = SignedIn.of(access.user) if access.user is not None else None


def current_user(request: Request, session: DbSession) -> User | None:
    access: Access | None = getattr(request.state, "access", None)
    if access is None:  # a route outside the guard (none today): authenticate here
        access = identify(request, session)
        request.state.access = access
        request.state.user = SignedIn.of(access.user) if access.user is not None else None
    return access.user if access.stage == "full" else None


OptionalUser = Annotated[User | None, Depends(current_user)]


def page_user(request: Request, user: OptionalUser) -> User:
    """For pages: a logged-in user, or a redirect to the login page that comes back here."""
    if user is None:
        raise LoginRequired(return_target(request))
    return user


def api_user(user: OptionalUser) -> User:
    """For the JSON API: a logged-in user, or 401."""
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "login required",
            headers={"WWW-Authenticate": 'Cookie realm="ridni"'},
        )
    return user


PageUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]


def verify_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Every form post must echo the CSRF cookie's token (double-submit)."""
    expected = getattr(request.state, "csrf_token", "")
    if not csrf_matches(csrf_token, expected):
        expired = "the form expired; reload the page and retry"
        if not request.url.path.startswith("/api/"):
            expired = gettext_("The form expired. Please reload the page and send it again.")
        raise HTTPException(status.HTTP_403_FORBIDDEN, expired)


def safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a phishing link borrow our address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="/")
