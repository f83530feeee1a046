"""The status lifecycle of a child's case, and the one way to change it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ridni.cases.models import Child, ChildChange, ChildStatus, ChildStatusEvent
from ridni.errors import InputError
from ridni.storage.types import utcnow

S = ChildStatus
# reported → verified → located → return in progress → returned → reunited; deceased and
# closed-duplicate from anywhere a mistake can still be corrected. Backward steps exist
# because reports are wrong sometimes (a "located" that was someone else).
TRANSITIONS: dict[ChildStatus, frozenset[ChildStatus]] = {
    S.reported: frozenset({S.verified, S.located, S.deceased, S.closed_duplicate}),
    S.verified: frozenset({S.reported, S.located, S.deceased, S.closed_duplicate}),
    S.located: frozenset(
        {S.verified, S.return_in_progress, S.returned, S.deceased, S.closed_duplicate}
    ),
    S.return_in_progress: frozenset({S.located, S.returned, S.deceased}),
    S.returned: frozenset({S.return_in_progress, S.reunited}),
    S.reunited: frozenset({S.returned}),
    S.deceased: frozenset({S.verified, S.located}),
    S.closed_duplicate: frozenset({S.reported, S.verified}),
}


class TransitionError(InputError):
    """A status change the lifecycle does not allow.

    ``current`` and ``to`` are set when the step itself is forbidden (not for a missing reason),
    so a page can say it in the reader's language with the statuses' labels.
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        current: ChildStatus | None = None,
        to: ChildStatus | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.current = current
        self.to = to


def allowed_next(status: ChildStatus) -> list[ChildStatus]:
    return sorted(TRANSITIONS[status], key=list(ChildStatus).index)


def change_status(
    session: Session, child: Child, to: ChildStatus, *, user_id: int | None, reason: str
) -> ChildStatusEvent:
    """Move the case to ``to``, logging who, when and why; refuse what the lifecycle forbids."""
    reason = reason.strip()
    if not reason:
        raise TransitionError("a status change needs a reason", "say what shows the new status")
    if to not in TRANSITIONS[child.status]:
        allowed = ", ".join(s.value for s in allowed_next(child.status)) or "none"
        raise TransitionError(
            f"a case cannot go from {child.status.value} to {to.value}",
            f"from {child.status.value} it can go to: {allowed}",
            current=child.status,
            to=to,
        )
    event = ChildStatusEvent(
        child_id=child.id,
        from_status=child.status,
        to_status=to,
        user_id=user_id,
        reason=reason,
        at=utcnow(),
    )
    old = child.status
    child.status = to
    session.add(event)
    session.flush()  # bumps the case version
    session.add(
        ChildChange(
            child_id=child.id,
            field="status",
            version=child.version,
            old_value=old.value,
            new_value=to.value,
            user_id=user_id,
            reason=reason,
        )
    )
    return event
