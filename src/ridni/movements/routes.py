"""Recording and correcting a child's movements: the case page's form, a correction page, the
JSON API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from ridni.accounts.signed_in import SignedIn
from ridni.cases.case_page import case_extras
from ridni.cases.models import Child
from ridni.cases.service import get_child
from ridni.errors import NotFoundError, RidniError
from ridni.evidence.contradictions import child_contradictions
from ridni.evidence.models import Source
from ridni.facilities.models import Facility
from ridni.form_input import version_number
from ridni.i18n import N_
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.messages import error_text
from ridni.movements.chain import chain_of
from ridni.movements.form import FORM_FIELDS, form_field, read_form, summary, translated
from ridni.movements.labels import action_label, described, movement_field_label
from ridni.movements.models import Movement, MovementChange, MovementKind
from ridni.movements.schemas import (
    ChainOut,
    ContradictionOut,
    MovementChangeOut,
    MovementOut,
    MovementPatch,
    RecordedOut,
    StaleOut,
    WithdrawalIn,
)
from ridni.movements.service import (
    NOTHING_GIVEN,
    MovementFieldError,
    MovementIn,
    StaleMovement,
    as_input,
    correct_movement,
    get_movement,
    movement_history,
    record_movement,
    says_when_or_where,
    withdraw_movement,
)
from ridni.security.guard import has
from ridni.web.auth import ApiUser, DbSession, PageUser, verify_csrf
from ridni.web.errors import invalid
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["movements"])

ChildId = Annotated[int, Path(ge=1, le=MAX_ID, description="The child's identifier.")]
MovementId = Annotated[int, Path(ge=1, le=MAX_ID, description="The movement's identifier.")]
UNREADABLE = N_("The form could not be read. Please send it again.")


async def _form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=30, max_part_size=64 * 1024)
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _form_values(movement: Movement) -> dict[str, str]:
    facility, source = movement.facility, movement.source
    return {
        "kind": movement.kind.value,
        "on_date": movement.on_date.iso() if movement.on_date else "",
        "from_place": movement.from_place or "",
        "facility": f"{facility.name} #{facility.id}" if facility else "",
        "to_place": movement.to_place or "",
        "source": f"{source.title} #{source.id}" if source else "",
        "notes": movement.notes,
    }


def _status(exc: RidniError) -> int:
    return 404 if isinstance(exc, NotFoundError) else 400


def _options(session: DbSession) -> dict[str, Any]:
    return {
        "facility_options": session.execute(
            select(Facility.id, Facility.name).order_by(Facility.name)
        ).all(),
        "source_options": session.execute(
            select(Source.id, Source.title).order_by(Source.title)
        ).all(),
    }


def _labels() -> dict[str, Any]:
    return {
        "kinds": list(MovementKind),
        "action_label": action_label,
        "movement_field_label": movement_field_label,
        "described": described,
    }


# -- pages ----------------------------------------------------------------------------------


@pages.post(
    "/children/{child_id}/movements",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
async def record_page(
    request: Request, session: DbSession, user: PageUser, child_id: ChildId
) -> Response:
    values = await _form(request)
    data, errors = read_form(values)
    status_code = 400
    if data is not None:
        try:
            with session.begin_nested():
                record_movement(session, child_id, data, user_id=user.id)
        except MovementFieldError as exc:
            session.expire_all()
            errors, status_code = {form_field(exc.field): exc.note}, _status(exc)
        else:
            return RedirectResponse(f"/children/{child_id}#timeline", status_code=303)
    child = get_child(session, child_id)
    return render(
        request,
        "cases/child.html",
        status_code=status_code,
        child=child,
        extras=case_extras(session, child, SignedIn.of(user)),
        movement_error=summary(errors),
        movement_errors=translated(errors),
        movement_values={k: values.get(k, "") for k in FORM_FIELDS},
    )


@pages.get("/children/{child_id}/movements/checks", response_class=HTMLResponse)
def checks_fragment(
    request: Request, session: DbSession, user: PageUser, child_id: ChildId
) -> Response:
    """Contradictions in the child's chain and its history, loaded into the case page."""
    if session.get(Child, child_id) is None:
        raise NotFoundError(f"no child with id {child_id}")
    return render(
        request,
        "movements/_checks.html",
        contradictions=child_contradictions(session, child_id),
        history=movement_history(session, child_id)[-20:][::-1],
        **_labels(),
    )


@pages.get("/movements/options", response_class=HTMLResponse)
def options_fragment(request: Request, session: DbSession, user: PageUser) -> Response:
    """The facility and source lists the case page's form offers (loaded once it is shown)."""
    return render(request, "movements/_options.html", **_options(session))


def _refusal(exc: RidniError) -> dict[str, Any]:
    """How the correction page shows a refusal: beside its field when it names one."""
    if isinstance(exc, MovementFieldError):
        return {"errors": {form_field(exc.field): exc.note}}
    return {"error": error_text(exc)}


def _edit_page(
    request: Request,
    session: DbSession,
    movement: Movement,
    values: Mapping[str, str],
    *,
    status_code: int = 200,
    error: str | None = None,
    errors: Mapping[str, str] | None = None,
    conflict: list[MovementChange] | None = None,
    version: str | int | None = None,
) -> Response:
    """The correction page; ``errors`` are ``N_`` messages per form field, shown translated."""
    child = session.get(Child, movement.child_id)
    history = [
        c for c in movement_history(session, movement.child_id) if c.movement_id == movement.id
    ]
    return render(
        request,
        "movements/edit.html",
        status_code=status_code,
        child=child,
        movement=movement,
        values=values,
        version=movement.version if version is None else version,
        error=summary(errors) if errors else error,
        errors=translated(errors or {}),
        conflict=conflict,
        history=history[::-1],
        steps=[m for m in chain_of(session, movement.child_id) if m.id != movement.id],
        **_options(session),
        **_labels(),
    )


def _changed(
    request: Request,
    session: DbSession,
    movement: Movement,
    change: Callable[[], object],
    shown: Callable[[], Mapping[str, str]],
    *,
    version: str | None = None,
) -> Response:
    """A correction or withdrawal, in a savepoint: back to the case page's timeline when it is
    made; else the correction page again, with the values ``shown`` gives (asked for after the
    session is expired) and the conflict (409) or the refusal."""
    child_id = movement.child_id
    try:
        with session.begin_nested():
            change()
    except StaleMovement as stale:
        session.expire_all()
        return _edit_page(
            request,
            session,
            movement,
            shown(),
            status_code=409,
            conflict=stale.changes,
            version=version,
        )
    except RidniError as exc:
        session.expire_all()
        return _edit_page(
            request,
            session,
            movement,
            shown(),
            status_code=_status(exc),
            version=version,
            **_refusal(exc),
        )
    return RedirectResponse(f"/children/{child_id}#timeline", status_code=303)


@pages.get("/children/{child_id}/movements/{movement_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    child_id: ChildId,
    movement_id: MovementId,
) -> Response:
    movement = get_movement(session, movement_id, child_id)
    return _edit_page(request, session, movement, _form_values(movement))


@pages.post(
    "/children/{child_id}/movements/{movement_id}/edit",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
async def correct_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    child_id: ChildId,
    movement_id: MovementId,
) -> Response:
    values = await _form(request)
    movement = get_movement(session, movement_id, child_id)
    version = values.get("version", "")
    if version_number(version) is None:
        return _edit_page(request, session, movement, values, status_code=400, error=_(UNREADABLE))
    data, errors = read_form(values)
    if data is None:
        return _edit_page(
            request, session, movement, values, status_code=400, errors=errors, version=version
        )
    return _changed(
        request,
        session,
        movement,
        lambda: correct_movement(
            session,
            movement_id,
            data,
            based_on_version=int(version.strip()),
            user_id=user.id,
            reason=values.get("reason", ""),
            child_id=child_id,
        ),
        lambda: values,
        version=version,
    )


@pages.post(
    "/children/{child_id}/movements/{movement_id}/withdraw",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
async def withdraw_page(
    request: Request,
    session: DbSession,
    user: PageUser,
    child_id: ChildId,
    movement_id: MovementId,
) -> Response:
    values = await _form(request)
    movement = get_movement(session, movement_id, child_id)
    version = values.get("version", "")
    if version_number(version) is None:
        return _edit_page(
            request, session, movement, _form_values(movement), status_code=400, error=_(UNREADABLE)
        )
    return _changed(
        request,
        session,
        movement,
        lambda: withdraw_movement(
            session,
            movement_id,
            based_on_version=int(version.strip()),
            user_id=user.id,
            reason=values.get("reason", ""),
            child_id=child_id,
        ),
        lambda: _form_values(movement),
    )


# -- API ------------------------------------------------------------------------------------


def _chain(session: DbSession, child_id: int, names: bool) -> ChainOut:
    session.expire_all()
    return ChainOut(
        movements=[MovementOut.of(m, names=names) for m in chain_of(session, child_id)],
        contradictions=[ContradictionOut.of(c) for c in child_contradictions(session, child_id)],
    )


def _recorded(session: DbSession, movement_id: int, names: bool) -> RecordedOut:
    session.expire_all()
    movement = get_movement(session, movement_id)
    found = child_contradictions(session, movement.child_id)
    return RecordedOut(
        **MovementOut.of(movement, names=names).model_dump(),
        contradictions=[ContradictionOut.of(c) for c in found],
    )


STALE: dict[int | str, dict[str, Any]] = {
    409: {"model": StaleOut, "description": "The movement changed since that version."}
}


def _nothing_given() -> JSONResponse:
    """The request is well-formed JSON but says neither when nor where: the 422 a missing
    required field would get, naming the fields of which one is needed."""
    fields = "on_date, from_place, facility_id or to_place"
    return invalid([(("body",), f"{NOTHING_GIVEN}: give {fields}", "missing")])


def _stale(stale: StaleMovement) -> JSONResponse:
    out = StaleOut(detail=str(stale), changes=[MovementChangeOut.of(c) for c in stale.changes])
    return JSONResponse(out.model_dump(mode="json"), status_code=409)


@api.get(
    "/children/{child_id}/movements",
    response_model=ChainOut,
    summary="A child's movements in chain order, with the contradictions among them",
)
def list_movements(
    request: Request, session: DbSession, user: ApiUser, child_id: ChildId
) -> ChainOut:
    if session.get(Child, child_id) is None:
        raise NotFoundError(f"no child with id {child_id}")
    return _chain(session, child_id, has(request, "names.read"))


@api.post(
    "/children/{child_id}/movements",
    response_model=RecordedOut,
    status_code=201,
    summary="Record a movement of a child",
    responses={
        400: {"description": "A date in the future or before the birth, no destination…"},
        404: {"description": "No such child, facility or source."},
    },
)
def record_api(
    request: Request,
    session: DbSession,
    user: ApiUser,
    child_id: ChildId,
    body: Annotated[MovementIn, Body()],
) -> Response:
    """The step goes where its kind and date put it, or after `after_step`. Dates that then run
    backwards are kept and listed in `contradictions`. A movement needs at least `on_date`,
    `from_place`, `facility_id` or `to_place` (422 otherwise)."""
    if not says_when_or_where(body):
        return _nothing_given()
    movement = record_movement(session, child_id, body, user_id=user.id)
    recorded = _recorded(session, movement.id, has(request, "names.read"))
    return JSONResponse(recorded.model_dump(mode="json"), status_code=201)


@api.get(
    "/children/{child_id}/movements/history",
    response_model=list[MovementChangeOut],
    summary="Who recorded, corrected or withdrew the child's movements, when and why",
)
def history_api(session: DbSession, user: ApiUser, child_id: ChildId) -> list[MovementChangeOut]:
    if session.get(Child, child_id) is None:
        raise NotFoundError(f"no child with id {child_id}")
    return [MovementChangeOut.of(c) for c in movement_history(session, child_id)]


@api.patch(
    "/movements/{movement_id}",
    response_model=RecordedOut,
    responses=STALE,
    summary="Correct a movement, based on the version you read (a reason is required)",
)
def correct_api(
    request: Request,
    session: DbSession,
    user: ApiUser,
    movement_id: MovementId,
    body: Annotated[MovementPatch, Body()],
) -> Response:
    movement = get_movement(session, movement_id)
    fields = as_input(movement).model_dump()
    fields.update(body.model_dump(include=body.model_fields_set - {"version", "reason"}))
    try:
        data = MovementIn.model_validate(fields)
    except ValidationError as exc:
        return invalid((("body", *map(str, e["loc"])), e["msg"], e["type"]) for e in exc.errors())
    if not says_when_or_where(data):
        return _nothing_given()
    try:
        with session.begin_nested():
            correct_movement(
                session,
                movement_id,
                data,
                based_on_version=body.version,
                user_id=user.id,
                reason=body.reason,
            )
    except StaleMovement as stale:
        return _stale(stale)
    recorded = _recorded(session, movement_id, has(request, "names.read"))
    return JSONResponse(recorded.model_dump(mode="json"))


@api.post(
    "/movements/{movement_id}/withdrawal",
    response_model=ChainOut,
    responses=STALE,
    summary="Withdraw a movement from the chain; its last state stays in the history",
)
def withdraw_api(
    request: Request,
    session: DbSession,
    user: ApiUser,
    movement_id: MovementId,
    body: Annotated[WithdrawalIn, Body()],
) -> Response:
    child_id = get_movement(session, movement_id).child_id
    try:
        with session.begin_nested():
            withdraw_movement(
                session,
                movement_id,
                based_on_version=body.version,
                user_id=user.id,
                reason=body.reason,
            )
    except StaleMovement as stale:
        return _stale(stale)
    chain = _chain(session, child_id, has(request, "names.read"))
    return JSONResponse(chain.model_dump(mode="json"))
