"""Movement: one dated step in a child's path, and the history of how it was recorded."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.movements.enums import MovementKind as MovementKind  # re-exported
from ridni.partial_date import PartialDate
from ridni.security.encryption import Encrypted
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import UTCDateTime, enum_type, partial_date, utcnow

if TYPE_CHECKING:
    from ridni.accounts.models import User
    from ridni.cases.models import Child
    from ridni.evidence.models import Source
    from ridni.facilities.models import Facility


class Movement(Timestamped, Base):
    __tablename__ = "movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column()
    kind: Mapped[MovementKind] = mapped_column(enum_type(MovementKind))
    on_date: Mapped[PartialDate | None] = partial_date("on_date")
    # Places and notes can identify a family: encrypted at rest like names (migration 0009).
    from_place: Mapped[str | None] = mapped_column(Encrypted("movements.from_place"))
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="SET NULL"), index=True
    )
    # Free-text destination when it is not a known facility (a family's town, a city in Russia).
    to_place: Mapped[str | None] = mapped_column(Encrypted("movements.to_place"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Encrypted("movements.notes"), default="")
    # Moves on with every correction: a correction based on an older version is stale.
    version: Mapped[int] = mapped_column(default=1)

    child: Mapped[Child] = relationship(back_populates="movements")
    facility: Mapped[Facility | None] = relationship(lazy="joined")
    source: Mapped[Source | None] = relationship(lazy="joined")


class MovementAction(StrEnum):
    recorded = "recorded"
    corrected = "corrected"
    withdrawn = "withdrawn"


class MovementChange(Base):
    """Who recorded, corrected or withdrew a movement, when and why; never edited itself.

    A withdrawn movement leaves the chain (so every count and alert forgets it) but its last
    state stays here, which is why ``movement_id`` is not a foreign key (decision 205).
    """

    __tablename__ = "movement_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    action: Mapped[MovementAction] = mapped_column(enum_type(MovementAction))
    # The corrected field; empty when the whole movement was recorded or withdrawn.
    field: Mapped[str | None] = mapped_column(String(64))
    # The movement's version after this change.
    version: Mapped[int] = mapped_column()
    old_value: Mapped[str | None] = mapped_column(Encrypted("movement_changes.old_value"))
    new_value: Mapped[str | None] = mapped_column(Encrypted("movement_changes.new_value"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(lazy="joined")
