"""ReturnOperation and the children it brought back."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.partial_date import PartialDate
from ridni.storage.base import Base, Timestamped
from ridni.storage.types import enum_type, partial_date

if TYPE_CHECKING:
    from ridni.cases.models import Child


class ReturnKind(StrEnum):
    ngo_rescue = "ngo_rescue"
    mediation = "mediation"
    exchange = "exchange"
    family_retrieval = "family_retrieval"
    other = "other"


return_children = Table(
    "return_children",
    Base.metadata,
    Column("return_id", ForeignKey("return_operations.id", ondelete="CASCADE"), primary_key=True),
    Column("child_id", ForeignKey("children.id", ondelete="CASCADE"), primary_key=True),
)


class ReturnOperation(Timestamped, Base):
    __tablename__ = "return_operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ReturnKind] = mapped_column(enum_type(ReturnKind))
    on_date: Mapped[PartialDate | None] = partial_date("on_date")
    mediator: Mapped[str | None] = mapped_column(String(300))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    children: Mapped[list[Child]] = relationship(secondary=return_children)
