"""The tracing workflow as JSON: requests, the review queue, decisions, registry entries.
The shapes are in ``schemas``, the family's report as JSON in ``report_json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ridni.accounts.models import User
from ridni.accounts.signed_in import SignedIn
from ridni.cases.models import Record, RecordKind
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Source
from ridni.ids import MAX_ID
from ridni.partial_date import PartialDate
from ridni.tracing import idempotency
from ridni.tracing.closing import close_request, reopen_request
from ridni.tracing.intake import family_view
from ridni.tracing.matching import match_new_records, match_request
from ridni.tracing.models import CandidateState, IdempotencyKey, MatchCandidate
from ridni.tracing.queue import next_candidate, queue, visible_candidate
from ridni.tracing.report_form import validate
from ridni.tracing.report_json import TracingRequestIn
from ridni.tracing.review import decide, repeats_last
from ridni.tracing.routes import receive_by, visible_request
from ridni.tracing.schemas import (
    CandidateOut,
    CloseIn,
    ContactIn,
    ContactOut,
    DecisionIn,
    EntryOut,
    FamilyStatusOut,
    QueueOut,
    RecordOut,
    RegistryRecordIn,
    ReopenIn,
    RequestOut,
)
from ridni.web.auth import ApiUser, DbSession
from ridni.web.errors import invalid

api = APIRouter(prefix="/api/v1", tags=["tracing"])
public = APIRouter(prefix="/api/v1", tags=["public"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown, or not yours."}}

IDEMPOTENCY_KEY = Header(
    alias=idempotency.HEADER,
    description=(
        "Optional: a new random value (a UUID) per request. Sent again with the same values "
        "within 24 hours, by the same user, it returns the request the first one made instead "
        "of making another; with other values it is refused."
    ),
)


@api.post(
    "/tracing-requests",
    status_code=201,
    response_model=RequestOut,
    responses={
        422: {
            "description": "A message per wrong field; or an Idempotency-Key already used "
            "for a request with other values."
        }
    },
    summary="Register a family's tracing request; it is matched at once",
)
def create_request(
    request: Request,
    session: DbSession,
    user: ApiUser,
    body: Annotated[TracingRequestIn, Body()],
    idempotency_key: Annotated[str | None, IDEMPOTENCY_KEY] = None,
) -> Response:
    """Numbers are JSON numbers and consents JSON booleans; the strings the web form sends
    (``"2012"``, ``"on"``) are read too. A value of the wrong type is refused by name
    (``birth_year must be a whole number such as 2012, not the text 'abc'``).

    With an ``Idempotency-Key`` header, a retry (after a timeout) answers as the first request
    did — ``201``, the same request and status token, header ``Idempotent-Replayed: true`` —
    and saves nothing."""
    try:
        key = idempotency.read_key(idempotency_key)
    except ValueError as exc:
        return invalid([(("header", idempotency.HEADER), str(exc), "value_error")])
    values = body.form_values()
    sent = idempotency.body_hash(values)
    if key is not None:
        idempotency.forget_expired(session)
        if (earlier := idempotency.remembered(session, user.id, key)) is not None:
            return _replayed(request, session, user, earlier, sent)
    checked = validate(values)
    if checked.report is None:
        return invalid(
            (("body", field), message, "value_error") for field, message in checked.errors.items()
        )
    try:
        # A savepoint: when a copy sent at the same time saved the key first, only this copy's
        # rows are undone and it answers with the first one's request.
        with session.begin_nested():
            received = receive_by(session, request, user, checked.report)
            if key is not None:
                idempotency.remember(session, user.id, key, sent, received)
    except IntegrityError:
        if key is None or (earlier := idempotency.remembered(session, user.id, key)) is None:
            raise
        return _replayed(request, session, user, earlier, sent)
    match_request(session, request.app.state.registry_index, received.request)
    body_out = RequestOut.of(received.request, received.token)
    return JSONResponse(body_out.model_dump(mode="json"), status_code=201)


def _replayed(
    request: Request, session: DbSession, user: User, earlier: IdempotencyKey, sent: str
) -> Response:
    """The answer to a key sent again: the first request as it is now, or a refusal when the
    key came with other values or the caller may no longer see that request (moved to
    another organisation since)."""
    try:
        visible_request(session, user, earlier.request_id)
    except NotFoundError:
        return invalid(
            [(("header", idempotency.HEADER), idempotency.UNSEEN, "idempotency_key_reused")]
        )
    if earlier.body_hash != sent:
        return invalid(
            [
                (
                    ("header", idempotency.HEADER),
                    idempotency.reused_message(earlier),
                    "idempotency_key_reused",
                )
            ]
        )
    request.state.audit_detail = {"replayed_request": earlier.request_id}
    body_out = RequestOut.of(earlier.request, earlier.status_token)
    return JSONResponse(
        body_out.model_dump(mode="json"),
        status_code=201,
        headers={"Idempotent-Replayed": "true"},
    )


@api.get("/tracing-requests/{request_id}", response_model=RequestOut, responses=NOT_FOUND)
def read_request(session: DbSession, user: ApiUser, request_id: Id) -> RequestOut:
    return RequestOut.of(visible_request(session, user, request_id))


@api.post(
    "/tracing-requests/{request_id}/match",
    response_model=list[CandidateOut],
    responses=NOT_FOUND,
    summary="Match the request against the registry again",
)
def rematch(
    request: Request, session: DbSession, user: ApiUser, request_id: Id
) -> list[CandidateOut]:
    item = visible_request(session, user, request_id)
    match_request(session, request.app.state.registry_index, item)
    viewer = SignedIn.of(user)
    visible = []
    for candidate in _candidates_of(session, item):
        try:
            visible.append(CandidateOut.of(visible_candidate(session, viewer, candidate.id)))
        except NotFoundError:
            continue
    return visible


@api.post(
    "/tracing-requests/{request_id}/close",
    response_model=RequestOut,
    responses={**NOT_FOUND, 409: {"description": "Already closed."}},
    summary="Stop matching the request against new records (nothing is deleted)",
)
def close(
    request: Request, session: DbSession, user: ApiUser, request_id: Id, body: CloseIn
) -> Response:
    item = visible_request(session, user, request_id)
    try:
        entry = close_request(item, body.reason, body.note)
    except InputError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=409)
    request.state.audit_reason, request.state.audit_detail = entry
    return JSONResponse(RequestOut.of(item).model_dump(mode="json"))


@api.post(
    "/tracing-requests/{request_id}/reopen",
    response_model=RequestOut,
    responses={**NOT_FOUND, 409: {"description": "Open already, or consent not renewed."}},
    summary="Match the request again, from now on and against the registry at once",
)
def reopen(
    request: Request, session: DbSession, user: ApiUser, request_id: Id, body: ReopenIn
) -> Response:
    item = visible_request(session, user, request_id)
    try:
        entry = reopen_request(item, body.note, consent_renewed=body.consent_renewed)
    except InputError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=409)
    request.state.audit_reason, request.state.audit_detail = entry
    match_request(session, request.app.state.registry_index, item)
    return JSONResponse(RequestOut.of(item).model_dump(mode="json"))


def _candidates_of(session: DbSession, item: Any) -> list[MatchCandidate]:
    ids = [trace.record_id for trace in item.traces]
    return list(
        session.scalars(
            select(MatchCandidate)
            .where(MatchCandidate.sought_record_id.in_(ids))
            .order_by(MatchCandidate.probability.desc())
        )
    )


@api.post(
    "/tracing-requests/{request_id}/contact",
    response_model=ContactOut,
    responses=NOT_FOUND,
    summary="A family's contact, for a stated reason (audited)",
)
def reveal_contact(
    request: Request,
    session: DbSession,
    user: ApiUser,
    request_id: Id,
    body: Annotated[ContactIn, Body()],
) -> ContactOut:
    item = visible_request(session, user, request_id)
    request.state.audit_reason = body.reason.strip()
    return ContactOut(contact=item.inquirer_contact)


@api.get("/review/queue", response_model=QueueOut, summary="Candidates waiting for a decision")
def review_queue(
    session: DbSession,
    user: ApiUser,
    state: Annotated[CandidateState, Query()] = CandidateState.open,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> QueueOut:
    items, total = queue(session, SignedIn.of(user), states=(state,), limit=limit, offset=offset)
    return QueueOut(items=[CandidateOut.of(c) for c in items], total=total)


@api.get(
    "/review/next",
    response_model=CandidateOut,
    responses={404: {"description": "The queue is empty."}},
)
def review_next(session: DbSession, user: ApiUser) -> CandidateOut:
    return CandidateOut.of(next_candidate(session, SignedIn.of(user)))


@api.get("/candidates/{candidate_id}", response_model=CandidateOut, responses=NOT_FOUND)
def read_candidate(session: DbSession, user: ApiUser, candidate_id: Id) -> CandidateOut:
    return CandidateOut.of(visible_candidate(session, SignedIn.of(user), candidate_id))


@api.post(
    "/candidates/{candidate_id}/decisions",
    response_model=CandidateOut,
    responses={**NOT_FOUND, 409: {"description": "Already decided, or undo impossible."}},
    summary="Confirm, reject, mark unsure, or undo the last decision",
)
def post_decision(
    session: DbSession, user: ApiUser, candidate_id: Id, body: Annotated[DecisionIn, Body()]
) -> Response:
    candidate = visible_candidate(session, SignedIn.of(user), candidate_id)
    if repeats_last(candidate, body.decision, user.id):  # a retry: answered as the first was
        return JSONResponse(CandidateOut.of(candidate).model_dump(mode="json"))
    try:
        with session.begin_nested():
            decide(session, candidate, body.decision, user_id=user.id, reason=body.reason)
    except InputError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=409)
    return JSONResponse(CandidateOut.of(candidate).model_dump(mode="json"))


@api.post(
    "/records",
    status_code=201,
    response_model=EntryOut,
    summary="Add a registry entry; it is matched against every open tracing request",
)
def add_record(
    session: DbSession, user: ApiUser, body: Annotated[RegistryRecordIn, Body()]
) -> Response:
    if body.kind is RecordKind.family_report:
        raise InputError("family reports are made as tracing requests, not records")
    if session.get(Source, body.source_id) is None:
        raise NotFoundError(f"no source with id {body.source_id}")
    if not (body.given_name.strip() or body.family_name.strip()):
        raise InputError("a record needs a given name or a family name")
    duplicate = session.scalar(
        select(Record.id).where(
            Record.source_id == body.source_id, Record.source_ref == body.source_ref
        )
    )
    if duplicate is not None:
        return JSONResponse(
            {"detail": f"this entry is already record {duplicate}"}, status_code=409
        )
    record = Record(
        source_id=body.source_id,
        source_ref=body.source_ref,
        kind=body.kind,
        given_name=body.given_name or None,
        family_name=body.family_name or None,
        patronymic=body.patronymic or None,
        sex=body.sex,
        birth_date=PartialDate.parse(body.birth_date) if body.birth_date else None,
        birth_place=body.birth_place or None,
        organisation_id=user.organisation_id,
        consent_share=body.consent_share,
    )
    session.add(record)
    session.flush()
    found = match_new_records(session, [record])
    out = EntryOut(record=RecordOut.of(record), new_candidates=len(found))
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


@public.get(
    "/status/{token}",
    response_model=FamilyStatusOut,
    responses={404: {"description": "No report has this token."}},
    summary="A family's private status link, as JSON: statuses only, nothing personal",
)
def family_status(
    session: DbSession, token: Annotated[str, Path(min_length=20, max_length=64)]
) -> FamilyStatusOut:
    view = family_view(session, token)
    if view is None:
        raise NotFoundError("no report has this token")
    return FamilyStatusOut(received_on=view.received_at, statuses=view.statuses)
