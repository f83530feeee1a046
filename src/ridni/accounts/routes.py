"""Login (password, then TOTP where required), logout, and the account page (2FA, API tokens)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from ridni.accounts import second_factor, throttle
from ridni.accounts.login_sessions import end_session, session_of, start_session
from ridni.accounts.models import ApiToken, User
from ridni.accounts.service import authenticate
from ridni.accounts.tokens import create_token, revoke
from ridni.errors import InputError
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.security.guard import needs_second_factor
from ridni.security.matrix import PERMISSIONS
from ridni.web import drafts
from ridni.web.auth import SESSION_COOKIE, DbSession, get_settings, safe_next, verify_csrf
from ridni.web.middleware import secure_cookie
from ridni.web.templating import render

router = APIRouter(include_in_schema=False)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# A sealed draft (``ridni.web.drafts``): a form sent after the session ended, carried
# through the login. Not limited here: one too long is dropped like any that does not open.
Draft = Annotated[str, Form(alias=drafts.FIELD)]


def login_page(
    request: Request,
    status_code: int,
    next_url: str,
    error: str | None,
    username: str = "",
    draft: str = "",
) -> Response:
    carried = drafts.carried(draft)
    return render(
        request,
        "accounts/login.html",
        status_code=status_code,
        next_url=next_url,
        error=error,
        username=username,
        draft=carried,
        notice=drafts.kept_notice(next_url) if carried else "",
    )


def _second_factor_page(
    request: Request, status_code: int, next_url: str, error: str | None, draft: str = ""
) -> Response:
    return render(
        request,
        "accounts/second_factor.html",
        status_code=status_code,
        next_url=safe_next(next_url),
        error=error,
        draft=drafts.carried(draft),
    )


def _logged_in(request: Request, user: User, target: str, draft: str) -> Response:
    """Where a completed login lands: ``target``, or its form filled with the draft the
    login carried."""
    if draft and (restored := drafts.restore(request, user, target, draft)) is not None:
        return restored
    return RedirectResponse(target, status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    access = getattr(request.state, "access", None)
    if access is not None and access.user is not None and access.stage == "full":
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, 200, safe_next(next), None)


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next_url: Annotated[str, Form(alias="next")] = "/",
    draft: Draft = "",
) -> Response:
    settings = get_settings(request)
    target = safe_next(next_url)
    lock = throttle.blocked(session, settings, username, _address(request))
    if lock is not None:
        message = (
            _("Too many failed attempts for this account. Try again in %(n)s minutes.")
            if lock == "account"
            else _("Too many failed attempts from your connection. Try again later.")
        ) % {"n": settings.login_lock_minutes}
        return login_page(request, 429, target, message, username, draft)
    user = authenticate(session, username, password)
    if user is None:
        throttle.failed(session, username, _address(request))
        error = _("Wrong username or password.")
        return login_page(request, 401, target, error, username, draft)
    throttle.succeeded(session, username)
    stage = "full"
    if user.totp_enabled:
        stage = "second_factor"
    elif needs_second_factor(user):
        stage = "enrol"
    max_age = timedelta(hours=settings.session_max_hours)
    token = start_session(
        session,
        user,
        max_age=max_age,
        ip_address=_address(request),
        user_agent=request.headers.get("user-agent"),
        stage=stage,
    )
    response: Response
    if stage == "full":
        response = _logged_in(request, user, target, draft)
    elif stage == "second_factor" and draft:
        # The code is asked for here, so the draft goes on with it rather than into an address.
        response = _second_factor_page(request, 200, target, None, draft)
    elif stage == "second_factor":
        response = RedirectResponse(f"/login/2fa?next={target}", status_code=303)
    else:  # a second factor to enrol first: a draft is not carried through enrolment
        response = RedirectResponse("/account/2fa", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(max_age.total_seconds()),
        httponly=True,
        samesite="lax",
        path="/",
        secure=secure_cookie(settings.cookie_secure.value, request.url.scheme),
    )
    return response


@router.get("/login/2fa", response_class=HTMLResponse)
def second_factor_form(request: Request, next: str = "/") -> Response:
    return _second_factor_page(request, 200, next, None)


@router.post("/login/2fa", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def second_factor_check(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form(max_length=20)],
    next_url: Annotated[str, Form(alias="next")] = "/",
    draft: Draft = "",
) -> Response:
    access = request.state.access
    raw = request.cookies.get(SESSION_COOKIE, "")
    login_session = session_of(session, raw) if raw else None
    if access.user is None or login_session is None:
        return RedirectResponse("/login", status_code=303)
    settings = get_settings(request)
    user: User = access.user
    if throttle.blocked(session, settings, user.username, _address(request)):
        message = _("Too many failed attempts for this account. Try again in %(n)s minutes.")
        error = message % {"n": settings.login_lock_minutes}
        return _second_factor_page(request, 429, next_url, error, draft)
    step = second_factor.accept(user.totp_secret, code, user.totp_last_step)
    if step is None:
        throttle.failed(session, user.username, _address(request))
        error = _("That code is not right. Try the current one.")
        return _second_factor_page(request, 401, next_url, error, draft)
    throttle.succeeded(session, user.username)
    user.totp_last_step = step
    login_session.stage = "full"
    return _logged_in(request, user, safe_next(next_url), draft)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_page(
    request: Request,
    session: DbSession,
    status_code: int = 200,
    new_token: str | None = None,
    error: str | None = None,
) -> Response:
    user: User = request.state.access.user
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()
    scopes = sorted(p for p in request.state.access.granted if p != "public")
    return render(
        request,
        "accounts/account.html",
        status_code=status_code,
        tokens=tokens,
        scopes=scopes,
        permissions=PERMISSIONS,
        new_token=new_token,
        error=error,
        totp_enabled=user.totp_enabled,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: DbSession) -> Response:
    return _account_page(request, session)


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def add_token(request: Request, session: DbSession) -> Response:
    form = await request.form(max_files=0, max_fields=60, max_part_size=4096)
    name = str(form.get("name", ""))
    scopes = [str(value) for value in form.getlist("scope")]
    try:
        with session.begin_nested():
            _token, text = create_token(session, request.state.access.user, name, scopes)
    except InputError as exc:
        return _account_page(request, session, 422, error=error_text(exc))
    return _account_page(request, session, new_token=text)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke_token(
    request: Request, session: DbSession, token_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    revoke(session, request.state.access.user, token_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/account/2fa", response_class=HTMLResponse)
def enrol_form(request: Request, session: DbSession) -> Response:
    user: User = request.state.access.user
    if user.totp_enabled:
        return render(
            request, "accounts/enrol.html", enabled=True, qr=None, secret=None, error=None
        )
    if not user.totp_secret:
        user.totp_secret = second_factor.new_secret()
    uri = second_factor.provisioning_uri(user, user.totp_secret)
    return render(
        request,
        "accounts/enrol.html",
        enabled=False,
        qr=second_factor.qr_svg(uri),
        secret=user.totp_secret,
        error=None,
    )


@router.post("/account/2fa", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def enrol(
    request: Request, session: DbSession, code: Annotated[str, Form(max_length=20)]
) -> Response:
    user: User = request.state.access.user
    if user.totp_enabled:
        return RedirectResponse("/account", status_code=303)
    step = second_factor.accept(user.totp_secret, code, user.totp_last_step)
    if step is None:
        uri = second_factor.provisioning_uri(user, user.totp_secret or "")
        return render(
            request,
            "accounts/enrol.html",
            status_code=401,
            enabled=False,
            qr=second_factor.qr_svg(uri),
            secret=user.totp_secret,
            error=_("That code is not right. Try the current one."),
        )
    user.totp_enabled = True
    user.totp_last_step = step
    raw = request.cookies.get(SESSION_COOKIE, "")
    login_session = session_of(session, raw) if raw else None
    if login_session is not None:
        login_session.stage = "full"
    return RedirectResponse("/", status_code=303)
