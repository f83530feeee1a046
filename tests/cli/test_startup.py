"""`ridni` starts without the web app: only `serve` and `demo` load it, when they start serving."""

from __future__ import annotations

import subprocess
import sys

WEB_LOADED = (
    "import ridni.cli.main, sys; "
    "print(any(m.startswith('ridni.web') or m.startswith('fastapi') for m in sys.modules))"
)
WHICH = (
    "import ridni.cli.main, sys; "
    "print(sorted(m for m in sys.modules if m.startswith(('ridni.web', 'fastapi', 'starlette'))))"
)


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_the_command_line_does_not_import_the_web_app() -> None:
    loaded = _python(WEB_LOADED)
    assert loaded == "False", f"imported by ridni.cli.main: {_python(WHICH)}"
