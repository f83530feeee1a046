"""The roles a user can hold, apart from the models (SQLAlchemy), so the command line's
`--role` option knows them without loading the database layer."""

from __future__ import annotations

from enum import StrEnum


class RoleName(StrEnum):
    """The roles of DESIGN.md; what each may do is decided by the access-control layer."""

    caseworker = "caseworker"
    investigator = "investigator"
    analyst = "analyst"
    org_admin = "org_admin"
    system_admin = "system_admin"
