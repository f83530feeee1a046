"""Movement: one dated step in a child's path."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import enum_type, partial_date

if TYPE_CHECKING:
    from ridni.cases.models import Child
    from ridni.evidence.models import Source
    from ridni.facilities.models import Facility


class MovementKind(StrEnum):
    taken = "taken"
    transfer = "transfer"
    placement = "placement"
    adoption = "adoption"
    return_home = "return"


class Movement(Timestamped, Base):
    __tablename__ = "movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column()
    kind: Mapped[MovementKind] = mapped_column(enum_type(MovementKind))
    on_date: Mapped[PartialDate | None] = partial_date("on_date")
    from_place: Mapped[str | None] = mapped_column(String(300))
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="SET NULL"), index=True
    )
    # Free-text destination when it is not a known facility (a family's town, a city in Russia).
    to_place: Mapped[str | None] = mapped_column(String(300))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    child: Mapped[Child] = relationship(back_populates="movements")
    facility: Mapped[Facility | None] = relationship(lazy="joined")
    source: Mapped[Source | None] = relationship(lazy="joined")
