"""Changing a case: edit its fields (stale edits refused), move its status (reason required)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from ridni.accounts.signed_in import SignedIn
from ridni.cases.case_page import case_extras
from ridni.cases.editing import EDITABLE, StaleEdit, Value, edit_child
from ridni.cases.lifecycle import TransitionError, allowed_next, change_status
from ridni.cases.models import Child, ChildChange, ChildStatus, Sex
from ridni.cases.schemas import ChildDetail
from ridni.cases.service import get_child
from ridni.errors import InputError
from ridni.form_input import (
    MAX_VERSION,
    cleaned_value,
    version_number,
    without_controls,
)
from ridni.i18n import gettext_ as _
from ridni.ids import MAX_ID
from ridni.labels import label
from ridni.messages import error_text
from ridni.partial_date import PartialDate
from ridni.tracing.report_form import N_, read_date
from ridni.web.auth import ApiUser, DbSession, PageUser, verify_csrf
from ridni.web.errors import invalid
from ridni.web.templating import render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["children"])
ChildId = Annotated[int, Path(ge=1, le=MAX_ID, description="The child's identifier.")]
TEXT_FIELDS = ("given_name", "family_name", "patronymic", "birth_place", "origin_oblast", "notes")
FLAGS = (
    "russian_citizenship_imposed",
    "adopted_or_guardianship_in_russia",
    "consent_tracing",
    "consent_share",
)


def read_edit(values: Mapping[str, str]) -> tuple[dict[str, Value], dict[str, str]]:
    """The edit form's values, typed, or a message per wrong field."""
    errors: dict[str, str] = {}
    typed: dict[str, Value] = {}
    for name in TEXT_FIELDS:
        text = without_controls(values.get(name, ""), lines=name == "notes").strip()
        if len(text) > (5000 if name == "notes" else 300):
            errors[name] = N_("This is too long.")
        typed[name] = text if name == "notes" else (text or None)
    if not typed["family_name"] and not typed["given_name"]:
        errors["family_name"] = N_("This is needed.")
    sex = values.get("sex", "")
    if sex not in ("", "M", "F"):
        errors["sex"] = N_("Choose one of the options.")
    typed["sex"] = Sex(sex) if sex in ("M", "F") else None
    typed["birth_date"] = read_date(values, "birth", errors, required=False)
    for flag in FLAGS:
        typed[flag] = values.get(flag) in ("on", "true", "1")
    return typed, errors


def _form_values(child_fields: Mapping[str, object]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in TEXT_FIELDS:
        values[name] = str(child_fields.get(name) or "")
    sex = child_fields.get("sex")
    values["sex"] = sex.value if isinstance(sex, Sex) else ""
    birth = child_fields.get("birth_date")
    if isinstance(birth, PartialDate):
        values["birth_year"] = str(birth.year)
        values["birth_month"] = str(birth.month or "")
        values["birth_day"] = str(birth.day or "")
    for flag in FLAGS:
        values[flag] = "on" if child_fields.get(flag) else ""
    return values


def _edit_page(
    request: Request,
    child: Child,
    values: Mapping[str, str],
    version: str | int,
    *,
    status_code: int = 200,
    errors: Mapping[str, str] | None = None,
    conflict: list[ChildChange] | None = None,
) -> Response:
    """The edit form; ``errors`` are shown beside their fields, already in the reader's
    language; ``conflict``, the changes someone else made since ``version``."""
    return render(
        request,
        "cases/child_edit.html",
        status_code=status_code,
        child=child,
        values=values,
        version=version,
        errors=errors or {},
        conflict=conflict,
    )


@pages.get("/children/{child_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, session: DbSession, user: PageUser, child_id: ChildId) -> Response:
    child = get_child(session, child_id)
    fields = {name: getattr(child, name) for name in EDITABLE}
    return _edit_page(request, child, _form_values(fields), child.version)


@pages.post(
    "/children/{child_id}/edit", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
async def save_edit(
    request: Request, session: DbSession, user: PageUser, child_id: ChildId
) -> Response:
    form = await request.form(max_files=0, max_fields=60, max_part_size=64 * 1024)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    child = get_child(session, child_id)
    typed, errors = read_edit(values)
    version_text = values.get("version", "")
    version = version_number(version_text)
    reason = values.get("reason", "")
    if version is None:
        errors["reason"] = N_("The form could not be read. Please send it again.")
    if errors or version is None:
        shown = {k: _(v) for k, v in errors.items()}
        return _edit_page(request, child, values, version_text, status_code=422, errors=shown)
    try:
        with session.begin_nested():
            edit_child(
                session,
                child,
                based_on_version=version,
                values=typed,
                user_id=user.id,
                reason=reason,
            )
    except StaleEdit as stale:
        session.expire_all()
        return _edit_page(
            request, child, values, version_text, status_code=409, conflict=stale.changes
        )
    except InputError as exc:
        return _edit_page(
            request,
            child,
            values,
            version_text,
            status_code=422,
            errors={"reason": error_text(exc)},
        )
    return RedirectResponse(f"/children/{child_id}", status_code=303)


@pages.post(
    "/children/{child_id}/status", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
def status_form(
    request: Request,
    session: DbSession,
    user: PageUser,
    child_id: ChildId,
    status: Annotated[ChildStatus, Form()],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    child = get_child(session, child_id)
    if child.status is status and reason.strip():
        # Already there: the same form sent twice (a double click), or someone else made the
        # same change first. Not a refused transition; nothing to log twice.
        return RedirectResponse(f"/children/{child_id}", status_code=303)
    try:
        with session.begin_nested():
            change_status(session, child, status, user_id=user.id, reason=reason)
    except TransitionError as exc:
        session.expire_all()
        child = get_child(session, child_id)
        return render(
            request,
            "cases/child.html",
            status_code=409,
            child=child,
            extras=case_extras(session, child, SignedIn.of(user)),
            error=_transition_message(exc),
        )
    return RedirectResponse(f"/children/{child_id}", status_code=303)


def _transition_message(exc: TransitionError) -> str:
    """The refusal in the reader's language, naming the statuses by their labels."""
    if exc.current is None or exc.to is None:
        return _("Give a reason for the status change: say what shows the new status.")
    return _(
        "A case cannot go from “%(current)s” to “%(to)s”. "
        "From “%(current)s” it can go to: %(allowed)s."
    ) % {
        "current": label(exc.current),
        "to": label(exc.to),
        "allowed": ", ".join(label(status) for status in allowed_next(exc.current)),
    }


class StatusChangeIn(BaseModel):
    status: ChildStatus
    reason: str = Field(min_length=1, max_length=2000)


# Cleaned text (control and invisible-only input dropped) whose limits report as characters.
Name = Annotated[Annotated[str, StringConstraints(max_length=200)], BeforeValidator(cleaned_value)]
Place = Annotated[Annotated[str, StringConstraints(max_length=300)], BeforeValidator(cleaned_value)]
Oblast = Annotated[
    Annotated[str, StringConstraints(max_length=100)], BeforeValidator(cleaned_value)
]
NAMES = ("given_name", "family_name")


class ChildEditIn(BaseModel):
    """The case's version as you read it, why you change it, and only the fields to change."""

    version: int = Field(ge=1, le=MAX_VERSION)
    reason: str = Field(min_length=1, max_length=2000)
    given_name: Name | None = None
    family_name: Name | None = None
    patronymic: Name | None = None
    sex: Sex | None = None
    birth_date: str | None = Field(
        default=None, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    birth_place: Place | None = None
    origin_oblast: Oblast | None = None
    russian_citizenship_imposed: bool | None = None
    adopted_or_guardianship_in_russia: bool | None = None
    consent_tracing: bool | None = None
    consent_share: bool | None = None
    notes: str | None = Field(default=None, max_length=5000)
    status: ChildStatus | None = Field(
        default=None,
        description="Not changed here: sent as read, it is ignored; another status is refused "
        "(use POST /children/{id}/status, with a reason).",
    )


class ChangeOut(BaseModel):
    field: str
    version: int
    old_value: str | None
    new_value: str | None
    at: datetime
    user_id: int | None
    reason: str

    @classmethod
    def of(cls, change: ChildChange) -> ChangeOut:
        return cls(
            field=change.field,
            version=change.version,
            old_value=change.old_value,
            new_value=change.new_value,
            at=change.at,
            user_id=change.user_id,
            reason=change.reason,
        )


class StaleOut(BaseModel):
    detail: str
    changes: list[ChangeOut]


CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": StaleOut, "description": "The case changed since that version."}
}


@api.patch(
    "/children/{child_id}",
    response_model=ChildDetail,
    responses=CONFLICT,
    summary="Change a case's fields, based on the version you read",
)
def patch_child(
    session: DbSession, user: ApiUser, child_id: ChildId, body: Annotated[ChildEditIn, Body()]
) -> Response:
    child = get_child(session, child_id)
    if body.status is not None and body.status is not child.status:
        # A 200 that left the status as it was would let a client believe it had changed.
        message = (
            f"the status is changed through POST /api/v1/children/{child_id}/status, with a "
            f"reason (this case is {child.status.value}; nothing was saved)"
        )
        return invalid([(("body", "status"), message, "read_only")])
    values: dict[str, Value] = {
        name: getattr(body, name)
        for name in EDITABLE
        if name in body.model_fields_set and name != "birth_date"
    }
    if "birth_date" in body.model_fields_set:
        values["birth_date"] = PartialDate.parse(body.birth_date) if body.birth_date else None
    for name in TEXT_FIELDS:
        if name != "notes" and values.get(name) == "":
            values[name] = None  # blank, or nothing visible once cleaned: not known, as on the form
    if not any(values[name] if name in values else getattr(child, name) for name in NAMES):
        # The edit form asks the same: a case keeps a family or a given name.
        return invalid(
            [(("body", "family_name"), "a case needs a family name or a given name", "missing")]
        )
    try:
        with session.begin_nested():
            edit_child(
                session,
                child,
                based_on_version=body.version,
                values=values,
                user_id=user.id,
                reason=body.reason,
            )
    except StaleEdit as stale:
        out = StaleOut(detail=str(stale), changes=[ChangeOut.of(c) for c in stale.changes])
        return JSONResponse(out.model_dump(mode="json"), status_code=409)
    session.expire_all()
    return JSONResponse(ChildDetail.of_child(get_child(session, child_id)).model_dump(mode="json"))


@api.post(
    "/children/{child_id}/status",
    response_model=ChildDetail,
    responses={409: {"description": "The lifecycle does not allow this change."}},
    summary="Move a case along its status lifecycle",
)
def post_status(
    session: DbSession, user: ApiUser, child_id: ChildId, body: Annotated[StatusChangeIn, Body()]
) -> Response:
    child = get_child(session, child_id)
    try:
        # Already there (a retry, a double click): nothing to log twice.
        if child.status is not body.status or not body.reason.strip():
            with session.begin_nested():
                change_status(session, child, body.status, user_id=user.id, reason=body.reason)
    except TransitionError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=409)
    session.expire_all()
    return JSONResponse(ChildDetail.of_child(get_child(session, child_id)).model_dump(mode="json"))


@api.get(
    "/children/{child_id}/history",
    response_model=list[ChangeOut],
    summary="Every field change of a case: who, when, why",
)
def history(session: DbSession, user: ApiUser, child_id: ChildId) -> list[ChangeOut]:
    return [ChangeOut.of(change) for change in get_child(session, child_id).changes]
