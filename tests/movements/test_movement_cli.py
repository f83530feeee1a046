"""`ridni movements`: add, list, correct and withdraw from the terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.storage.engine import Database
from tests.helpers import make_child, make_source, make_user

runner = CliRunner()


@pytest.fixture
def child_id(db: Database, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("RIDNI_DATABASE_URL", db.url.render_as_string(hide_password=False))
    with db.session() as session:
        make_user(session)
        make_source(session)
        return make_child(session, born="2012-03-14").id


def test_movements_from_the_terminal(child_id: int) -> None:
    base = ["movements", "add", str(child_id), "--user", "caseworker"]
    later = runner.invoke(
        app, [*base, "--kind", "transfer", "--date", "2023-05", "--to", "Таганрог"]
    )
    assert later.exit_code == 0, later.output
    back = runner.invoke(app, [*base, "--kind", "return", "--date", "2023-01", "--to", "Херсон"])
    assert back.exit_code == 0 and "as step 2" in back.output
    assert "contradiction" in back.output and "dated before step 1" in back.output

    refused = runner.invoke(app, [*base, "--kind", "taken", "--date", "2099"])
    assert refused.exit_code == 4 and "in the future" in refused.output
    unknown = runner.invoke(app, [*base, "--kind", "transfer", "--facility", "999"])
    assert unknown.exit_code == 5 and "no facility with id 999" in unknown.output

    movement_id = back.output.split("movement #")[1].split()[0]
    fixed = runner.invoke(
        app,
        [
            "movements",
            "correct",
            movement_id,
            "--user",
            "caseworker",
            "--date",
            "2023-08",
            "--reason",
            "return list says August",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    assert "Corrected 1 field" in fixed.output and "contradiction" not in fixed.output
    stale = runner.invoke(
        app,
        [
            "movements",
            "withdraw",
            movement_id,
            "--user",
            "caseworker",
            "--version",
            "1",
            "--reason",
            "wrong child",
        ],
    )
    assert stale.exit_code == 6 and "changed by someone else" in stale.output
    gone = runner.invoke(
        app, ["movements", "withdraw", movement_id, "--user", "caseworker", "--reason", "wrong"]
    )
    assert gone.exit_code == 0, gone.output
    listed = runner.invoke(app, ["movements", "list", str(child_id)])
    assert "Таганрог" in listed.output and "Херсон" not in listed.output


def test_a_movement_that_says_neither_when_nor_where_is_refused(child_id: int) -> None:
    base = ["movements", "add", str(child_id), "--user", "caseworker", "--kind", "taken"]
    refused = runner.invoke(app, [*base, "--source", "1", "--notes", "a list"])
    assert refused.exit_code == 4, refused.output
    assert "at least a date, a place or a facility" in refused.output
    assert "taken" not in runner.invoke(app, ["movements", "list", str(child_id)]).output
    assert runner.invoke(app, [*base, "--from", "Херсон"]).exit_code == 0


@pytest.mark.parametrize(
    "extra",
    [
        ["correct", "--notes", "n", "--version", "2147483648"],
        ["withdraw", "--version", "99999999999999999999999"],
        ["correct", "--after", "10001"],
    ],
)
def test_a_version_or_step_past_its_column_is_a_usage_error_not_a_traceback(
    child_id: int, extra: list[str]
) -> None:
    # A version past PostgreSQL's INTEGER was a DataError traceback there (beyond 64 bits an
    # OverflowError on SQLite), a step past 10,000 a pydantic ValidationError on both.
    added = runner.invoke(
        app, ["movements", "add", str(child_id), "-u", "caseworker", "-k", "transfer", "--to", "X"]
    )
    movement_id = added.output.split("movement #")[1].split()[0]
    command, *options = extra
    result = runner.invoke(
        app, ["movements", command, movement_id, "-u", "caseworker", "--reason", "r", *options]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "less than or equal to" in result.output
