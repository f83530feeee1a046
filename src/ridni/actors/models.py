"""Actor and its links to facilities and movements."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.storage.base import Base, Timestamped
from ridni.storage.types import enum_type


class ActorKind(StrEnum):
    person = "person"
    organisation = "organisation"


class ActorRole(StrEnum):
    operator = "operator"
    official_in_charge = "official_in_charge"
    funder = "funder"
    transporter = "transporter"
    guardian = "guardian"
    other = "other"


class Actor(Timestamped, Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[ActorKind] = mapped_column(enum_type(ActorKind))
    description: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2))

    links: Mapped[list[ActorLink]] = relationship(
        back_populates="actor", cascade="all, delete-orphan"
    )


class ActorLink(Base):
    """An actor's role towards a facility or a movement."""

    __tablename__ = "actor_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    role: Mapped[ActorRole] = mapped_column(enum_type(ActorRole))
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("movements.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))

    actor: Mapped[Actor] = relationship(back_populates="links")
