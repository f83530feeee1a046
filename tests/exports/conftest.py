"""A small synthetic registry for export tests: two organisations, shared and unshared cases."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyzipper
from sqlalchemy import select

from ridni.accounts.models import RoleName
from ridni.accounts.service import ensure_organisation
from ridni.audit.models import AuditEvent
from ridni.cases.models import ChildStatus, ChildStatusEvent
from ridni.facilities.models import Facility, FacilityKind
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import parse_optional
from ridni.storage.engine import Database
from tests.helpers import make_child, make_record, make_source, make_user

OWN_ORG = "Test NGO (synthetic)"
OTHER_ORG = "Other NGO (synthetic)"
EXPORT_PASSWORD = "long enough secret words"
REASON = "verified list for a return negotiation (test)"


@dataclass
class World:
    verified: int  # own organisation, verified, Cyrillic names
    hostile: int  # own organisation, a name that is a spreadsheet formula
    shared: int  # other organisation, consent to share
    hidden: int  # other organisation, no consent: never exported to the first one


def world(db: Database) -> World:
    with db.session() as session:
        own = ensure_organisation(session, OWN_ORG)
        other = ensure_organisation(session, OTHER_ORG)
        for role in RoleName:
            make_user(session, role.value, role)
        make_user(session, "other_caseworker", RoleName.caseworker, OTHER_ORG)
        source = make_source(session)
        facility = Facility(
            name="ДОЛ «Ромашка» [SYNTHETIC]", kind=FacilityKind.camp_sanatorium, country="RU"
        )
        session.add(facility)
        session.flush()
        verified = make_child(
            session,
            status=ChildStatus.verified,
            organisation_id=own.id,
            origin_oblast="Херсонська",
        )
        make_record(session, verified, source, "Александр", "Шевченко", born="2012-03")
        session.add(
            Movement(
                child_id=verified.id,
                sequence=1,
                kind=MovementKind.transfer,
                facility_id=facility.id,
                on_date=parse_optional("2022-10"),
            )
        )
        session.add(
            ChildStatusEvent(
                child_id=verified.id,
                from_status=ChildStatus.reported,
                to_status=ChildStatus.verified,
                reason="two lists agree (synthetic)",
            )
        )
        hostile = make_child(
            session,
            given='=HYPERLINK("http://x")',
            family="+Злий",
            patronymic="@SUM(1)",
            birth_place="-1+2",
            status=ChildStatus.verified,
            organisation_id=own.id,
            origin_oblast="Харківська",
        )
        shared = make_child(
            session,
            given="Марія",
            family="Коваленко",
            status=ChildStatus.verified,
            organisation_id=other.id,
            consent_share=True,
            origin_oblast="Херсонська",
        )
        hidden = make_child(
            session,
            given="Ганна",
            family="Таємна",
            status=ChildStatus.verified,
            organisation_id=other.id,
            consent_share=False,
            origin_oblast="Херсонська",
        )
        return World(verified.id, hostile.id, shared.id, hidden.id)


def unzip(raw: bytes, password: str = EXPORT_PASSWORD) -> tuple[str, bytes]:
    with pyzipper.AESZipFile(io.BytesIO(raw)) as archive:
        archive.setpassword(password.encode())
        (name,) = archive.namelist()
        return name, archive.read(name)


def audit_events(db: Database, action: str) -> list[AuditEvent]:
    with db.session() as session:
        events = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )
        session.expunge_all()
        return events
