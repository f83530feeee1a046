"""Who is signed in, as a plain copy of the user: what pages show and what the consent gate
asks (organisation, roles), usable after the database session ends and outside the web app."""

from __future__ import annotations

from dataclasses import dataclass

from ridni.accounts.models import User


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What pages show about the logged-in user; a plain copy, usable after the session ends."""

    id: int
    username: str
    display_name: str
    roles: tuple[str, ...]
    organisation_id: int | None

    @classmethod
    def of(cls, user: User) -> SignedIn:
        return cls(
            user.id,
            user.username,
            user.display_name,
            tuple(role.name.value for role in user.roles),
            user.organisation_id,
        )
