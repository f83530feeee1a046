"""Write docs/permissions.md from the permission matrix in src/ridni/security/matrix.py."""

from __future__ import annotations

from pathlib import Path

from ridni.security.matrix import markdown

TARGET = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"

if __name__ == "__main__":
    TARGET.write_text(markdown(), encoding="utf-8")
    print(f"wrote {TARGET}")
