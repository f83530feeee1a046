"""Settings: defaults, environment, clear errors, and documentation of every one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ridni.errors import ConfigurationError
from ridni.settings import Settings, known_variables, load_settings

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
