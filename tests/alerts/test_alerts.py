"""Each alert rule at its edges, the dashboard, the API and `ridni alerts`."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ridni.accounts.models import RoleName
from ridni.alerts.models import AlertRule
from ridni.alerts.service import listed, refresh
from ridni.cases.models import Child, ChildStatus, Record, RecordKind
from ridni.facilities.models import Activity, Facility, FacilityActivity, FacilityKind
from ridni.movements.models import Movement, MovementKind
from ridni.partial_date import PartialDate
from ridni.storage.engine import Database
from tests.helpers import login, make_child, make_source, make_user
from tests.servers import ridni

TODAY = date(2026, 6, 30)


def child(session: Session, name: str, born: str | None = None, **fields: object) -> Child:
    return make_child(session, given=name, family="Синтетичний", born=born, **fields)


def found(session: Session, rule: AlertRule, months: int = 6) -> dict[str, date | None]:
    refresh(session, TODAY, months)
    rows, _total = listed(session, rule, per_page=100)
    return {row.child.given_name or "": row.alert.due_on for row in rows}


def step(session: Session, who: Child, sequence: int, kind: MovementKind, **fields: object) -> None:
    session.add(Movement(child_id=who.id, sequence=sequence, kind=kind, **fields))
    session.flush()


def test_conscription_risk_edges(db: Database) -> None:
    with db.session() as session:
        imposed = {"russian_citizenship_imposed": True}
        child(session, "Today", "2008-06-30", **imposed)  # turns 18 today
        child(session, "LastDay", "2009-06-29", **imposed)  # turns 18 in 364 days
        child(session, "OneYear", "2009-06-30", **imposed)  # in exactly 12 months: outside
        child(session, "Adult", "2008-06-29", **imposed)  # turned 18 yesterday
        child(session, "Month", "2008-06", **imposed)  # some day of June 2008 is today
        child(session, "Year", "2009", **imposed)  # turns 18 some day of 2027
        child(session, "NoPassport", "2008-12-01")
        child(session, "Home", "2008-12-01", status=ChildStatus.returned, **imposed)
        child(session, "Unknown", None, **imposed)
        assert found(session, AlertRule.conscription_risk) == {
            "Today": date(2026, 6, 30),
            "LastDay": date(2027, 6, 29),
            "Month": date(2026, 6, 30),
            "Year": date(2027, 1, 1),
        }


def test_military_training_is_about_the_last_recorded_facility(db: Database) -> None:
    with db.session() as session:
        training = Facility(
            name="Synthetic cadet camp", kind=FacilityKind.cadet_school, country="RU"
        )
        training.activities = [FacilityActivity(activity=Activity.military_training)]
        camp = Facility(
            name="Synthetic sanatorium", kind=FacilityKind.camp_sanatorium, country="RU"
        )
        session.add_all([training, camp])
        session.flush()
        there = child(session, "There", "2012-01-01")
        step(session, there, 1, MovementKind.transfer, facility_id=camp.id)
        step(
            session,
            there,
            2,
            MovementKind.transfer,
            facility_id=training.id,
            on_date=PartialDate.of(2025, 3),
        )
        moved_on = child(session, "MovedOn", "2012-01-01")
        step(session, moved_on, 1, MovementKind.transfer, facility_id=training.id)
        step(session, moved_on, 2, MovementKind.transfer, facility_id=camp.id)
        home = child(session, "Home", "2012-01-01", status=ChildStatus.reunited)
        step(session, home, 1, MovementKind.transfer, facility_id=training.id)
        refresh(session, TODAY, 6)
        rows, _ = listed(session, AlertRule.military_training)
        assert [(r.child.given_name, r.alert.due_on, r.facility) for r in rows] == [
            ("There", date(2025, 3, 1), training)
        ]


def test_no_sighting_for_n_months_edges(db: Database) -> None:
    with db.session() as session:
        located = {"status": ChildStatus.located}
        for name, seen in (("Stale", (2025, 12, 29)), ("Edge", (2025, 12, 30)), ("Fresh", None)):
            who = child(session, name, "2012-01-01", **located)
            day = PartialDate.of(*seen) if seen else PartialDate.of(2026, 5)
            step(session, who, 1, MovementKind.transfer, on_date=day)
        child(session, "NeverDated", "2012-01-01", **located)
        child(session, "Missing", "2012-01-01")  # not located: nothing to lose sight of
        listed_child = child(session, "InAList", "2012-01-01", **located)
        step(session, listed_child, 1, MovementKind.transfer, on_date=PartialDate.of(2024, 1, 1))
        source = make_source(session)
        session.add(
            Record(
                child_id=listed_child.id,
                source_id=source.id,
                source_ref="list-1",
                kind=RecordKind.camp_list,
                given_name="InAList",
                reported_on=PartialDate.of(2026, 3),
            )
        )
        session.flush()
        assert found(session, AlertRule.no_sighting) == {
            "Stale": date(2025, 12, 29),
            "NeverDated": None,
        }
        # The number of months is a setting: at 7 months "Stale" is still within it.
        assert found(session, AlertRule.no_sighting, months=7) == {"NeverDated": None}


def test_adoption_or_guardianship_in_russia(db: Database) -> None:
    with db.session() as session:
        child(session, "Flagged", "2015-01-01", adopted_or_guardianship_in_russia=True)
        moved = child(session, "Placed", "2015-01-01")
        step(session, moved, 1, MovementKind.adoption, on_date=PartialDate.of(2024, 9, 2))
        child(
            session,
            "Back",
            "2015-01-01",
            adopted_or_guardianship_in_russia=True,
            status=ChildStatus.returned,
        )
        assert found(session, AlertRule.adoption_in_russia) == {
            "Placed": date(2024, 9, 2),
            "Flagged": None,
        }


def test_a_rerun_replaces_the_previous_alerts(db: Database) -> None:
    with db.session() as session:
        who = child(session, "Flagged", "2015-01-01", adopted_or_guardianship_in_russia=True)
        assert found(session, AlertRule.adoption_in_russia) == {"Flagged": None}
        who.status = ChildStatus.returned
        session.flush()
        assert found(session, AlertRule.adoption_in_russia) == {}


def test_dashboard_counts_and_lists_for_caseworkers(db: Database, client: TestClient) -> None:
    with db.session() as session:
        make_user(session)
        child(session, "Flagged", "2015-01-01", adopted_or_guardianship_in_russia=True)
    assert client.get("/alerts", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/alerts").status_code == 401
    login(client)
    page = client.get("/alerts", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Adoption or guardianship recorded in Russia" in page.text
    assert "Flagged" in page.text
    body = client.get("/api/v1/alerts").json()
    assert body["counts"]["adoption_in_russia"] == 1
    items = client.get("/api/v1/alerts/adoption_in_russia").json()["items"]
    assert [item["name"] for item in items] == ["Синтетичний Flagged Миколайович"]
    assert client.get("/alerts/adoption_in_russia").status_code == 200
    assert client.get("/alerts/no_such_rule").status_code == 404


def test_analysts_see_counts_but_no_names(db: Database, client: TestClient) -> None:
    with db.session() as session:
        make_user(session, "analyst", role=RoleName.analyst)
        child(session, "Flagged", "2015-01-01", adopted_or_guardianship_in_russia=True)
    login(client, "analyst")
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "Flagged" not in page.text
    assert client.get("/alerts/adoption_in_russia").status_code == 403
    assert client.get("/api/v1/alerts/adoption_in_russia").status_code == 403
    assert client.get("/api/v1/alerts").json()["counts"]["adoption_in_russia"] == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_ridni_alerts_reports_in_the_terminal(db: Database) -> None:
    with db.session() as session:
        child(session, "Flagged", "2015-01-01", adopted_or_guardianship_in_russia=True)
    url = db.engine.url.render_as_string(hide_password=False)
    done = ridni(
        "alerts", "--as-of", "2026-06-30", env={"RIDNI_DATABASE_URL": url, "COLUMNS": "200"}
    )
    assert done.returncode == 0, done.stderr
    assert "adoption_in_russia │ 1" in done.stdout
    assert "Синтетичний Flagged" in done.stdout
    bad = ridni("alerts", "--as-of", "30.06.2026", env={"RIDNI_DATABASE_URL": url})
    assert bad.returncode == 4
    assert bad.stderr.startswith("error: unreadable date")
    for edge in ("9999-12-31", "0001-01-01"):  # a ValueError traceback from the rules' years
        far = ridni("alerts", "--as-of", edge, env={"RIDNI_DATABASE_URL": url})
        assert far.returncode == 4, far.stderr
        assert far.stderr == f"error: --as-of {edge} is outside 1900–2100 — check the year\n"
