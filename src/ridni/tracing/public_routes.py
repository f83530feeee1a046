"""The public side: a family reports a missing child without an account, and later checks the
report's status through a private link."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.datastructures import FormData, UploadFile

from ridni.errors import InputError
from ridni.evidence.models import FileRole
from ridni.evidence.service import Upload
from ridni.evidence.store import EvidenceStore, safe_name
from ridni.i18n import gettext_ as _
from ridni.security.encryption import ring_of
from ridni.tracing.intake import family_view, receive, received_before, submission_key
from ridni.tracing.matching import match_sought
from ridni.tracing.models import Channel
from ridni.tracing.report_form import RELATIONS, validate
from ridni.web.auth import DbSession, get_settings
from ridni.web.middleware import CSRF_COOKIE, csrf_matches
from ridni.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_PHOTOS = 3
PHOTO_TYPES = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
MIB = 1024 * 1024
log = logging.getLogger("ridni.web")


class Refused(Exception):
    """The submission is refused before it is read (too big, too many, forged)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def report_form_data(request: Request) -> AsyncIterator[FormData]:
    """The submitted form, read only after the size, rate and CSRF checks pass."""
    settings = get_settings(request)
    limit = MAX_PHOTOS * settings.photo_max_mb * MIB + 256 * 1024
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise Refused(411, _("The form could not be read. Please send it again."))
    if int(length) > limit:
        raise Refused(
            413,
            _("The report is too large: send at most %(n)s photos of %(mb)s MB each.")
            % {"n": MAX_PHOTOS, "mb": settings.photo_max_mb},
        )
    address = _address(request)
    state = request.app.state
    if not state.attempt_limiter.allow(address) or not state.report_limiter.allow(address):
        raise Refused(429, _("Too many reports from your connection. Please try again in an hour."))
    form = await request.form(max_files=MAX_PHOTOS + 1, max_fields=60, max_part_size=64 * 1024)
    token = form.get("csrf_token")
    expected = getattr(request.state, "csrf_token", "")
    if not csrf_matches(token, expected):
        # Typically a form left open until the browser dropped its cookie: nothing is saved,
        # and what the family typed goes back into the form rather than being lost.
        typed = {key: value for key, value in form.items() if isinstance(value, str)}
        await form.close()
        state.report_limiter.give_back(address)
        raise Expired(typed)
    try:
        yield form
    finally:
        await form.close()  # uploaded files are spooled to disk; remove them


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _photos(form: FormData, max_bytes: int, errors: dict[str, str]) -> list[UploadFile]:
    files = [f for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    if len(files) > MAX_PHOTOS:
        errors["photos"] = _("Send at most 3 photos.")
        return []
    for upload in files:
        kind = (upload.filename or "").rsplit(".", 1)[-1].lower()
        # The name is echoed: only its last part, without invisible characters (a right-to-left
        # override would turn "photo.exe.jpg" around), shortened, as evidence files are named.
        shown = safe_name(upload.filename or "")
        head = upload.file.read(16)
        upload.file.seek(0, 2)
        size = upload.file.tell()
        upload.file.seek(0)
        if kind not in PHOTO_TYPES or not head.startswith(PHOTO_TYPES[kind]):
            errors["photos"] = _("%(name)s is not a JPEG or PNG photo.") % {"name": shown}
        elif size > max_bytes:
            errors["photos"] = _("%(name)s is larger than %(mb)s MB.") % {
                "name": shown,
                "mb": max_bytes // MIB,
            }
    return files


def _form_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    *,
    unsaved: bool = False,
    expired: bool = False,
) -> Response:
    translated = {field: _(message) for field, message in errors.items()}
    return render(
        request,
        "tracing/report_form.html",
        status_code=status,
        values=values,
        errors=translated,
        relations=RELATIONS,
        unsaved=unsaved,
        expired=expired,
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request) -> Response:
    return _form_page(request, {}, {})


@router.post("/report", response_class=HTMLResponse)
def submit_report(
    request: Request, session: DbSession, form: Annotated[FormData, Depends(report_form_data)]
) -> Response:
    settings = get_settings(request)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    photo_bytes = settings.photo_max_mb * MIB
    errors: dict[str, str] = {}
    photos = _photos(form, photo_bytes, errors)
    checked = validate(values)
    errors = {**checked.errors, **errors}
    if errors or checked.report is None:
        # Only reports received count against the hourly limit (attempts have their own).
        request.app.state.report_limiter.give_back(_address(request))
        return _form_page(request, values, errors, status=422)
    submission = submission_key(values, request.cookies.get(CSRF_COOKIE, ""))
    if (earlier := received_before(session, submission)) is not None:
        return _already_received(request, earlier.id)
    store = EvidenceStore(
        settings.resolved_data_dir,
        max_bytes=photo_bytes,
        extensions=frozenset(PHOTO_TYPES),
        ring=ring_of(session.get_bind().dialect),
    )
    uploads = [Upload(FileRole.original, p.filename or "photo", p.file) for p in photos]
    try:
        # A savepoint: when the same form, sent twice at once, was saved by the other copy
        # first, only this copy's rows are undone and the request can still answer.
        with session.begin_nested():
            received = receive(
                session,
                checked.report,
                channel=Channel.public_form,
                intake_organisation=settings.intake_organisation,
                photos=uploads,
                store=store,
                submission=submission,
            )
        match_sought(session, request.app.state.registry_index, received.trace.record)
    except IntegrityError:
        if (earlier := received_before(session, submission)) is None:
            raise
        return _already_received(request, earlier.id)
    except InputError as exc:
        return _form_page(request, values, {"photos": exc.message}, status=422)
    except OperationalError as exc:
        # The database is busy or unreachable. Raised on, so the request's transaction rolls
        # back; not_saved_page then shows the form again with what the family typed.
        log.exception("a public report could not be saved")
        raise NotSaved(values) from exc
    link = str(request.base_url).rstrip("/") + f"/status/{received.token}"
    return render(request, "tracing/report_received.html", link=link, reference=received.request.id)


def _already_received(request: Request, reference: int) -> Response:
    """The same form sent again (a double click, a refresh): nothing new is saved."""
    request.app.state.report_limiter.give_back(_address(request))
    return render(request, "tracing/report_received.html", link=None, reference=reference)


@router.get("/status/{token}", response_class=HTMLResponse)
def status_page(request: Request, session: DbSession, token: str) -> Response:
    view = family_view(session, token) if 20 <= len(token) <= 64 else None
    if view is None:
        return render(request, "tracing/status.html", status_code=404, view=None)
    return render(request, "tracing/status.html", view=view)


class Expired(Exception):
    """A report whose form token no longer matches: shown again, with what was typed."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__("the form expired")
        self.values = values


def expired_page(request: Request, exc: Expired) -> Response:
    values = {key: value for key, value in exc.values.items() if key != "csrf_token"}
    return _form_page(request, values, {}, status=403, expired=True)


class NotSaved(Exception):
    """A valid report the database could not take; its values go back into the form."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__("the report could not be saved")
        self.values = values


def not_saved_page(request: Request, exc: NotSaved) -> Response:
    request.app.state.report_limiter.give_back(_address(request))
    return _form_page(request, exc.values, {}, status=503, unsaved=True)


def refused_page(request: Request, exc: Refused) -> Response:
    return render(
        request,
        "error.html",
        status_code=exc.status,
        title=_("Not sent"),
        detail=exc.message,
        status_code_value=exc.status,
    )
