"""`ridni movements`: a child's chain of steps — list, add, correct, withdraw (decision 205)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ridni.cli.context import opened_database
from ridni.cli.errors import RidniTyper
from ridni.cli.ids import MAX_ID
from ridni.cli.output import err, out
from ridni.errors import NotFoundError
from ridni.ids import MAX_VERSION
from ridni.movements.enums import MAX_STEP, MovementKind

if TYPE_CHECKING:  # the services load when a command runs
    from sqlalchemy.orm import Session

    from ridni.accounts.models import User
    from ridni.movements.models import Movement

app = RidniTyper(help="A child's movements: taken, moved, placed, adopted, returned.")
UserOption = Annotated[
    str, typer.Option("--user", "-u", help="Your username: the history records it as yours.")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; which source says so.")]
VersionOption = Annotated[
    int | None,
    typer.Option(
        "--version",
        min=1,
        max=MAX_VERSION,
        help="The version you read (`list`); default: the current.",
    ),
]
DATE_HELP = "YYYY-MM-DD, YYYY-MM or YYYY"


def _user(session: Session, username: str) -> User:
    from sqlalchemy import select

    from ridni.accounts.models import User

    found = session.scalar(select(User).where(User.username == username.lower()))
    if found is None or not found.is_active:
        raise NotFoundError(f"no active user {username!r}", "see `ridni users list`")
    return found


def _where(movement: Movement) -> str:
    if movement.facility is not None:
        return f"#{movement.facility.id} {movement.facility.name} ({movement.facility.country})"
    return movement.to_place or "—"


def _show(session: Session, child_id: int) -> None:
    from ridni.evidence.contradictions import child_contradictions
    from ridni.movements.chain import chain_of

    table = Table("step", "id", "kind", "date", "from", "to", "source", "version")
    for movement in chain_of(session, child_id):
        table.add_row(
            str(movement.sequence),
            str(movement.id),
            movement.kind.value,
            str(movement.on_date or "—"),
            movement.from_place or "—",
            _where(movement),
            f"#{movement.source_id}" if movement.source_id else "—",
            str(movement.version),
        )
    out.print(table)
    for found in child_contradictions(session, child_id):
        err.print(f"[bold yellow]contradiction:[/bold yellow] {found.message}", soft_wrap=True)


@app.command("list")
def list_movements(
    child_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The child's id.")],
) -> None:
    """The child's steps in chain order, and any contradiction among their dates."""
    from ridni.cases.models import Child

    with opened_database() as (_settings, db), db.session() as session:
        if session.get(Child, child_id) is None:
            raise NotFoundError(f"no child with id {child_id}")
        _show(session, child_id)


@app.command("add")
def add(
    child_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The child's id.")],
    kind: Annotated[MovementKind, typer.Option("--kind", "-k", help="What happened.")],
    user: UserOption,
    on_date: Annotated[str | None, typer.Option("--date", "-d", help=DATE_HELP)] = None,
    from_place: Annotated[str | None, typer.Option("--from", help="Taken from where.")] = None,
    facility: Annotated[
        int | None, typer.Option("--facility", "-f", max=MAX_ID, help="Facility id.")
    ] = None,
    to_place: Annotated[
        str | None, typer.Option("--to", help="Destination that is not a facility.")
    ] = None,
    source: Annotated[
        int | None, typer.Option("--source", "-s", max=MAX_ID, help="Source id.")
    ] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
    after: Annotated[
        int | None,
        typer.Option("--after", min=0, max=MAX_STEP, help="Put it after this step (0: first)."),
    ] = None,
) -> None:
    """Record a step; it goes where its kind and date put it unless --after says otherwise."""
    from ridni.movements.service import MovementIn, record_movement

    data = MovementIn(
        kind=kind,
        on_date=on_date,
        from_place=from_place,
        facility_id=facility,
        to_place=to_place,
        source_id=source,
        notes=notes,
        after_step=after,
    )
    with opened_database() as (_settings, db), db.session() as session:
        movement = record_movement(session, child_id, data, user_id=_user(session, user).id)
        out.print(f"Recorded movement #{movement.id} as step {movement.sequence}")
        _show(session, child_id)


@app.command("correct")
def correct(
    movement_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The movement's id.")],
    user: UserOption,
    reason: ReasonOption,
    version: VersionOption = None,
    kind: Annotated[MovementKind | None, typer.Option("--kind", "-k")] = None,
    on_date: Annotated[
        str | None, typer.Option("--date", "-d", help=f"{DATE_HELP}; '' for unknown")
    ] = None,
    from_place: Annotated[str | None, typer.Option("--from")] = None,
    facility: Annotated[
        int | None, typer.Option("--facility", "-f", max=MAX_ID, help="Facility id; 0 for none.")
    ] = None,
    to_place: Annotated[str | None, typer.Option("--to", help="'' for none.")] = None,
    source: Annotated[
        int | None, typer.Option("--source", "-s", max=MAX_ID, help="Source id; 0: none.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    after: Annotated[int | None, typer.Option("--after", min=0, max=MAX_STEP)] = None,
) -> None:
    """Correct the given fields of a movement; the old values stay in its history."""
    from ridni.movements.service import MovementIn, as_input, correct_movement, get_movement

    with opened_database() as (_settings, db), db.session() as session:
        movement = get_movement(session, movement_id)
        fields = as_input(movement).model_dump()
        given = {
            "kind": kind,
            "on_date": on_date,
            "from_place": from_place,
            "facility_id": facility,
            "to_place": to_place,
            "source_id": source,
            "notes": notes,
        }
        for name, value in given.items():
            if value is not None:
                fields[name] = None if value in ("", 0) and name != "notes" else value
        fields["after_step"] = after
        changes = correct_movement(
            session,
            movement_id,
            MovementIn.model_validate(fields),
            based_on_version=version or movement.version,
            user_id=_user(session, user).id,
            reason=reason,
        )
        out.print(f"Corrected {len(changes)} field(s) of movement #{movement_id}")
        _show(session, movement.child_id)


@app.command("withdraw")
def withdraw(
    movement_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The movement's id.")],
    user: UserOption,
    reason: ReasonOption,
    version: VersionOption = None,
) -> None:
    """Take a movement out of the chain; its last state stays in the history."""
    from ridni.movements.service import get_movement, withdraw_movement

    with opened_database() as (_settings, db), db.session() as session:
        movement = get_movement(session, movement_id)
        child_id = movement.child_id
        withdraw_movement(
            session,
            movement_id,
            based_on_version=version or movement.version,
            user_id=_user(session, user).id,
            reason=reason,
        )
        out.print(f"Withdrew movement #{movement_id}")
        _show(session, child_id)
