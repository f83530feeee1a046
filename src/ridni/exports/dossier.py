"""A child's dossier as a PDF, rendered offline with fpdf2 and the vendored DejaVu Sans
(Ukrainian and Russian need a Unicode font; no system font is used)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import IO

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy.orm import Session

from ridni import __version__
from ridni.exports.access import Exporter
from ridni.exports.archive import Produced, check_password, check_reason, package
from ridni.exports.dossier_data import DossierData, gather
from ridni.i18n import N_
from ridni.i18n import gettext_ as _
from ridni.labels import label

FONT = "DejaVu"
GREY = (90, 90, 90)


@dataclass
class DossierExport:
    produced: Produced
    child_id: int
    reason: str


class _Pdf(FPDF):
    def __init__(self, case_line: str) -> None:
        super().__init__(format="A4")
        self.case_line = case_line
        fonts = resources.files("ridni.exports") / "fonts"
        with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
            self.add_font(FONT, "", str(regular))
        with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            self.add_font(FONT, "B", str(bold))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(16, 16, 16)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, _("Confidential: personal data of a child"), new_x=XPos.LMARGIN)
        self.cell(0, 5, self.case_line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"Ridni {__version__}", new_x=XPos.LMARGIN)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 50:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)

    def para(self, text: str, size: float = 9) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        if not rows:
            self.para(_("None recorded."))
            return
        self.set_font(FONT, "", 8)
        with self.table(
            col_widths=widths, text_align="LEFT", line_height=4.5, first_row_as_headings=True
        ) as table:
            table.row(header)
            for row in rows:
                table.row(row)
        self.ln(2)


def _text(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def render(data: DossierData, exporter: Exporter, reason: str, at: datetime) -> bytes:
    child = data.child
    pdf = _Pdf(f"{_('Case')} {child.id}")
    pdf.set_title(f"Ridni dossier, case {child.id}")
    pdf.set_creator(f"Ridni {__version__}")
    pdf.set_creation_date(at)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, child.display_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.para(
        _("Dossier of case %(id)s, made %(at)s UTC by %(user)s. Reason: %(reason)s")
        % {
            "id": child.id,
            "at": f"{at:%Y-%m-%d %H:%M}",
            "user": exporter.username,
            "reason": reason,
        },
        8,
    )
    _identity(pdf, data)
    _records(pdf, data)
    _movements(pdf, data)
    _facilities(pdf, data)
    _history(pdf, data)
    _evidence(pdf, data)
    return bytes(pdf.output())


def _identity(pdf: _Pdf, data: DossierData) -> None:
    child = data.child
    pdf.heading(_("Identity"))
    born = f"{child.birth_date} ({label(child.birth_date.precision)})" if child.birth_date else None
    facts = [
        (_("Family name"), child.family_name),
        (_("Given name"), child.given_name),
        (_("Patronymic"), child.patronymic),
        (_("Sex"), label(child.sex) if child.sex else None),
        (_("Born"), born),
        (_("Birth place"), child.birth_place),
        (_("Oblast of origin"), child.origin_oblast),
        (_("Status"), label(child.status)),
        (
            _("Russian citizenship imposed"),
            _("yes") if child.russian_citizenship_imposed else _("no"),
        ),
        (
            _("Adoption or guardianship in Russia"),
            _("yes") if child.adopted_or_guardianship_in_russia else _("no"),
        ),
        (_("Consent to tracing"), _("yes") if child.consent_tracing else _("no")),
        (
            _("Consent to share with other organisations"),
            _("yes") if child.consent_share else _("no"),
        ),
        (_("Organisation"), data.organisation),
    ]
    pdf.grid([_("Field"), _("Value")], [[name, _text(v)] for name, v in facts], (60, 118))


def _records(pdf: _Pdf, data: DossierData) -> None:
    pdf.heading(_("Records"))
    pdf.para(_("What each source says, exactly as written."), 8)
    rows = [
        [
            f"{r.source.title} [{r.source.reliability.value}]",
            label(r.kind),
            r.display_name,
            label(r.name_script),
            _text(r.birth_date),
            _text(r.birth_place),
            _text(r.reported_on),
        ]
        for r in data.child.records
    ]
    header = [
        _("Source"),
        _("Kind"),
        _("Name as written"),
        _("Script"),
        _("Born"),
        _("Birth place"),
        _("Reported"),
    ]
    pdf.grid(header, rows, (34, 20, 40, 18, 20, 24, 22))


def _movements(pdf: _Pdf, data: DossierData) -> None:
    pdf.heading(_("Movements"))
    rows = []
    for m in data.child.movements:
        where = f"{m.facility.name} ({m.facility.country})" if m.facility else _text(m.to_place)
        rows.append(
            [
                str(m.sequence),
                _text(m.on_date),
                label(m.kind),
                _text(m.from_place),
                where,
                m.source.title if m.source else "—",
            ]
        )
    header = [_("Step"), _("Date"), _("Kind"), _("From"), _("To"), _("Source")]
    pdf.grid(header, rows, (12, 20, 28, 34, 46, 38))


def _facilities(pdf: _Pdf, data: DossierData) -> None:
    pdf.heading(_("Facilities"))
    rows = []
    for f in data.facilities:
        other = ", ".join(n.name for n in f.other_names)
        place = ", ".join(p for p in (f.settlement, f.territory, f.country) if p)
        activities = ", ".join(label(a.activity) for a in f.activities)
        active = f"{_text(f.active_from)} – {_text(f.active_to)}"
        rows.append(
            [
                f.name + (f" ({other})" if other else ""),
                label(f.kind),
                place,
                activities or "—",
                active,
                label(f.confidence),
            ]
        )
    header = [_("Name"), _("Kind"), _("Place"), _("Activities"), _("Active"), _("Confidence")]
    pdf.grid(header, rows, (42, 24, 34, 36, 22, 20))


def _history(pdf: _Pdf, data: DossierData) -> None:
    pdf.heading(_("Status history"))
    rows = [
        [
            f"{e.at:%Y-%m-%d %H:%M}",
            label(e.from_status) if e.from_status else "—",
            label(e.to_status),
            _text(e.reason),
        ]
        for e in data.child.status_events
    ]
    pdf.grid([_("When (UTC)"), _("From"), _("To"), _("Why")], rows, (30, 30, 30, 88))
    pdf.heading(_("Tracing requests"))
    rows = [
        [str(r.id), f"{r.created_at:%Y-%m-%d}", label(r.channel), label(r.status)]
        for r in data.requests
    ]
    pdf.grid([_("Request"), _("Opened"), _("Channel"), _("Status")], rows, (30, 40, 54, 54))
    pdf.heading(_("Returns"))
    rows = [[op.name, label(op.kind), _text(op.on_date)] for op in data.returns]
    pdf.grid([_("Name"), _("Kind"), _("Date")], rows, (90, 50, 38))


WHY = {
    "claim": N_("a claim about the child cites it"),
    "source": N_("from the source of a record or movement"),
    "facility": N_("about a facility the child was held at"),
}


def _evidence(pdf: _Pdf, data: DossierData) -> None:
    pdf.heading(_("Evidence"))
    if not data.evidence_shown:
        pdf.para(_("Evidence is listed only for roles that may read it."))
        return
    if not data.evidence:
        pdf.para(_("None recorded."))
        return
    pdf.para(_("SHA-256 of each original, as computed when it was collected."), 8)
    for linked in data.evidence:
        e = linked.evidence
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(
            0, 5, f"#{e.id} {e.title} ({label(e.kind)})", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        captured = f"{e.captured_at:%Y-%m-%d %H:%M} UTC" if e.captured_at else "—"
        pdf.para(
            f"{_('Grades')}: {e.reliability.value}{e.credibility.value} · "
            f"{_('Captured')}: {captured} · {_('Collector')}: {_text(e.collector)} · "
            + "; ".join(_(WHY[why]) for why in linked.why),
            8,
        )
        pdf.para(f"SHA-256: {_text(e.sha256)}", 8)
        for item in e.files:
            pdf.para(f"    {item.filename} ({label(item.role)}): {item.sha256}", 7)
        pdf.ln(1)


def export_dossier(
    session: Session,
    exporter: Exporter,
    child_id: int,
    *,
    password: str | None,
    reason: str | None,
    min_password: int,
    at: datetime | None = None,
) -> DossierExport:
    """A dossier always names the child: a reason and a password are always required."""
    checked_reason = check_reason(reason)
    secret = check_password(password, min_password)
    data = gather(session, child_id, exporter)
    when = at or datetime.now(UTC)
    body = render(data, exporter, checked_reason, when)

    def write(target: IO[bytes]) -> None:
        target.write(body)

    name = f"ridni-dossier-case-{child_id}-{when:%Y%m%d-%H%M%S}.pdf"
    produced = package(name, "application/pdf", write, secret)
    return DossierExport(produced, child_id, checked_reason)
