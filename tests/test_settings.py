"""Settings: defaults, environment, clear errors, and documentation of every one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridni.cli.main import app
from ridni.errors import ConfigurationError
from ridni.settings import Settings, env_name, known_variables, load_settings

DOCS = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"^\| `(RIDNI_[A-Z_]+)`", DOCS.read_text(), flags=re.M))
    documented = {name for name in documented if not name.startswith("RIDNI_TEST_")}
    assert set(known_variables()) - documented == set(), "undocumented settings"
    assert documented - set(known_variables()) == set(), "documented settings that do not exist"


def test_the_embedded_database_lives_in_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.resolved_data_dir == tmp_path / "data"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'ridni.sqlite3'}"


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("RIDNI_PAGE_SIZE=25\nRIDNI_PORT=9000\n")
    monkeypatch.setenv("RIDNI_PORT", "9100")  # the environment wins over .env
    settings = load_settings()
    assert (settings.page_size, settings.port) == (25, 9100)


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIDNI_PORT", "eighty")
    with pytest.raises(ConfigurationError) as failure:
        load_settings()
    assert "RIDNI_PORT='eighty'" in str(failure.value)
    assert "docs/settings.md" in str(failure.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RIDNI_PORT", "70000"),
        ("RIDNI_DEFAULT_LANGUAGE", "ru"),
        ("RIDNI_LOG_LEVEL", "chatty"),
        ("RIDNI_COOKIE_SECURE", "sometimes"),
        ("RIDNI_AUTO_UPGRADE", "perhaps"),
    ],
)
def test_values_out_of_range_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()


def test_a_misspelt_variable_is_refused_with_a_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIDNI_DATABSE_URL", "sqlite:///elsewhere.db")
    with pytest.raises(ConfigurationError, match="did you mean RIDNI_DATABASE_URL"):
        load_settings()


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.port = 1  # type: ignore[misc]


def _odd_values() -> list[tuple[str, str]]:
    """Every number, yes/no and choice setting with values a person or a script may give it:
    empty, a word, a negative, zero, infinity, not-a-number, an Arabic-Indic digit, a number
    of 30 digits (past ~10^12 minutes a timedelta overflows on every request)."""
    cases = []
    for field, info in Settings.model_fields.items():
        kind = str(info.annotation)
        if "int" in kind or "float" in kind:
            values = ["abc", "-1", "1e309", "NaN", "inf", "٣", "9" * 30]
            values += ["", "0"] if field not in ("linkage_threads", "import_process_from") else []
        elif "bool" in kind:
            values = ["", "abc", "-1", "2", "NaN", "٣"]
        elif "Language" in kind or "CookieSecurity" in kind or field == "log_level":
            values = ["", "abc", "0", "٣", "EN-gb"]
        else:
            continue
        cases += [(env_name(field), value) for value in values]
    return cases


@pytest.mark.parametrize(("name", "value"), _odd_values())
def test_odd_values_are_refused_in_one_line_that_says_what_is_expected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as failure:
        load_settings()
    message = str(failure.value)
    assert message.startswith(f"invalid setting {name}=")
    assert re.search(
        r": (expected (a whole number|a number|true or false|one of)|must be)", message
    )
    assert "\n" not in message and len(message) < 200, message
    assert failure.value.exit_code == 2


def test_a_nul_in_dotenv_is_refused_for_numbers_and_text(tmp_path: Path) -> None:
    """A NUL cannot be in the environment, but can be in .env: a path or an address holding
    one failed later in a traceback."""
    for line, expected in (
        ("RIDNI_PORT=80\0", "RIDNI_PORT='80\\x00': expected a whole number from 1 to 65535"),
        ("RIDNI_HOST=a\0b", "RIDNI_HOST='a\\x00b': must not contain control characters"),
        ("RIDNI_KEY_FILE=/tmp/a\0b", "RIDNI_KEY_FILE='/tmp/a\\x00b': must not contain"),
    ):
        (tmp_path / ".env").write_text(line + "\n")
        with pytest.raises(ConfigurationError) as failure:
            load_settings()
        assert expected in str(failure.value)


def test_empty_means_the_default_only_where_documented_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An empty RIDNI_KEY_FILE was the current directory (not keys.json in the data
    directory, as documented), an empty RIDNI_LINKAGE_THREADS an error (not all cores); an
    empty data directory or address was the current directory and every interface."""
    for name in ("RIDNI_KEY_FILE", "RIDNI_LINKAGE_THREADS", "RIDNI_DATABASE_URL"):
        monkeypatch.setenv(name, "")
    settings = load_settings()
    assert settings.resolved_key_file == tmp_path / "data" / "keys.json"
    assert settings.linkage_threads is None and settings.database_url is None
    for name in ("RIDNI_DATA_DIR", "RIDNI_HOST"):
        monkeypatch.setenv(name, " ")
        with pytest.raises(ConfigurationError, match=f"{name}=' ': must not be empty"):
            load_settings()
        monkeypatch.delenv(name)


def test_a_long_bad_value_is_quoted_cut_and_a_secret_not_at_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RIDNI_PAGE_SIZE", "9" * 100_000)
    with pytest.raises(ConfigurationError) as failure:
        load_settings()
    assert "RIDNI_PAGE_SIZE='999" in str(failure.value) and len(str(failure.value)) < 200
    monkeypatch.setenv("RIDNI_PAGE_SIZE", "50")
    monkeypatch.setenv("RIDNI_KEYS", "secret\x1bkey")
    with pytest.raises(ConfigurationError) as failure:
        load_settings()
    assert "RIDNI_KEYS=(value not shown): must not contain control characters" in str(failure.value)
    assert "secret" not in str(failure.value)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("RIDNI_SESSION_IDLE_MINUTES", "9" * 30, "expected a whole number from 1 to 10080"),
        ("RIDNI_IMPORT_BATCH_SIZE", "-1", "expected a whole number from 1 to 100000"),
        ("RIDNI_IMPORT_AUTO_LINK", "NaN", "expected a number from 0.5 to 1.0"),
        ("RIDNI_AUTO_UPGRADE", "", "expected true or false"),
        ("RIDNI_COOKIE_SECURE", "٣", "expected one of auto, always, never"),
    ],
)
def test_the_cli_ends_a_bad_setting_in_one_line_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["users", "list"])
    assert result.exit_code == 2, result.output
    line = " ".join(result.output.split())
    assert line.startswith(f"error: invalid setting {name}="), line
    assert expected in line
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["", " , ", "pdf;png", "pdf,*", "pdf,p df"])
def test_evidence_types_must_name_extensions(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """An empty list accepted no evidence at all; an empty entry ("pdf, ,png") accepted files
    without an extension; "pdf;png" named an extension no file has."""
    monkeypatch.setenv("RIDNI_EVIDENCE_TYPES", value)
    with pytest.raises(ConfigurationError) as failure:
        load_settings()
    assert "RIDNI_EVIDENCE_TYPES" in str(failure.value)
    assert "must be file name extensions separated by commas" in str(failure.value)


def test_evidence_types_are_read_as_the_store_compares_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RIDNI_EVIDENCE_TYPES", " PDF, .png ,,jpg ")
    assert load_settings().evidence_extensions == frozenset({"pdf", "png", "jpg"})
