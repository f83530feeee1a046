"""Error responses: JSON for the API, a page for people, never a stack trace."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ridni.accounts.routes import login_page
from ridni.errors import NotFoundError, RidniError
from ridni.i18n import N_
from ridni.i18n import gettext_ as _
from ridni.labels import field_label
from ridni.messages import error_text
from ridni.security.guard import HeldElsewhere, RoleRefused
from ridni.security.matrix import PERMISSIONS
from ridni.web import drafts
from ridni.web.auth import LoginRequired, login_url
from ridni.web.templating import render

log = logging.getLogger("ridni.web")
NOT_FOUND = N_("Nothing has this identifier. It may have been merged or removed.")
INTERNAL = "internal error; it has been logged"  # the API's detail, in English
NUL_REFUSED = N_(
    "A value holds a NUL character (U+0000), which cannot be stored or searched for: "
    "remove it and send again."
)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status_code: int, detail: object) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status_code)
    titles = {
        400: _("The request could not be understood"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("This page cannot be opened this way"),
        422: _("Some values are not valid"),
    }
    return render(
        request,
        "error.html",
        status_code=status_code,
        title=titles.get(status_code, _("Something went wrong")),
        detail=detail if isinstance(detail, str) else "",
        problems=detail if isinstance(detail, list) else [],
        status_code_value=status_code,
    )


def _problem(error: Any) -> dict[str, str]:
    """One refused value in the reader's language: which field, and what is wrong with it."""
    field = str(error["loc"][-1]) if error["loc"] else ""
    limits = error.get("ctx") or {}
    kind = error["type"]
    if kind == "missing" or (kind == "string_too_short" and limits.get("min_length") == 1):
        message = _("This is required.")
    elif kind == "string_too_long":
        message = _("At most %(n)s characters.") % {"n": limits.get("max_length", "")}
    elif kind == "string_too_short":
        message = _("At least %(n)s characters.") % {"n": limits.get("min_length", "")}
    elif kind in {"enum", "literal_error"}:
        message = _("Not one of the values offered.")
    else:
        message = _("This value cannot be used.")
    return {"field": field_label(field), "message": message}


def _refused(permission: str) -> str:
    """The guard's refusal on a page, in the reader's language, naming what was asked."""
    refused = _("You are logged in, but your role may not do this.")
    if permission not in PERMISSIONS:
        return refused
    needed = _("Permission needed: %(description)s.") % {
        "description": _(PERMISSIONS[permission].description)
    }
    return f"{refused} {needed}"


# What Starlette and FastAPI say, in English, of a form they could not read: a field over the
# size a form allows (a 100,000-character text pasted past the browser's limit), too many
# fields or files, a broken multipart body.
_FORM_PARSER_SAYS = re.compile(
    r"(Field|Part) exceeded maximum size|Too many (fields|files)\.|Missing boundary|"
    r"Invalid (boundary|multipart)|The Content-Disposition header|There was an error parsing"
)
UNREADABLE_FORM = N_(
    "The form could not be read: a value is longer, or there are more fields or files, than "
    "the form allows. Go back, shorten what you typed and send it again."
)


NO_PAGE = N_("There is no page at this address. Check it, or start again from the start page.")
POST_ONLY = N_(
    "This address only takes a form sent from its page: go back and use the button there."
)


def _phrase(status_code: int) -> str | None:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return None


def _unreadable_form(detail: object) -> bool:
    return isinstance(detail, str) and _FORM_PARSER_SAYS.match(detail) is not None


def invalid(problems: Iterable[tuple[tuple[str | int, ...], str, str]]) -> JSONResponse:
    """A 422 answer in the documented shape: ``{"detail": [{"loc", "msg", "type"}]}``."""
    detail = [{"loc": list(loc), "msg": msg, "type": kind} for loc, msg, kind in problems]
    return JSONResponse({"detail": detail}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if exc.target != "/login":
            return RedirectResponse(exc.target, status_code=303)
        kept = await drafts.kept_from(request)
        if kept is not None:
            # A form sent after the session ended: the login page answers here, holding
            # what was typed, rather than a redirect that would drop it (decision 015).
            return login_page(request, 401, kept.path, None, draft=kept.sealed)
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail
        if isinstance(exc, RoleRefused) and not _wants_json(request):
            detail = _refused(exc.permission)
        elif exc.status_code == 400 and not _wants_json(request) and _unreadable_form(detail):
            detail = _(UNREADABLE_FORM)
        elif not _wants_json(request) and detail == _phrase(exc.status_code):
            # Starlette's own English ("Not Found", "Method Not Allowed"): no route matched.
            detail = _(NO_PAGE) if exc.status_code == 404 else detail
            if exc.status_code == 405:
                detail = _(POST_ONLY)
        elif isinstance(exc, HeldElsewhere) and not _wants_json(request):
            detail = _(
                "Another organisation holds this case: you see it because the family agreed "
                "to share it, but only that organisation may change it."
            )
        response = _error(request, exc.status_code, detail)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            # The shape FastAPI documents in the OpenAPI spec (HTTPValidationError).
            return invalid(
                (tuple(error["loc"]), error["msg"], error["type"]) for error in exc.errors()
            )
        errors = list(exc.errors())
        if errors and all(error["loc"][0] == "path" for error in errors):
            # /children/0 or /children/abc names nothing, like an id that does not exist.
            return _error(request, 404, _(NOT_FOUND))
        return _error(request, 422, [_problem(error) for error in errors])

    @app.exception_handler(RidniError)
    async def _ridni(request: Request, exc: RidniError) -> Response:
        if isinstance(exc, NotFoundError):
            detail = str(exc) if _wants_json(request) else _(NOT_FOUND)
            return _error(request, 404, detail)
        return _error(request, 400, str(exc) if _wants_json(request) else error_text(exc))

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> Response:
        # PostgreSQL refuses a NUL in any text, even one only compared with: a NUL typed into
        # a search, a filter or the login form would otherwise be a 500 (SQLite accepts it).
        if "cannot contain NUL" not in str(exc.orig):
            return await _unexpected(request, exc)
        if _wants_json(request):
            return invalid([(("request",), NUL_REFUSED, "value_error")])
        return _error(request, 422, _(NUL_REFUSED))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        try:
            detail = INTERNAL if _wants_json(request) else _("Internal error. It has been logged.")
            return _error(request, 500, detail)
        except Exception:  # the error page itself failed: answer plainly
            log.exception("the error page failed too")
            return PlainTextResponse("Internal error; it has been logged.", status_code=500)
