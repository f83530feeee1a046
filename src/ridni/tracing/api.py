"""The tracing workflow as JSON: requests, the review queue, decisions, registry entries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ridni.accounts.models import User
from ridni.accounts.signed_in import SignedIn
from ridni.cases.models import ChildStatus, Record, RecordKind, Sex
from ridni.errors import InputError, NotFoundError
from ridni.evidence.models import Source
from ridni.form_input import CleanText
from ridni.ids import MAX_ID
from ridni.partial_date import PartialDate
from ridni.tracing import idempotency
from ridni.tracing.closing import close_request, reopen_request
from ridni.tracing.intake import family_view
from ridni.tracing.matching import match_new_records, match_request
from ridni.tracing.models import (
    CandidateState,
    Channel,
    CloseReason,
    Decision,
    IdempotencyKey,
    MatchCandidate,
)
from ridni.tracing.queue import next_candidate, queue, visible_candidate
from ridni.tracing.report_form import RELATIONS, validate
from ridni.tracing.review import decide, repeats_last
from ridni.tracing.routes import receive_by, visible_request
from ridni.tracing.side_by_side import compare
from ridni.web.auth import ApiUser, DbSession
from ridni.web.errors import invalid

api = APIRouter(prefix="/api/v1", tags=["tracing"])
public = APIRouter(prefix="/api/v1", tags=["public"])
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown, or not yours."}}


class RecordOut(BaseModel):
    id: int
    child_id: int | None
    source: str
    kind: RecordKind
    given_name: str | None
    family_name: str | None
    patronymic: str | None
    sex: Sex | None
    birth_date: str | None
    birth_place: str | None

    @classmethod
    def of(cls, record: Record) -> RecordOut:
        return cls(
            id=record.id,
            child_id=record.child_id,
            source=record.source.title,
            kind=record.kind,
            given_name=record.given_name,
            family_name=record.family_name,
            patronymic=record.patronymic,
            sex=record.sex,
            birth_date=record.birth_date.iso() if record.birth_date else None,
            birth_place=record.birth_place,
        )


class FieldOut(BaseModel):
    field: str
    sought: str
    found: str
    level: str
    weight: float = Field(description="Bits: +1 doubles the odds of a match, −1 halves them.")


class DecisionOut(BaseModel):
    decision: Decision
    from_state: CandidateState
    to_state: CandidateState
    at: datetime
    user_id: int | None
    reason: str


class CandidateOut(BaseModel):
    id: int
    probability: float
    state: CandidateState
    sought: RecordOut
    found: RecordOut
    fields: list[FieldOut]
    decisions: list[DecisionOut]

    @classmethod
    def of(cls, candidate: MatchCandidate) -> CandidateOut:
        return cls(
            id=candidate.id,
            probability=candidate.probability,
            state=candidate.state,
            sought=RecordOut.of(candidate.sought),
            found=RecordOut.of(candidate.found),
            fields=[
                FieldOut(
                    field=r.field, sought=r.sought, found=r.found, level=r.level, weight=r.weight
                )
                for r in compare(candidate)
            ],
            decisions=[
                DecisionOut(
                    decision=d.decision,
                    from_state=d.from_state,
                    to_state=d.to_state,
                    at=d.at,
                    user_id=d.user_id,
                    reason=d.reason,
                )
                for d in candidate.decisions
            ],
        )


class QueueOut(BaseModel):
    items: list[CandidateOut]
    total: int


class TraceOut(BaseModel):
    id: int
    record: RecordOut
    taken_from: str | None
    taken_on: str | None
    last_known_location: str | None


class RequestOut(BaseModel):
    id: int
    channel: Channel
    status: str
    created_at: datetime
    inquirer_name: str
    inquirer_relation: str | None
    inquirer_contact: str | None = Field(
        default=None, description="Always empty here: ask for it with a reason (…/contact)."
    )
    consent_tracing: bool
    consent_share: bool
    closed_reason: CloseReason | None = None
    closed_at: datetime | None = None
    traces: list[TraceOut]
    status_token: str | None = Field(
        default=None, description="Only in the answer to creation: the family's private link token."
    )


def _request_out(item: Any, token: str | None = None) -> RequestOut:
    return RequestOut(
        id=item.id,
        channel=item.channel,
        status=item.status.value,
        created_at=item.created_at,
        inquirer_name=item.inquirer_name,
        inquirer_relation=item.inquirer_relation,
        # Never here, not even to its creator: a contact is revealed with a reason (…/contact),
        # and the answer to a creation is also replayed to retries.
        inquirer_contact=None,
        consent_tracing=item.consent_tracing,
        consent_share=item.consent_share,
        closed_reason=item.closed_reason,
        closed_at=item.closed_at,
        status_token=token,
        traces=[
            TraceOut(
                id=t.id,
                record=RecordOut.of(t.record),
                taken_from=t.taken_from,
                taken_on=t.taken_on.iso() if t.taken_on else None,
                last_known_location=t.last_known_location,
            )
            for t in item.traces
        ],
    )


def _shown(value: object) -> str:
    """A refused JSON value as the client wrote it, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, int | float):
        return str(value)[:40]
    return "a list" if isinstance(value, list) else "an object"


def _refuse(kind: str, expected: str, value: object, info: ValidationInfo) -> PydanticCustomError:
    return PydanticCustomError(
        kind,
        "{field} must be {expected}, not {given}",
        {"field": info.field_name, "expected": expected, "given": _shown(value)},
    )


def _whole_number(value: object, info: ValidationInfo) -> int | None:
    """A JSON number (2012); a string of digits ("2012"), as the web form sends it, too."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit():
        # int() refuses thousands of digits; ten of them are already no date's part.
        return int((text.lstrip("0") or "0")[:10])
    raise _refuse("int_type", "a whole number such as 2012", value, info)


TRUE_WORDS = ("true", "on", "1", "yes")
FALSE_WORDS = ("false", "off", "0", "no", "")


def _consent(value: object, info: ValidationInfo) -> bool:
    """A JSON boolean; the web form's "on" (and "true", "1", "yes", or "" for no) too."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise _refuse("bool_type", "true or false", value, info)


def _text(value: object, info: ValidationInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # JSON may escape half of a UTF-16 pair ("\ud800"): no character, and no text that
        # can be hashed or stored. Refused as pydantic's own str fields refuse it.
        if any("\ud800" <= char <= "\udfff" for char in value):
            raise PydanticCustomError(
                "string_unicode",
                "{field} must be Unicode text: it holds half of a character (a lone \\u{code})",
                {"field": info.field_name, "code": _surrogate(value)},
            )
        return value
    raise _refuse("string_type", "text (a JSON string)", value, info)


def _surrogate(value: str) -> str:
    return next(f"{ord(c):04x}" for c in value if "\ud800" <= c <= "\udfff")


Text = Annotated[str, BeforeValidator(_text)]
DatePart = Annotated[int | None, BeforeValidator(_whole_number)]
Consent = Annotated[bool, BeforeValidator(_consent)]


class TracingRequestIn(BaseModel):
    """A family's report, as the public form asks it. Which fields are needed, and whether the
    values make sense together (a real date, not in the future), is checked after the types,
    with one message per field."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "given_name": "Олександр",
                "family_name": "Шевченко",
                "birth_year": 2012,
                "birth_month": 3,
                "inquirer_name": "Марія Шевченко",
                "inquirer_relation": "mother",
                "inquirer_contact": "+380 00 000 0000",
                "consent_tracing": True,
                "consent_share": True,
            }
        }
    )

    given_name: Text = Field(default="", description="Needed.")
    family_name: Text = Field(default="", description="Needed.")
    patronymic: Text = ""
    sex: Text = Field(default="", description="M, F, or empty when not known.")
    birth_year: DatePart = Field(default=None, description="Needed: a number, e.g. 2012.")
    birth_month: DatePart = Field(default=None, description="1–12, or empty.")
    birth_day: DatePart = Field(default=None, description="1–31 (needs the month), or empty.")
    birth_place: Text = ""
    residence: Text = ""
    taken_from: Text = ""
    taken_year: DatePart = None
    taken_month: DatePart = None
    taken_day: DatePart = None
    circumstances: Text = ""
    accompanied_by: Text = ""
    last_known_location: Text = ""
    distinguishing_marks: Text = ""
    inquirer_name: Text = Field(default="", description="Needed: who asks.")
    inquirer_relation: Text = Field(default="", description="Needed: " + ", ".join(RELATIONS))
    inquirer_contact: Text = Field(default="", description="Needed: phone or e-mail.")
    consent_tracing: Consent = Field(default=False, description="Needed: true.")
    consent_share: Consent = Field(
        default=False, description="true: other organisations may see the request."
    )

    def form_values(self) -> dict[str, str]:
        """The values as the web form sends them, for the validation both share."""
        values: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, bool):
                values[name] = "on" if value else ""
            else:
                values[name] = "" if value is None else str(value)
        return values


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
    body_out = _request_out(received.request, received.token)
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
    body_out = _request_out(earlier.request, earlier.status_token)
    return JSONResponse(
        body_out.model_dump(mode="json"),
        status_code=201,
        headers={"Idempotent-Replayed": "true"},
    )


@api.get("/tracing-requests/{request_id}", response_model=RequestOut, responses=NOT_FOUND)
def read_request(session: DbSession, user: ApiUser, request_id: Id) -> RequestOut:
    return _request_out(visible_request(session, user, request_id))


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


Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
    Field(description="Why, for the audit trail."),
]


class CloseIn(BaseModel):
    reason: CloseReason
    note: Note


class ReopenIn(BaseModel):
    note: Note
    consent_renewed: bool = Field(
        default=False, description="Required when the request was closed for withdrawn consent."
    )


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
    return JSONResponse(_request_out(item).model_dump(mode="json"))


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
    return JSONResponse(_request_out(item).model_dump(mode="json"))


def _candidates_of(session: DbSession, item: Any) -> list[MatchCandidate]:
    ids = [trace.record_id for trace in item.traces]
    return list(
        session.scalars(
            select(MatchCandidate)
            .where(MatchCandidate.sought_record_id.in_(ids))
            .order_by(MatchCandidate.probability.desc())
        )
    )


class ContactIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="Goes into the audit trail.")


class ContactOut(BaseModel):
    contact: str | None


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


class DecisionIn(BaseModel):
    decision: Decision
    reason: str = Field(default="", max_length=2000)


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


class RegistryRecordIn(BaseModel):
    """One entry of a Russian-side list, typed in by a caseworker."""

    source_id: int = Field(ge=1, le=MAX_ID)
    source_ref: CleanText = Field(
        min_length=1,
        max_length=200,
        description="The entry's identity in its source (row, listing URL).",
    )
    kind: RecordKind = RecordKind.camp_list
    given_name: CleanText = Field(default="", max_length=200)
    family_name: CleanText = Field(default="", max_length=200)
    patronymic: CleanText = Field(default="", max_length=200)
    sex: Sex | None = None
    birth_date: str = Field(default="", max_length=10)
    birth_place: CleanText = Field(default="", max_length=300)
    consent_share: bool = Field(default=True, description="Other organisations may see it.")


class EntryOut(BaseModel):
    record: RecordOut
    new_candidates: int


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


class FamilyStatusOut(BaseModel):
    received_on: str
    statuses: list[ChildStatus]


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
