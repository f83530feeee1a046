"""Who is exporting: the same permissions and record scope for the web and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ridni.accounts.models import User
from ridni.security import matrix
from ridni.security.matrix import granted_to, roles_of

if TYPE_CHECKING:  # the request guard is the web app's; the CLI exports without it
    from ridni.security.guard import Access


@dataclass(frozen=True)
class Exporter:
    username: str
    user_id: int | None
    organisation_id: int | None
    granted: frozenset[str]
    every_organisation: bool
    channel: str  # "web", "api" or "cli": written to the audit event

    @property
    def names_allowed(self) -> bool:
        return "names.read" in self.granted

    def may(self, permission: str) -> bool:
        return permission in self.granted

    @classmethod
    def of_access(cls, access: Access, channel: str) -> Exporter:
        user = access.user
        assert user is not None  # the guard let only logged-in users through  # noqa: S101
        actor = user.username + (f" (token {access.token.id})" if access.token else "")
        return cls(
            username=actor,
            user_id=user.id,
            organisation_id=user.organisation_id,
            granted=access.granted,
            every_organisation=matrix.sees_every_organisation(access.roles),
            channel=channel,
        )

    @classmethod
    def of_user(cls, user: User) -> Exporter:
        """For the CLI: the user's roles decide, exactly as they would in the web app."""
        roles = roles_of([role.name.value for role in user.roles])
        return cls(
            username=user.username,
            user_id=user.id,
            organisation_id=user.organisation_id,
            granted=granted_to(roles),
            every_organisation=matrix.sees_every_organisation(roles),
            channel="cli",
        )
