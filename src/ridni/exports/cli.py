"""`ridni export list` and `ridni export dossier`: the web app's exports from the command line,
with the same permissions, record scope, encryption and audit trail, as the user named."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ridni.cases.enums import ChildStatus
from ridni.cli.context import opened_database
from ridni.cli.ids import MAX_ID
from ridni.cli.output import err, out
from ridni.errors import InputError, NotFoundError, RidniError
from ridni.exports.formats import ListFormat
from ridni.output_file import check_output, writing_whole

if TYPE_CHECKING:  # the writers (openpyxl, fpdf, pyzipper) load when an export runs
    from sqlalchemy.orm import Session

    from ridni.exports.access import Exporter
    from ridni.exports.archive import Produced

UserOption = Annotated[
    str, typer.Option("--user", "-u", help="Your username: your role and scope apply, audited.")
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why, and for whom (required with personal data).")
]
PasswordFile = Annotated[
    Path | None,
    typer.Option("--password-file", help="File whose first line is the archive's password."),
]
PasswordEnv = Annotated[
    str | None,
    typer.Option("--password-env", help="Environment variable holding the archive's password."),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="File to write.")]


class NotPermitted(RidniError):
    exit_code = 6


def _exporter(session: Session, username: str, permission: str) -> Exporter:
    from sqlalchemy import select

    from ridni.accounts.models import User
    from ridni.exports.access import Exporter

    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None or not user.is_active:
        raise NotFoundError(f"no active user {username!r}", "see `ridni users list`")
    exporter = Exporter.of_user(user)
    if not exporter.may(permission):
        raise NotPermitted(f"{username}'s role may not do this ({permission})")
    return exporter


def _password(path: Path | None, variable: str | None) -> str | None:
    """Never an option's value: it would stay in the shell history and the process list."""
    if path is not None and variable is not None:
        raise InputError("give --password-file or --password-env, not both")
    if path is not None:
        return _first_line(path)
    if variable is not None:
        value = os.environ.get(variable)
        if value is None:
            raise InputError(f"the environment variable {variable} is not set")
        return value
    return None


def _first_line(path: Path) -> str:
    """The password file's first line, read no further: /dev/zero or a huge file given by
    mistake was read whole (until the machine ran out of memory). A byte-order mark (Windows
    Notepad) is not part of the password; a file not in UTF-8 is named, not a traceback."""
    from ridni.exports.archive import MAX_PASSWORD

    limit = MAX_PASSWORD * 4 + 8  # UTF-8 bytes of the longest password, a BOM and CR LF
    try:
        with path.open("rb") as handle:
            line = handle.readline(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if len(line) > limit:
        raise InputError(
            f"the first line of {path} is too long for a password",
            f"put the password, at most {MAX_PASSWORD} characters, on the file's first line",
        )
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{path} is not a text file in UTF-8", "save the password as UTF-8 text"
        ) from None
    return text.rstrip("\r\n")


def _report(produced: Produced, out_file: Path, rows: int | None = None) -> None:
    with produced.body, writing_whole(out_file) as handle:  # closed even if interrupted
        for chunk in produced.chunks():
            handle.write(chunk)
    counted = f"{rows} rows, " if rows is not None else ""
    if produced.encrypted:
        out.print(
            f"Wrote {out_file}: an AES-256 encrypted ZIP archive holding {produced.inner_name} "
            f"({counted}SHA-256 {produced.sha256}). It opens only with your password.",
            soft_wrap=True,
        )
    else:
        out.print(
            f"Wrote {out_file} ({counted}no personal data, not encrypted; "
            f"SHA-256 {produced.sha256}).",
            soft_wrap=True,
        )


def register(export_app: typer.Typer) -> None:
    @export_app.command("list")
    def export_list_command(
        fields: Annotated[
            str, typer.Option("--fields", "-f", help="Comma-separated; see `ridni export fields`.")
        ],
        out_file: OutOption,
        user: UserOption,
        status: Annotated[ChildStatus | None, typer.Option("--status")] = None,
        oblast: Annotated[str | None, typer.Option("--oblast", help="Oblast of origin.")] = None,
        organisation: Annotated[
            int | None, typer.Option("--organisation", min=1, max=MAX_ID, help="Organisation id.")
        ] = None,
        facility: Annotated[
            int | None,
            typer.Option("--facility", min=1, max=MAX_ID, help="Was at this facility (id)."),
        ] = None,
        format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.csv,
        reason: ReasonOption = "",
        password_file: PasswordFile = None,
        password_env: PasswordEnv = None,
    ) -> None:
        """Chosen fields of the children in your scope, as CSV or XLSX; encrypted when the
        fields include names or places."""
        from ridni.cases.service import Filters
        from ridni.exports.audit import LIST_ACTION, list_detail, record_export
        from ridni.exports.lists import ListRequest, export_list

        check_output(out_file, [password_file] if password_file else [])
        password = _password(password_file, password_env)
        filters = Filters(
            status=status, oblast=oblast, organisation_id=organisation, facility_id=facility
        )
        with opened_database() as (settings, db), db.session() as session:
            exporter = _exporter(session, user, "export.lists")
            export = export_list(
                session,
                exporter,
                ListRequest(fields.split(","), filters, format, password, reason),
                min_password=settings.export_password_min_length,
            )
            detail = list_detail(export, filters, exporter)
            record_export(session, exporter, LIST_ACTION, detail, export.reason)
            _report(export.produced, out_file, export.rows)

    @export_app.command("dossier")
    def export_dossier_command(
        child_id: Annotated[int, typer.Argument(min=1, max=MAX_ID, help="The child's id.")],
        out_file: OutOption,
        user: UserOption,
        reason: ReasonOption = "",
        password_file: PasswordFile = None,
        password_env: PasswordEnv = None,
    ) -> None:
        """A child's PDF dossier in an AES-256 encrypted ZIP archive."""
        from ridni.exports.audit import DOSSIER_ACTION, dossier_detail, record_export
        from ridni.exports.dossier import export_dossier

        check_output(out_file, [password_file] if password_file else [])
        password = _password(password_file, password_env)
        with opened_database() as (settings, db), db.session() as session:
            exporter = _exporter(session, user, "export.dossier")
            export = export_dossier(
                session,
                exporter,
                child_id,
                password=password,
                reason=reason,
                min_password=settings.export_password_min_length,
            )
            detail = dossier_detail(export, exporter)
            record_export(session, exporter, DOSSIER_ACTION, detail, export.reason, child_id)
            _report(export.produced, out_file)

    @export_app.command("fields")
    def export_fields_command() -> None:
        """The fields a list export can hold; personal ones need names.read and a password."""
        from ridni.exports.fields import FIELDS

        for field in FIELDS.values():
            mark = "  personal" if field.personal else ""
            out.print(f"{field.name}{mark}")
        err.print("Personal fields make the export an encrypted ZIP and need a reason.")
