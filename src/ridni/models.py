"""Every domain's models, imported so the metadata (and Alembic) sees the whole schema."""

from ridni.accounts.models import ApiToken, LoginFailure, LoginSession, Organisation, Role, User
from ridni.actors.models import Actor, ActorLink
from ridni.alerts.models import AlertRun, ChildAlert
from ridni.audit.models import AuditEvent, AuditHead
from ridni.cases.models import Child, ChildChange, ChildStatusEvent, Record
from ridni.evidence.models import Claim, CustodyEvent, Evidence, EvidenceFile, Source
from ridni.facilities.models import Facility, FacilityActivity, FacilityName
from ridni.imports.models import ImportRun
from ridni.movements.models import Movement
from ridni.returns.models import ReturnOperation
from ridni.stats.models import StatsSnapshot
from ridni.storage.base import Base
from ridni.tracing.models import (
    IdempotencyKey,
    MatchCandidate,
    MatchDecision,
    Trace,
    TracingRequest,
)

__all__ = [
    "Actor",
    "ActorLink",
    "AlertRun",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Child",
    "ChildAlert",
    "ChildChange",
    "ChildStatusEvent",
    "Claim",
    "CustodyEvent",
    "Evidence",
    "EvidenceFile",
    "Facility",
    "FacilityActivity",
    "FacilityName",
    "IdempotencyKey",
    "ImportRun",
    "LoginFailure",
    "LoginSession",
    "MatchCandidate",
    "MatchDecision",
    "Movement",
    "Organisation",
    "Record",
    "ReturnOperation",
    "Role",
    "Source",
    "StatsSnapshot",
    "Trace",
    "TracingRequest",
    "User",
]
