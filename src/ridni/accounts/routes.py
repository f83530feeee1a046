"""Login and logout pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ridni.accounts.login_sessions import end_session, start_session
from ridni.accounts.service import authenticate
from ridni.web.auth import (
    SESSION_COOKIE,
    DbSession,
    OptionalUser,
    get_settings,
    safe_next,
    verify_csrf,
)
from ridni.web.i18n import gettext_ as _
from ridni.web.middleware import secure_cookie
from ridni.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "accounts/login.html", next_url=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next_url: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    user = authenticate(session, username, password)
    if user is None:
        return render(
            request,
            "accounts/login.html",
            status_code=401,
            next_url=safe_next(next_url),
            error=_("Wrong username or password."),
            username=username,
        )
    settings = get_settings(request)
    max_age = timedelta(hours=settings.session_max_hours)
    client = request.client.host if request.client else None
    token = start_session(
        session,
        user,
        max_age=max_age,
        ip_address=client,
        user_agent=request.headers.get("user-agent"),
    )
    response = RedirectResponse(safe_next(next_url), status_code=303)
    secure = secure_cookie(settings.cookie_secure.value, request.url.scheme)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(max_age.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    return response


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
