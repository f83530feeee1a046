"""Recording, correcting and withdrawing a child's movements, each change kept in the history.

A movement is a fact some source gives. It is corrected explicitly (the version read, a reason,
every changed field logged with its old value) or withdrawn (a reason, its last state kept in the
history); it is never edited or deleted silently (decision 205).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ridni.actors.models import ActorLink
from ridni.cases.models import Child
from ridni.errors import InputError, NotFoundError, RidniError
from ridni.evidence.contradictions import period_end
from ridni.evidence.models import Source
from ridni.facilities.models import Facility
from ridni.ids import MAX_ID
from ridni.movements.chain import chain_of, insertion_index, renumber
from ridni.movements.enums import MAX_STEP
from ridni.movements.models import Movement, MovementAction, MovementChange, MovementKind
from ridni.partial_date import IMPOSSIBLE, YEAR_OUTSIDE, PartialDate, parse_optional


def N_(message: str) -> str:
    """Marks a message for translation; the web form translates it (see ``MovementFieldError``)."""
    return message


FIELDS = ("kind", "on_date", "from_place", "facility_id", "to_place", "source_id", "notes")
# Kinds that take the child somewhere: they need a facility or a place.
NEEDS_DESTINATION = (MovementKind.transfer, MovementKind.placement, MovementKind.adoption)
# What every movement must give, whatever its kind (``says_when_or_where``).
NOTHING_GIVEN = "a movement needs at least a date, a place or a facility"
NOTHING_GIVEN_HINT = "say when or where the step happened; a source or notes alone do not place it"
NOTHING_GIVEN_NOTE = N_("Give at least a date, a place or a facility.")


class MovementIn(BaseModel):
    """One step of a child's path, as the API, the form and the command line give it."""

    kind: MovementKind
    on_date: str | None = Field(
        default=None, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY; empty if unknown"
    )
    from_place: str | None = Field(default=None, max_length=300, description="Taken from where")
    facility_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="To this facility")
    to_place: str | None = Field(
        default=None, max_length=300, description="To this place, when it is not a facility"
    )
    source_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Who says so")
    notes: str = Field(default="", max_length=5000)
    after_step: int | None = Field(
        default=None,
        ge=0,
        le=MAX_STEP,
        description="Put it after this step (0: first). Default: where its kind and date put it.",
    )


def says_when_or_where(data: MovementIn) -> bool:
    """The minimum a movement must give: a date, a place (from or to) or a facility.

    A movement is one step of a child's path, so it must place that step in time or in space.
    With none of these it tells a tracer nothing: the kind alone does not say which taking or
    return it is, nor where in the chain it belongs, yet every count, the occupancy chart and
    the contradiction checks would see it (a second, undated "taken"). A source or notes alone
    do not place it either. Either a date or a place is enough: sources often know only one.
    Transfers, placements and adoptions must also say where the child went (``check``).
    """
    return data.facility_id is not None or any(
        _text(value) for value in (data.on_date, data.from_place, data.to_place)
    )


# Beside the form's date, by what partial_date said: "31.02.2012" or "1899" in a form the page
# reads were told to be written as YYYY-MM-DD.
_DATE_NOTES = {
    IMPOSSIBLE: N_("This date does not exist."),
    YEAR_OUTSIDE: N_("Give the year in full, between 1900 and 2100."),
}
UNREADABLE_DATE = N_("Check the date: write it as YYYY-MM-DD, YYYY-MM or YYYY.")


class MovementFieldError(RidniError):
    """A movement refused because of one of its inputs.

    ``field`` names the input (a ``MovementIn`` field, or ``reason``); ``note`` says what is
    wrong as an English source string that the web form shows, translated, for that field. The
    message and hint stay for the command line and the API.
    """

    def __init__(self, field: str, note: str, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.field = field
        self.note = note


class InvalidMovement(MovementFieldError, InputError):
    """A value that cannot be recorded (exit code 4, HTTP 400)."""


class UnknownReference(MovementFieldError, NotFoundError):
    """A facility or source that does not exist (exit code 5, HTTP 404)."""


class StaleMovement(RidniError):
    """Someone changed the movement after it was read; nothing of this change was saved."""

    exit_code = 6

    def __init__(self, movement_id: int, based_on: int, changes: list[MovementChange]) -> None:
        super().__init__(
            N_("movement {movement_id} was changed by someone else since version {based_on}"),
            N_("review their changes, then make yours again"),
            movement_id=movement_id,
            based_on=based_on,
        )
        self.changes = changes


def _placed(chain: list[Movement], checked: Checked, after_step: int | None) -> int:
    """Where the step goes; a step to follow that is gone (withdrawn by someone else while the
    form was open) is refused beside the form's "place in the chain"."""
    try:
        return insertion_index(chain, checked.kind, checked.on_date, after_step)
    except InputError as exc:
        raise InvalidMovement(
            "after_step",
            N_("That step is no longer in the chain: choose the place again."),
            exc.message,
            exc.hint,
        ) from None


@dataclass(frozen=True, slots=True)
class Checked:
    kind: MovementKind
    on_date: PartialDate | None
    from_place: str | None
    facility_id: int | None
    to_place: str | None
    source_id: int | None
    notes: str


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def check(session: Session, child: Child, data: MovementIn) -> Checked:
    """Everything a movement must satisfy before anything is written."""
    if not says_when_or_where(data):
        raise InvalidMovement(
            "on_date",
            NOTHING_GIVEN_NOTE,
            NOTHING_GIVEN,
            NOTHING_GIVEN_HINT,
        )
    try:
        on_date = parse_optional(data.on_date)
    except InputError as exc:
        note = _DATE_NOTES.get(exc.template, UNREADABLE_DATE)
        raise InvalidMovement("on_date", note, exc.message, exc.hint) from None
    if on_date is not None:
        today = datetime.now(UTC).date()
        if on_date.value > today:
            raise InvalidMovement(
                "on_date",
                N_("This date is in the future."),
                f"the date {on_date} is in the future",
                "check the year",
            )
        born = child.birth_date
        if born is not None and period_end(on_date) < born.value:
            raise InvalidMovement(
                "on_date",
                N_("This date is before the child's birth."),
                f"the date {on_date} is before the child's birth ({born})",
                "check the date, or the birth date on the case",
            )
    if data.facility_id is not None and session.get(Facility, data.facility_id) is None:
        raise UnknownReference(
            "facility_id",
            N_("This facility is not in the registry."),
            f"no facility with id {data.facility_id}",
            "see /facilities",
        )
    if data.source_id is not None and session.get(Source, data.source_id) is None:
        raise UnknownReference(
            "source_id",
            N_("This source is not in the registry."),
            f"no source with id {data.source_id}",
            "see /evidence",
        )
    to_place = _text(data.to_place)
    if data.facility_id is not None and to_place:
        raise InvalidMovement(
            "to_place",
            N_("Give a facility or a place, not both."),
            "give a facility or a destination place, not both",
            "a place that is a facility belongs in the registry",
        )
    if data.kind in NEEDS_DESTINATION and data.facility_id is None and not to_place:
        raise InvalidMovement(
            "facility_id",
            N_("Say where the child was taken to: a facility or a place."),
            "say where the child was taken to: a facility or a place",
            "leave the date empty if only the place is known, not the other way round",
        )
    return Checked(
        kind=data.kind,
        on_date=on_date,
        from_place=_text(data.from_place),
        facility_id=data.facility_id,
        to_place=to_place,
        source_id=data.source_id,
        notes=data.notes.strip(),
    )


def _child(session: Session, child_id: int) -> Child:
    # Locks the case while its chain is renumbered: two steps recorded at once stay 1, 2, 3.
    child = session.scalar(select(Child).where(Child.id == child_id).with_for_update())
    if child is None:
        raise NotFoundError(f"no child with id {child_id}")
    return child


def as_text(field: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, MovementKind):
        return value.value
    return str(value)


def snapshot(movement: Movement) -> str:
    """The whole movement as one history value: readable, and complete enough to restore."""
    return json.dumps(
        {name: as_text(name, getattr(movement, name)) for name in FIELDS}, ensure_ascii=False
    )


def record_movement(
    session: Session, child_id: int, data: MovementIn, *, user_id: int | None, reason: str = ""
) -> Movement:
    child = _child(session, child_id)
    checked = check(session, child, data)
    chain = chain_of(session, child.id)
    index = _placed(chain, checked, data.after_step)
    movement = Movement(child_id=child.id, sequence=0, version=1, **_values(checked))
    chain.insert(index, movement)
    session.add(movement)
    renumber(chain)
    session.flush()
    session.add(
        MovementChange(
            movement_id=movement.id,
            child_id=child.id,
            action=MovementAction.recorded,
            version=1,
            new_value=snapshot(movement),
            user_id=user_id,
            reason=reason.strip(),
        )
    )
    session.flush()
    return movement


def _values(checked: Checked) -> dict[str, object]:
    return {name: getattr(checked, name) for name in FIELDS}


def get_movement(session: Session, movement_id: int, child_id: int | None = None) -> Movement:
    movement = session.get(Movement, movement_id)
    if movement is None or (child_id is not None and movement.child_id != child_id):
        raise NotFoundError(f"no movement with id {movement_id}")
    return movement


def changes_since(session: Session, movement_id: int, version: int) -> list[MovementChange]:
    return list(
        session.scalars(
            select(MovementChange)
            .where(MovementChange.movement_id == movement_id, MovementChange.version > version)
            .order_by(MovementChange.id)
        )
    )


def _claim_version(session: Session, movement: Movement, based_on: int) -> int:
    """Move the version on, atomically: a concurrent correction finds no row and is stale."""
    claimed = session.execute(
        update(Movement)
        .where(Movement.id == movement.id, Movement.version == based_on)
        .values(version=based_on + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(movement)
        raise StaleMovement(movement.id, based_on, changes_since(session, movement.id, based_on))
    session.expire(movement, ["version"])
    return based_on + 1


def correct_movement(
    session: Session,
    movement_id: int,
    data: MovementIn,
    *,
    based_on_version: int,
    user_id: int | None,
    reason: str,
    child_id: int | None = None,
) -> list[MovementChange]:
    """Replace the movement's facts with ``data`` if nobody changed it since that version."""
    movement = get_movement(session, movement_id, child_id)
    child = _child(session, movement.child_id)
    if movement.version != based_on_version:
        raise StaleMovement(
            movement.id, based_on_version, changes_since(session, movement.id, based_on_version)
        )
    checked = check(session, child, data)
    changed = {
        name: value
        for name, value in _values(checked).items()
        if as_text(name, getattr(movement, name)) != as_text(name, value)
    }
    if not changed and data.after_step is None:
        return []
    if not reason.strip():
        raise InvalidMovement(
            "reason",
            N_("This is needed."),
            "a correction needs a reason",
            "say which source shows the right facts",
        )
    old = {name: as_text(name, getattr(movement, name)) for name in changed}
    version = _claim_version(session, movement, based_on_version)
    for name, value in changed.items():
        setattr(movement, name, value)
    if data.after_step is not None or {"kind", "on_date"} & changed.keys():
        chain = [m for m in chain_of(session, movement.child_id) if m.id != movement.id]
        chain.insert(_placed(chain, checked, data.after_step), movement)
        renumber(chain)
    entries = [
        MovementChange(
            movement_id=movement.id,
            child_id=movement.child_id,
            action=MovementAction.corrected,
            field=name,
            version=version,
            old_value=old[name],
            new_value=as_text(name, value),
            user_id=user_id,
            reason=reason.strip(),
        )
        for name, value in changed.items()
    ]
    session.add_all(entries)
    session.flush()
    return entries


def withdraw_movement(
    session: Session,
    movement_id: int,
    *,
    based_on_version: int,
    user_id: int | None,
    reason: str,
    child_id: int | None = None,
) -> MovementChange:
    """Take a movement out of the chain (recorded on the wrong child, a source retracted),
    keeping its last state in the history."""
    movement = get_movement(session, movement_id, child_id)
    _child(session, movement.child_id)
    if movement.version != based_on_version:
        raise StaleMovement(
            movement.id, based_on_version, changes_since(session, movement.id, based_on_version)
        )
    if not reason.strip():
        raise InvalidMovement(
            "reason",
            N_("This is needed."),
            "withdrawing a movement needs a reason",
            "say why it no longer holds",
        )
    links = session.scalar(
        select(func.count(ActorLink.id)).where(ActorLink.movement_id == movement.id)
    )
    if links:
        raise InputError(
            N_("actor links that refer to this movement: {links}"),
            N_("correct the movement instead, or remove those links first"),
            links=links,
        )
    version = _claim_version(session, movement, based_on_version)
    entry = MovementChange(
        movement_id=movement.id,
        child_id=movement.child_id,
        action=MovementAction.withdrawn,
        version=version,
        old_value=snapshot(movement),
        user_id=user_id,
        reason=reason.strip(),
    )
    session.add(entry)
    chain = [m for m in chain_of(session, movement.child_id) if m.id != movement.id]
    session.delete(movement)
    session.flush()
    renumber(chain)
    session.flush()
    return entry


def movement_history(session: Session, child_id: int) -> list[MovementChange]:
    return list(
        session.scalars(
            select(MovementChange)
            .where(MovementChange.child_id == child_id)
            .order_by(MovementChange.id)
        )
    )


def as_input(movement: Movement) -> MovementIn:
    """The movement as it stands, ready to be changed field by field."""
    return MovementIn(
        kind=movement.kind,
        on_date=movement.on_date.iso() if movement.on_date else None,
        from_place=movement.from_place,
        facility_id=movement.facility_id,
        to_place=movement.to_place,
        source_id=movement.source_id,
        notes=movement.notes,
    )
