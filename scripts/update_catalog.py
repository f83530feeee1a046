"""Re-extract the interface strings and update the Ukrainian catalogue.

Run after changing any user-facing string:  python scripts/update_catalog.py
It extracts with Babel into src/ridni/locale/messages.pot, merges into uk/messages.po, fills in
the translations from scripts/uk_translations*.py, and lists strings that still lack one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "ridni" / "locale"
sys.path.insert(0, str(ROOT / "scripts"))

import importlib  # noqa: E402

# Every scripts/uk_translations*.py holds a part of the table (one per area of the app).
UK: dict[str, str | tuple[str, ...]] = {}
for part in sorted((ROOT / "scripts").glob("uk_translations*.py")):
    UK.update(importlib.import_module(part.stem).UK)


def main() -> int:
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "gettext_",
            "-k",
            "ngettext_:1,2",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(LOCALE / "messages.pot"),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with (LOCALE / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    po_path = LOCALE / "uk" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="uk")
    catalog.update(template, no_fuzzy_matching=True)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in UK:
            message.string = UK[key]
            message.flags.discard("fuzzy")
        else:
            missing.append(key)
    catalog.obsolete.clear()
    with po_path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
    for key in missing:
        print(f"missing Ukrainian translation: {key!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
