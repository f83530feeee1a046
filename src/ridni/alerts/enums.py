"""The alert rules, apart from the models (SQLAlchemy), so the command line's `--rule` option
knows them without loading the database layer."""

from __future__ import annotations

from enum import StrEnum


class AlertRule(StrEnum):
    conscription_risk = "conscription_risk"
    military_training = "military_training"
    no_sighting = "no_sighting"
    adoption_in_russia = "adoption_in_russia"
