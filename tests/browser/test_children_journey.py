"""A caseworker in Chromium: log in, search across scripts, open a child's page.

Runs `ridni serve` as a real process on a loopback port against a synthetic database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from translitua import RussianInternationalPassport, translit

from ridni.demo.dataset import Dataset
from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade
from tests.browser.conftest import screenshot
from tests.helpers import PASSWORD, TEST_KEYS, make_user
from tests.servers import Server, free_port, running

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(300, seed=21)


@pytest.fixture(scope="module")
def server(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'ridni.sqlite3'}"
    db = open_database(url, keyring=TEST_KEYS)
    upgrade(db)
    load_dataset(db, dataset)
    with db.session() as session:
        make_user(session, organisation="Demo NGO [SYNTHETIC]")
    db.dispose()
    port = free_port()
    with running("serve", "--port", str(port), env={"RIDNI_DATABASE_URL": url}) as started:
        yield started


def _russian_spelled_child(dataset: Dataset) -> tuple[str, str, str]:
    """A child a Russian list names in Russian Cyrillic: (child id, family-side name, query)."""
    children = {c.child_id: c for c in dataset.children}
    rows = {row.record_id: row for row in dataset.registry}
    reported = {r.child_id for r in dataset.records if r.side == "family"}
    for truth in dataset.records:
        variants = truth.variants.split(";")
        if (
            truth.side == "registry"
            and truth.linked
            and truth.child_id in reported
            and "russian_cyrillic" in variants
            and not {"typo", "names_swapped", "surname_initial", "adoption_surname"} & set(variants)
        ):
            row = rows[truth.record_id]
            child = children[truth.child_id]
            if row.given_name != child.given_name:  # Russified, e.g. Олександр → Александр
                query = translit(
                    f"{row.given_name} {row.family_name}", RussianInternationalPassport
                )
                return truth.child_id, f"{child.family_name} {child.given_name}", query
    raise AssertionError("the synthetic set has no Russian-spelled child")


def test_search_in_latin_finds_the_child_and_its_page_shows_sources_and_path(
    server: Server, browser: object, dataset: Dataset
) -> None:
    _child_id, family_side, query = _russian_spelled_child(dataset)
    page = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]
    page.goto(f"{server.url}/children")
    assert "/login" in page.url
    page.fill("#username", "caseworker")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/children")
    assert page.locator("table.list tbody tr").count() == 50  # the first page
    screenshot(page, "children-list.png", full_page=False)

    page.fill("#q", query)  # e.g. "Aleksandr Shevchenko" for a child reported as Олександр
    page.press("#q", "Enter")
    row = page.locator("table.list tbody tr", has_text=family_side)
    row.first.wait_for()
    assert page.locator("#result-count").inner_text().split()[0].isdigit()

    row.first.locator("a").click()
    page.wait_for_selector("h1")
    assert family_side in page.locator("h1").inner_text()
    records = page.locator("#records-table tbody tr")
    assert records.count() >= 2
    assert "Family reports" in page.locator("#records-table").inner_text()
    assert page.locator("#movement-timeline li").count() >= 2
    assert "Taken" in page.locator("#movement-timeline").inner_text()
    screenshot(page, "child-page.png")

    page.click("a[lang=uk]")
    page.wait_for_selector("html[lang=uk]")
    assert "Записи" in page.locator("#records").inner_text()
    page.close()


def test_live_search_updates_results_without_reloading(server: Server, browser: object) -> None:
    page = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]
    page.goto(f"{server.url}/login")
    page.fill("#username", "caseworker")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/children")
    page.evaluate("window.__marker = 'same page'")
    page.type("#q", "zzzz-nobody", delay=20)
    page.wait_for_selector(".empty")
    assert page.evaluate("window.__marker") == "same page", "htmx swapped the results in place"
    assert "q=zzzz-nobody" in page.url
    page.close()
