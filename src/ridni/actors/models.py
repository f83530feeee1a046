"""Actor and its links to facilities, movements, evidence and other actors."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ridni.storage.base import Base, Timestamped
from ridni.storage.types import enum_type

if TYPE_CHECKING:
    from ridni.evidence.models import Evidence, Source
    from ridni.facilities.models import Facility
    from ridni.movements.models import Movement


class ActorKind(StrEnum):
    person = "person"
    organisation = "organisation"


class ActorRole(StrEnum):
    operator = "operator"
    official_in_charge = "official_in_charge"
    funder = "funder"
    transporter = "transporter"
    guardian = "guardian"
    member = "member"
    other = "other"


class Actor(Timestamped, Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[ActorKind] = mapped_column(enum_type(ActorKind))
    # A person's office ("Commissioner for Children's Rights"); empty for organisations.
    position: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2))

    links: Mapped[list[ActorLink]] = relationship(
        back_populates="actor",
        cascade="all, delete-orphan",
        foreign_keys="ActorLink.actor_id",
        order_by="ActorLink.id",
    )


class ActorLink(Base):
    """An actor's role towards exactly one thing: a facility, a movement, evidence or an actor."""

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
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    # A person's place in an organisation (official in charge of an agency, member of a unit).
    target_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[Actor] = relationship(back_populates="links", foreign_keys=[actor_id])
    facility: Mapped[Facility | None] = relationship(lazy="joined")
    movement: Mapped[Movement | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship(lazy="joined")
    target_actor: Mapped[Actor | None] = relationship(foreign_keys=[target_actor_id])
    source: Mapped[Source | None] = relationship(lazy="joined")
