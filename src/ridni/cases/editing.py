"""Editing a child's case: every changed field logged, a stale edit refused, never merged."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ridni.cases.models import Child, ChildChange, Sex
from ridni.errors import InputError, RidniError
from ridni.i18n import N_
from ridni.partial_date import PartialDate

Value = str | bool | Sex | PartialDate | None
EDITABLE = (
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "origin_oblast",
    "russian_citizenship_imposed",
    "adopted_or_guardianship_in_russia",
    "consent_tracing",
    "consent_share",
    "notes",
)


class StaleEdit(RidniError):
    """Someone changed the case after the editor opened it; nothing of this edit was saved."""

    exit_code = 6

    def __init__(self, child_id: int, based_on: int, changes: list[ChildChange]) -> None:
        super().__init__(
            f"case {child_id} was changed by someone else since version {based_on}",
            "review their changes, then make yours again",
        )
        self.changes = changes


def as_text(value: object) -> str | None:
    """How a value is written in the history (a case's, and a facility's)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def changes_since(session: Session, child_id: int, version: int) -> list[ChildChange]:
    return list(
        session.scalars(
            select(ChildChange)
            .where(ChildChange.child_id == child_id, ChildChange.version > version)
            .order_by(ChildChange.id)
        )
    )


def edit_child(
    session: Session,
    child: Child,
    *,
    based_on_version: int,
    values: dict[str, Value],
    user_id: int | None,
    reason: str,
) -> list[ChildChange]:
    """Apply ``values`` to the case if nobody changed it since ``based_on_version``."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InputError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    if child.version != based_on_version:
        if all(as_text(getattr(child, field)) == as_text(value) for field, value in values.items()):
            # The case already holds every value sent: the same form sent twice (a double
            # click, a retry), or someone made the same change. Nothing to save, no conflict.
            return []
        raise StaleEdit(
            child.id, based_on_version, changes_since(session, child.id, based_on_version)
        )
    changed = {
        field: value
        for field, value in values.items()
        if as_text(getattr(child, field)) != as_text(value)
    }
    if not changed:
        return []
    if not reason.strip():
        raise InputError(
            N_("a change to a case needs a reason"), N_("say where the new facts come from")
        )
    old = {field: as_text(getattr(child, field)) for field in changed}
    for field, value in changed.items():
        setattr(child, field, value)
    session.flush()  # the version column moves on here; a concurrent writer fails here
    entries = [
        ChildChange(
            child_id=child.id,
            field=field,
            version=child.version,
            old_value=old[field],
            new_value=as_text(value),
            user_id=user_id,
            reason=reason.strip(),
        )
        for field, value in changed.items()
    ]
    session.add_all(entries)
    session.flush()
    return entries
