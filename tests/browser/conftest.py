"""What every browser test shares: Debian's Chromium, one per test module, and the screenshots
the documentation shows (taken when RIDNI_TEST_SCREENSHOTS is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import unavailable

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


def screenshot(page: object, name: str, *, full_page: bool = True) -> None:
    """docs/screenshots/<name>, when RIDNI_TEST_SCREENSHOTS asks for them."""
    if os.environ.get("RIDNI_TEST_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)  # type: ignore[attr-defined]
