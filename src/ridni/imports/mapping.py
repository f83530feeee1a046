"""Which column of a list holds which field of a record: a YAML file, or the import page's form.

# mapping.yaml
kind: camp_list          # what the list is (record kinds: camp_list, adoption_listing, …)
sheet: Лист1             # XLSX only; the first sheet by default
consent_share: true      # may other organisations see these records (default: yes,
                         # except family reports)
columns:
  source_ref: "№"        # the row's identity in the list (re-imports add nothing);
                         # without it a row is identified by its content
  family_name: Прізвище
  given_name: Ім'я
  patronymic: По батькові
  sex: Стать
  birth_date: Дата народження
  birth_place: Місце народження
  reported_on: Дата запису
  details: [Заклад, Примітки]   # several columns are joined
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ridni.cases.models import RecordKind
from ridni.errors import InputError
from ridni.i18n import N_

FIELDS = (
    "source_ref",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "reported_on",
    "details",
)
# Header words that give a column away, in the languages lists come in (lower case).
GUESSES: dict[str, tuple[str, ...]] = {
    "source_ref": ("№", "no", "n", "id", "record_id", "номер", "#", "row", "ref"),
    "family_name": ("прізвище", "фамилия", "family_name", "surname", "last name", "last_name"),
    "given_name": ("ім'я", "імʼя", "ім’я", "имя", "given_name", "first name", "first_name", "name"),
    "patronymic": ("по батькові", "по-батькові", "отчество", "patronymic", "middle name"),
    "sex": ("стать", "пол", "sex", "gender"),
    "birth_date": (
        "дата народження",
        "дата рождения",
        "birth_date",
        "date of birth",
        "born",
        "д.н.",
        "дн",
    ),
    "birth_place": ("місце народження", "место рождения", "birth_place", "place of birth"),
    "reported_on": ("дата", "дата запису", "дата записи", "reported_on", "date", "listed on"),
    "details": ("примітки", "примечание", "примечания", "notes", "details", "заклад", "учреждение"),
}


@dataclass(slots=True)
class Mapping:
    columns: dict[str, list[str]] = field(default_factory=dict)
    kind: RecordKind = RecordKind.camp_list
    sheet: str | None = None
    consent_share: bool | None = None

    @property
    def shares(self) -> bool:
        if self.consent_share is not None:
            return self.consent_share
        return self.kind is not RecordKind.family_report

    def check(self, header: list[str], file_name: str) -> None:
        missing = [c for names in self.columns.values() for c in names if c not in header]
        if missing:
            raise InputError(
                f"{file_name} has no column(s) {', '.join(repr(c) for c in missing)}",
                f"its columns are: {', '.join(repr(h) for h in header if h)}",
            )
        if not (self.columns.get("family_name") or self.columns.get("given_name")):
            raise InputError(
                N_("the mapping names no column for family_name or given_name"),
                N_("map at least one name column"),
            )

    def as_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "kind": self.kind.value,
            "sheet": self.sheet,
            "consent_share": self.shares,
        }


def _names(value: object, where: str) -> list[str]:
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    raise InputError(f"{where}: give a column name or a list of column names")


def mapping_from(data: object, where: str) -> Mapping:
    """A mapping from parsed YAML (or a form), with one clear line for anything wrong."""
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a mapping with a 'columns' section")
    unknown = set(data) - {"columns", "kind", "sheet", "consent_share"}
    if unknown:
        raise InputError(
            f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}",
            "known keys: columns, kind, sheet, consent_share",
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise InputError(f"{where}: 'columns' must map record fields to column names")
    bad = [str(name) for name in columns if name not in FIELDS]
    if bad:
        raise InputError(
            f"{where}: unknown field(s) {', '.join(bad)}", f"fields: {', '.join(FIELDS)}"
        )
    try:
        kind = RecordKind(data.get("kind", RecordKind.camp_list.value))
    except ValueError:
        raise InputError(
            f"{where}: unknown kind {data.get('kind')!r}",
            f"kinds: {', '.join(k.value for k in RecordKind)}",
        ) from None
    sheet = data.get("sheet")
    share = data.get("consent_share")
    if share is not None and not isinstance(share, bool):
        raise InputError(f"{where}: consent_share must be true or false")
    return Mapping(
        columns={name: _names(value, f"{where}, {name}") for name, value in columns.items()},
        kind=kind,
        sheet=str(sheet) if sheet is not None else None,
        consent_share=share,
    )


MAX_MAPPING_BYTES = 1_000_000  # a mapping is a few hundred bytes


def load_mapping(path: Path) -> Mapping:
    import yaml

    try:
        with path.open("rb") as handle:  # bounded: /dev/zero given by mistake hung forever
            raw = handle.read(MAX_MAPPING_BYTES + 1)
        if len(raw) > MAX_MAPPING_BYTES:
            raise InputError(
                f"{path} is not a mapping: it is over {MAX_MAPPING_BYTES:,} bytes",
                "give the YAML file naming the list's columns (docs/import.md)",
            )
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text", "save the mapping as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}{where}: not valid YAML") from None
    return mapping_from(data, str(path))


def guess(header: list[str]) -> dict[str, str]:
    """A first guess at the mapping from the header's words (the page lets people correct it)."""
    found: dict[str, str] = {}
    for column in header:
        key = column.strip().lower().replace("’", "'")
        for name, words in GUESSES.items():
            if name not in found and key in words:
                found[name] = column
                break
    return found
