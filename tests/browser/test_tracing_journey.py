"""The journey that matters most, in Chromium against a real `ridni serve`:
a family reports → a caseworker finds the child in a Russian-spelled camp list, compares the
records side by side and confirms → the family's private link says "Located"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.evidence.models import SourceKind
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade
from tests.browser.conftest import screenshot
from tests.helpers import PASSWORD, TEST_KEYS, make_record, make_source, make_user
from tests.servers import Server, free_port, running

pytestmark = pytest.mark.browser
INTAKE = "Demo NGO [SYNTHETIC]"

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("journey")
    url = f"sqlite:///{folder / 'ridni.sqlite3'}"
    db = open_database(url, keyring=TEST_KEYS)
    upgrade(db)
    load_dataset(db, generate(200, seed=5))  # distractors: 200 synthetic children
    with db.session() as session:
        make_user(session, organisation=INTAKE)
        camp = make_source(
            session, "Список детей: ДОЛ «Ромашка», Анапа [SYNTHETIC]", kind=SourceKind.camp_list
        )
        make_record(
            session,
            None,
            camp,
            "Александр",
            "Шевченко",
            "Николаевич",
            born="2012-03",
            birth_place="Херсон",
            source_ref="romashka-17",
            consent_share=True,
        )
    db.dispose()
    env = {
        "RIDNI_DATABASE_URL": url,
        "RIDNI_INTAKE_ORGANISATION": INTAKE,
        "RIDNI_DATA_DIR": str(folder / "data"),
    }
    with running("serve", "--port", str(free_port()), env=env) as started:
        yield started


def test_report_match_confirm_and_the_family_sees_located(server: Server, browser: object) -> None:
    family = browser.new_page(locale="uk-UA")  # type: ignore[attr-defined]
    family.goto(f"{server.url}/report")
    family.fill("#family_name", "Шевченко")
    family.fill("#given_name", "Олександр")
    family.fill("#patronymic", "Миколайович")
    family.select_option("#sex", "M")
    family.fill("#birth_day", "14")
    family.fill("#birth_month", "3")
    family.fill("#birth_year", "2012")
    family.fill("#birth_place", "Херсон")
    family.fill("#taken_from", "Херсон")
    family.fill("#taken_year", "2022")
    family.fill("#inquirer_name", "Марія Шевченко (synthetic)")
    family.select_option("#inquirer_relation", "mother")
    family.fill("#inquirer_contact", "+380 00 000 0000")
    family.check("#consent_tracing")
    screenshot(family, "report-form.png")
    family.click("button[type=submit]")
    link = family.locator("#status-link").get_attribute("href")
    assert link and "/status/" in link
    family.goto(link)
    assert family.locator("#family-status-1").inner_text() == "Отримано"

    caseworker = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]
    caseworker.goto(f"{server.url}/review")
    caseworker.fill("#username", "caseworker")
    caseworker.fill("#password", PASSWORD)
    caseworker.click("button[type=submit]")
    caseworker.wait_for_url(f"{server.url}/review")
    first = caseworker.locator("#queue-table tbody tr").first
    assert "Александр" in first.inner_text() and "Олександр" in first.inner_text()
    screenshot(caseworker, "review-queue.png")
    first.locator("a").click()
    caseworker.wait_for_selector("#side-by-side")
    table = caseworker.locator("#side-by-side").inner_text()
    assert "Олександр" in table and "Александр" in table and "Миколайович" in table
    assert "Date of birth" in table
    screenshot(caseworker, "compare-side-by-side.png")
    caseworker.fill("#reason", "same month of birth and town; mother's description")
    caseworker.click("#confirm")
    caseworker.wait_for_url(f"{server.url}/review/next")

    family.reload()
    assert family.locator("#family-status-1").inner_text() == "Місцеперебування встановлено"
    family.click("a[lang=en]")
    family.wait_for_selector("html[lang=en]")
    assert family.locator("#family-status-1").inner_text() == "Located"
    screenshot(family, "family-status.png")
    assert "Шевченко" not in family.content()
    family.close()
    caseworker.close()
