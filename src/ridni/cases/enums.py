"""A child's case status, apart from the models (SQLAlchemy), so the command line's
`--status` options know it without loading the database layer."""

from __future__ import annotations

from enum import StrEnum


class ChildStatus(StrEnum):
    """The lifecycle of DESIGN.md; transitions are logged in :class:`ChildStatusEvent`."""

    reported = "reported"
    verified = "verified"
    located = "located"
    return_in_progress = "return_in_progress"
    returned = "returned"
    reunited = "reunited"
    deceased = "deceased"
    closed_duplicate = "closed_duplicate"
