"""Caseworkers' pages: tracing requests, the review queue, a candidate side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ridni.accounts.models import Organisation, RoleName, User
from ridni.accounts.signed_in import SignedIn
from ridni.errors import InputError, NotFoundError
from ridni.i18n import N_
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.tracing.closing import close_request, reopen_request
from ridni.tracing.intake import Received, receive, received_before, submission_key
from ridni.tracing.level_labels import level_label
from ridni.tracing.matching import match_request
from ridni.tracing.models import (
    CandidateState,
    Channel,
    CloseReason,
    Decision,
    RequestStatus,
    TracingRequest,
)
from ridni.tracing.queue import for_records, next_candidate, queue, visible_candidate
from ridni.tracing.report_form import RELATIONS, Report, validate
from ridni.tracing.review import decide, repeats_last
from ridni.tracing.side_by_side import compare
from ridni.web import drafts
from ridni.web.auth import DbSession, PageUser, get_settings, verify_csrf
from ridni.web.middleware import CSRF_COOKIE
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def receive_by(
    session: Session,
    request: Request,
    user: User,
    report: Report,
    submission: str | None = None,
) -> Received:
    """A report a signed-in caseworker makes, on the page or through the API: a request of
    their organisation, received through the caseworker channel."""
    organisation = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    return receive(
        session,
        report,
        channel=Channel.caseworker,
        organisation=organisation,
        intake_organisation=get_settings(request).intake_organisation,
        user_id=user.id,
        submission=submission,
    )


def visible_request(session: DbSession, user: PageUser, request_id: int) -> TracingRequest:
    found = session.get(TracingRequest, request_id)
    admin = user.has_role(RoleName.system_admin)
    if found is None or (not admin and found.organisation_id != user.organisation_id):
        raise NotFoundError(f"no tracing request with id {request_id}")
    return found


@pages.get("/tracing", response_class=HTMLResponse)
def requests_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    per_page = get_settings(request).page_size
    admin = user.has_role(RoleName.system_admin)
    where = [] if admin else [TracingRequest.organisation_id == user.organisation_id]
    total = session.scalar(select(func.count(TracingRequest.id)).where(*where)) or 0
    items = session.scalars(
        select(TracingRequest)
        .where(*where)
        .order_by(TracingRequest.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return render(
        request,
        "tracing/requests.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // per_page)),
    )


def _new_request_form(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str = "",
) -> Response:
    return render(
        request,
        "tracing/report_form.html",
        status_code=status_code,
        values=values,
        errors=errors or {},
        relations=RELATIONS,
        caseworker=True,
        action="/tracing/new",
        heading=_("New tracing request"),
        notice=notice,
    )


# A report sent after the caseworker's session ended comes back after the login (decision 015).
drafts.keep(
    drafts.Keeper(
        "/tracing/new",
        lambda request, fields, notice: _new_request_form(request, dict(fields), notice=notice),
        kept=N_(
            "You were logged out while writing. Log in again: your report is kept and shown "
            "again for you to check and send. Photos must be attached again."
        ),
        restored=N_(
            "Your unsent report is shown again as you typed it. Nothing has been saved yet: "
            "check it, attach any photos again, and send it."
        ),
        lost=N_("The unsent report could not be restored. Nothing was saved."),
    )
)


@pages.get("/tracing/new", response_class=HTMLResponse)
def new_request_page(request: Request, user: PageUser) -> Response:
    return _new_request_form(request, {})


@pages.post("/tracing/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def create_request(request: Request, session: DbSession, user: PageUser) -> Response:
    form = await request.form(max_files=0, max_fields=60, max_part_size=64 * 1024)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    checked = validate(values)
    if checked.report is None:
        errors = {field: _(message) for field, message in checked.errors.items()}
        return _new_request_form(request, values, errors, status_code=422)
    submission = submission_key(values, request.cookies.get(CSRF_COOKIE, ""))
    if (earlier := received_before(session, submission)) is not None:
        # The same form sent again (a double click, a refresh): show what it made.
        return RedirectResponse(f"/tracing/{earlier.id}", status_code=303)
    try:
        # A savepoint: when the same form, sent twice at once, was saved by the other copy
        # first, only this copy's rows are undone and it lands on the first one's request.
        with session.begin_nested():
            received = receive_by(session, request, user, checked.report, submission)
    except IntegrityError:
        if (earlier := received_before(session, submission)) is None:
            raise
        return RedirectResponse(f"/tracing/{earlier.id}", status_code=303)
    match_request(session, request.app.state.registry_index, received.request)
    link = str(request.base_url).rstrip("/") + f"/status/{received.token}"
    return _request_page(
        request, session, user, received.request, contact_shown=True, status_link=link
    )


def _request_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    item: TracingRequest,
    *,
    contact_shown: bool,
    status_link: str | None = None,
) -> Response:
    """A request's page with the candidates the user may see; ``status_link`` only right after
    it was made."""
    candidates = {
        trace.id: list(for_records(session, SignedIn.of(user), [trace.record_id]))
        for trace in item.traces
    }
    return render(
        request,
        "tracing/request.html",
        item=item,
        status_link=status_link,
        candidates=candidates,
        contact_shown=contact_shown,
        close_reasons=list(CloseReason),
    )


@pages.get("/tracing/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, session: DbSession, user: PageUser, request_id: Id) -> Response:
    item = visible_request(session, user, request_id)
    return _request_page(request, session, user, item, contact_shown=False)


@pages.post(
    "/tracing/{request_id}/contact",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
def reveal_contact(
    request: Request,
    session: DbSession,
    user: PageUser,
    request_id: Id,
    reason: Annotated[str, Form(min_length=3, max_length=500)],
) -> Response:
    """A family's contact, shown to a caseworker of the case's organisation who says why:
    the reason goes into the audit trail with the access."""
    item = visible_request(session, user, request_id)
    request.state.audit_reason = reason.strip()
    return _request_page(request, session, user, item, contact_shown=True)


@pages.post("/tracing/{request_id}/match", dependencies=[Depends(verify_csrf)])
def rematch(request: Request, session: DbSession, user: PageUser, request_id: Id) -> Response:
    item = visible_request(session, user, request_id)
    match_request(session, request.app.state.registry_index, item)
    return RedirectResponse(f"/tracing/{request_id}", status_code=303)


@pages.post("/tracing/{request_id}/close", dependencies=[Depends(verify_csrf)])
def close(
    request: Request,
    session: DbSession,
    user: PageUser,
    request_id: Id,
    reason: Annotated[CloseReason, Form()],
    note: Annotated[str, Form(min_length=3, max_length=500)],
) -> Response:
    """Stop matching the request; the note goes into the audit trail with who closed it."""
    item = visible_request(session, user, request_id)
    if item.status is RequestStatus.closed and item.closed_reason is reason:
        # Closed already, for this reason: the form sent twice (a double click).
        return RedirectResponse(f"/tracing/{request_id}", status_code=303)
    request.state.audit_reason, request.state.audit_detail = close_request(item, reason, note)
    return RedirectResponse(f"/tracing/{request_id}", status_code=303)


@pages.post("/tracing/{request_id}/reopen", dependencies=[Depends(verify_csrf)])
def reopen(
    request: Request,
    session: DbSession,
    user: PageUser,
    request_id: Id,
    note: Annotated[str, Form(min_length=3, max_length=500)],
    consent_renewed: Annotated[bool, Form()] = False,
) -> Response:
    item = visible_request(session, user, request_id)
    if item.status is RequestStatus.open:  # open already: the form sent twice
        return RedirectResponse(f"/tracing/{request_id}", status_code=303)
    request.state.audit_reason, request.state.audit_detail = reopen_request(
        item, note, consent_renewed=consent_renewed
    )
    match_request(session, request.app.state.registry_index, item)
    return RedirectResponse(f"/tracing/{request_id}", status_code=303)


@pages.get("/review", response_class=HTMLResponse)
def queue_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    state: Annotated[CandidateState, Query()] = CandidateState.open,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    per_page = get_settings(request).page_size
    items, total = queue(
        session, SignedIn.of(user), states=(state,), limit=per_page, offset=(page - 1) * per_page
    )
    return render(
        request,
        "tracing/queue.html",
        items=items,
        total=total,
        state=state,
        page=page,
        pages=max(1, -(-total // per_page)),
        states=[
            CandidateState.open,
            CandidateState.unsure,
            CandidateState.confirmed,
            CandidateState.rejected,
        ],
    )


@pages.get("/review/next", response_class=HTMLResponse)
def next_page(request: Request, session: DbSession, user: PageUser) -> Response:
    try:
        candidate = next_candidate(session, SignedIn.of(user))
    except NotFoundError:
        return render(request, "tracing/queue_empty.html")
    return RedirectResponse(f"/review/{candidate.id}", status_code=303)


@pages.get("/review/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    request: Request, session: DbSession, user: PageUser, candidate_id: Id
) -> Response:
    candidate = visible_candidate(session, SignedIn.of(user), candidate_id)
    return render(
        request,
        "tracing/candidate.html",
        candidate=candidate,
        rows=compare(candidate),
        level_label=level_label,
        error=None,
    )


@pages.post(
    "/review/{candidate_id}", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
def decide_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    candidate_id: Id,
    decision: Annotated[Decision, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    candidate = visible_candidate(session, SignedIn.of(user), candidate_id)
    if repeats_last(candidate, decision, user.id):  # the form sent twice (a double click)
        return RedirectResponse("/review/next", status_code=303)
    try:
        with session.begin_nested():  # a refused decision leaves no trace behind
            decide(session, candidate, decision, user_id=user.id, reason=reason)
    except InputError as exc:
        session.expire_all()
        return render(
            request,
            "tracing/candidate.html",
            status_code=409,
            candidate=candidate,
            rows=compare(candidate),
            level_label=level_label,
            error=error_text(exc),
        )
    target = f"/review/{candidate_id}" if decision is Decision.undo else "/review/next"
    return RedirectResponse(target, status_code=303)
