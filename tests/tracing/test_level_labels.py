"""The matching engine's agreement levels read as plain words in the reader's language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ridni.i18n import set_language
from ridni.linkage.fields import COMPARISONS
from ridni.storage.engine import Database
from ridni.tracing.level_labels import level_label
from tests.helpers import csrf_token, login, make_user
from tests.tracing.conftest import REPORT

CYRILLIC = re.compile("[а-яіїєґ]", re.IGNORECASE)
# The engine's own names for its columns: never shown to a caseworker.
COLUMN_NAMES = re.compile(r"_key|_sk|_id|Jaro-Winkler|all other comparisons")


@pytest.mark.parametrize(
    ("field", "level"),
    [(c.name, level.label) for c in COMPARISONS for level in c.levels],
)
def test_every_level_the_engine_can_produce_has_words(field: str, level: str) -> None:
    try:
        set_language("en")
        english = level_label(field, level)
        set_language("uk")
        ukrainian = level_label(field, level)
    finally:
        set_language("en")
    assert not COLUMN_NAMES.search(english), english
    assert CYRILLIC.search(ukrainian) and ukrainian != english, (level, ukrainian)


def test_unknown_levels_are_read_by_pattern_or_shown_as_they_are() -> None:
    try:
        set_language("uk")
        assert level_label("birth_place", "birth places within 12.5 km") == (
            "місця в межах 12.5 км одне від одного"
        )
        assert level_label("given_name", "given_xx similar (Jaro-Winkler ≥ 0.7)") == (
            "схоже написання"
        )
        assert level_label("sex", "sex_code missing") == "невідомо в одному із записів"
        assert level_label("sex", "some future level") == "some future level"
    finally:
        set_language("en")


def test_the_comparison_page_reads_in_ukrainian(
    client: TestClient, db: Database, registry: dict[str, int]
) -> None:
    with db.session() as session:
        make_user(session)
    login(client)
    form = {**REPORT, "csrf_token": csrf_token(client, "/tracing/new")}
    assert client.post("/tracing/new", data=form).status_code == 200
    location = client.get("/review/next", follow_redirects=False).headers["location"]
    client.cookies.set("ridni_lang", "uk")
    page = client.get(location).text
    table = page.split('id="side-by-side"', 1)[1].split("</table>", 1)[0]
    assert "те саме ім’я (будь-якою мовою чи письмом)" in table
    assert "те саме прізвище (будь-яким письмом)" in table
    assert "те саме місце (під будь-якою з його назв)" in table
    english = {level.label for c in COMPARISONS for level in c.levels}
    shown = set(re.findall(r"<td>([^<]*)</td>\s*<td class=\"num\">", table))
    assert shown and not shown & english, shown & english
    assert all(CYRILLIC.search(text) or text == "—" for text in shown), shown
