"""Where a step goes in a child's chain, and keeping the step numbers 1, 2, 3…

The chain is the order in which the sources say things happened. A new step goes where its kind
and date put it — *taken* before any stay, a *return* after them, stays by date, an undated step
last in its phase — unless the person recording it says which step it follows. Dates that then
run backwards are kept as recorded and reported as a contradiction, never "fixed" by reordering
(decision 205).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.errors import InputError
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate

PHASE = {
    MovementKind.taken: 0,
    MovementKind.transfer: 1,
    MovementKind.placement: 1,
    MovementKind.adoption: 1,
    MovementKind.return_home: 2,
}


def chain_of(session: Session, child_id: int) -> list[Movement]:
    return list(
        session.scalars(
            select(Movement)
            .where(Movement.child_id == child_id)
            .order_by(Movement.sequence, Movement.id)
        )
    )


def _key(kind: MovementKind, on_date: PartialDate | None) -> tuple[int, date]:
    return PHASE[kind], on_date.value if on_date is not None else date.max


def insertion_index(
    chain: list[Movement],
    kind: MovementKind,
    on_date: PartialDate | None,
    after_step: int | None = None,
) -> int:
    """The index in ``chain`` (ordered by step) at which a step of this kind and date goes."""
    if after_step is not None:
        if after_step == 0:
            return 0
        for index, movement in enumerate(chain):
            if movement.sequence == after_step:
                return index + 1
        raise InputError(
            f"there is no step {after_step} to follow",
            f"the chain has steps {', '.join(str(m.sequence) for m in chain) or 'none yet'}",
        )
    key = _key(kind, on_date)
    index = 0
    for position, movement in enumerate(chain):
        if _key(movement.kind, movement.on_date) <= key:
            index = position + 1
    return index


def renumber(chain: list[Movement]) -> None:
    """Steps 1…n in chain order; only rows whose number changes are written."""
    for number, movement in enumerate(chain, start=1):
        if movement.sequence != number:
            movement.sequence = number
