"""What the audit trail keeps of an export: who, what, how many, which file, and why."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from ridni.audit.chain import record
from ridni.cases.service import Filters
from ridni.exports.access import Exporter
from ridni.exports.archive import Produced
from ridni.exports.dossier import DossierExport
from ridni.exports.lists import ListExport

LIST_ACTION = "export list"
DOSSIER_ACTION = "export dossier"


def _file(produced: Produced) -> dict[str, Any]:
    return {
        "file": produced.filename,
        "sha256": produced.sha256,
        "bytes": produced.size,
        "encrypted": produced.encrypted,
        "delivered_sha256": produced.delivered_sha256,
    }


def list_detail(export: ListExport, filters: Filters, exporter: Exporter) -> dict[str, Any]:
    return {
        "channel": exporter.channel,
        "fields": [field.name for field in export.fields],
        "filters": {key: value for key, value in asdict(filters).items() if value is not None},
        "rows": export.rows,
        "personal": export.personal,
        "format": export.produced.inner_name.rsplit(".", 1)[-1],
        **_file(export.produced),
    }


def dossier_detail(export: DossierExport, exporter: Exporter) -> dict[str, Any]:
    return {
        "channel": exporter.channel,
        "child_id": export.child_id,
        "personal": True,
        **_file(export.produced),
    }


def record_export(
    session: Session,
    exporter: Exporter,
    action: str,
    detail: dict[str, Any],
    reason: str,
    child_id: int | None = None,
) -> None:
    """For the CLI (the web app's guard writes the request's event with the same detail)."""
    record(
        session,
        action,
        actor=exporter.username,
        user_id=exporter.user_id,
        entity_type="child_id" if child_id is not None else None,
        entity_id=str(child_id) if child_id is not None else None,
        reason=reason,
        detail=detail,
    )
