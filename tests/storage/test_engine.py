"""A database that cannot be used fails with one clear message, whatever the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ridni.errors import DatabaseError
from ridni.storage.engine import create_database_engine, open_database


def test_an_unreachable_server_is_named_without_its_password() -> None:
    with pytest.raises(DatabaseError) as failure:
        open_database(
            "postgresql+psycopg://ridni:s3cret@127.0.0.1:1/ridni",
            connect_args={"connect_timeout": 2},
        )
    message = str(failure.value)
    assert "cannot connect to postgresql+psycopg://ridni:***@127.0.0.1:1/ridni" in message
    assert "s3cret" not in message
    assert "RIDNI_DATABASE_URL" in message


def test_a_corrupted_sqlite_file_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "ridni.sqlite3"
    broken.write_bytes(b"this is not an SQLite database" * 100)
    with pytest.raises(DatabaseError, match="is not a usable SQLite database"):
        open_database(f"sqlite:///{broken}")


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'nowhere' / 'ridni.sqlite3'}")


@pytest.mark.parametrize("url", ["not a url", "mysql://localhost/ridni", "oracle://x/y"])
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(DatabaseError):
        open_database(url)


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    engine = create_database_engine("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.dialect.driver == "psycopg"
