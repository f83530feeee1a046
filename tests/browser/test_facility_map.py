"""The facility map in Chromium with every non-loopback request blocked: no tile server, no CDN.

Markers must render from the package's own Leaflet and Natural Earth borders, and a click on one
opens the facility's page.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from ridni.demo.generator import generate
from ridni.demo.loader import load_dataset
from ridni.storage.engine import open_database
from ridni.storage.migrate import upgrade
from tests.browser.conftest import screenshot
from tests.helpers import PASSWORD, TEST_KEYS, make_user
from tests.servers import Server, free_port, running

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("map")
    url = f"sqlite:///{folder / 'ridni.sqlite3'}"
    db = open_database(url, keyring=TEST_KEYS)
    upgrade(db)
    load_dataset(db, generate(120, seed=11))
    with db.session() as session:
        make_user(session, organisation="Demo NGO [SYNTHETIC]")
    db.dispose()
    with running("serve", "--port", str(free_port()), env={"RIDNI_DATABASE_URL": url}) as started:
        yield started


def test_markers_render_offline_and_open_the_facility(server: Server, browser: object) -> None:
    blocked: list[str] = []
    errors: list[str] = []
    page = browser.new_page(locale="en-GB")  # type: ignore[attr-defined]

    def guard(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        host = urlparse(request.url).hostname or ""
        if request.url.startswith("data:") or host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server.url}/login")
    page.fill("#username", "caseworker")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/children")
    page.goto(f"{server.url}/facilities/map")
    page.wait_for_selector("#facility-map[data-markers]")
    page.wait_for_selector("path.border-ua")
    page.locator(".facility-marker, .marker-cluster").first.wait_for()
    total = int(page.locator("#facility-map").get_attribute("data-markers") or 0)
    assert total >= 12
    screenshot(page, "facility-map.png", full_page=False)

    # (Polled through locators: the page's CSP forbids the eval wait_for_function needs.)
    the_map = page.locator("#facility-map")
    page.select_option("#map-kind", "cadet_school")
    sync_api.expect(the_map).not_to_have_attribute("data-markers", str(total))
    assert int(the_map.get_attribute("data-markers") or 0) < total
    page.select_option("#map-kind", "")
    sync_api.expect(the_map).to_have_attribute("data-markers", str(total))

    # Zoom until single markers show, then click one: it opens its facility page.
    while page.locator(".facility-marker").count() == 0:
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    page.locator(".facility-marker").first.click()
    page.wait_for_url("**/facilities/*")
    assert page.locator("h1").inner_text()
    assert "[SYNTHETIC]" in page.locator("h1").inner_text()

    # Leaflet's own controls speak the page's language (the vendored Leaflet is English).
    page.context.add_cookies([{"name": "ridni_lang", "value": "uk", "url": server.url}])
    page.goto(f"{server.url}/facilities/map")
    zoom_in = page.locator(".leaflet-control-zoom-in")
    sync_api.expect(zoom_in).to_have_attribute("title", "Збільшити")
    sync_api.expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute(
        "title", "Зменшити"
    )
    credit = page.locator(".leaflet-control-attribution a").first
    sync_api.expect(credit).to_have_attribute(
        "title", "Бібліотека JavaScript для інтерактивних карт"
    )
    page.close()
    assert blocked == [], blocked
    assert not [e for e in errors if "Content Security Policy" in e], errors
