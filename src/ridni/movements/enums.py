"""The kinds of a child's movements, apart from the models (SQLAlchemy), so the command line's
`--kind` options know them without loading the database layer."""

from __future__ import annotations

from enum import StrEnum

# The furthest step a movement may be put after (`--after`, the form's "Place in the chain").
MAX_STEP = 10_000


class MovementKind(StrEnum):
    taken = "taken"
    transfer = "transfer"
    placement = "placement"
    adoption = "adoption"
    return_home = "return"
