"""Charts for the public statistics as plain SVG: no script, no inline style, no network.

A hidden (suppressed) value is drawn as no bar with a note, never as zero: "fewer than 5 or
hidden to protect another count" is not the same as "none".
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

Bar = tuple[str, int | None]

ROW_HEIGHT, LABEL_WIDTH, WIDTH = 26, 230, 720


def horizontal_bars(bars: Sequence[Bar], title: str, hidden_note: str, chart_id: str) -> Markup:
    """One labelled bar per row, longest scale at the largest shown value."""
    if not bars:
        return Markup("")
    peak = max((value for _, value in bars if value), default=1)
    plot = WIDTH - LABEL_WIDTH - 70
    height = ROW_HEIGHT * len(bars) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stats-chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 5 + index * ROW_HEIGHT
        parts.append(
            f'<text class="tick" x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(
                f'<text class="tick hidden-value" x="{LABEL_WIDTH}" y="{y + 17}">'
                f"{escape(hidden_note)}</text>"
            )
            continue
        width = plot * value / peak if peak else 0
        parts.append(
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{max(width, 0.5):.1f}" '
            f'height="{ROW_HEIGHT - 8}"><title>{escape(label)}: {value}</title></rect>'
            f'<text class="tick" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated text is escaped above)


def monthly_columns(bars: Sequence[Bar], title: str, chart_id: str) -> Markup:
    """Months left to right; hidden months are gaps marked with a small dash on the axis."""
    if not bars:
        return Markup("")
    height, left, bottom, top = 200, 40, 30, 10
    inner_w, inner_h = WIDTH - left - 10, height - top - bottom
    peak = max((value for _, value in bars if value), default=1)
    step = inner_w / len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart stats-chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line class="axis" x1="{left}" y1="{top + inner_h}" x2="{WIDTH - 10}" '
        f'y2="{top + inner_h}"/>',
        f'<text class="tick" x="{left - 6}" y="{top + 10}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 6}" y="{top + inner_h}" text-anchor="end">0</text>',
    ]
    previous_year = ""
    for index, (month, value) in enumerate(bars):
        x = left + index * step
        if value is None:
            parts.append(
                f'<line class="hidden-mark" x1="{x + step * 0.2:.1f}" y1="{top + inner_h - 3}" '
                f'x2="{x + step * 0.8:.1f}" y2="{top + inner_h - 3}"/>'
            )
        else:
            bar_h = inner_h * value / peak if peak else 0
            parts.append(
                f'<rect class="bar" x="{x + step * 0.1:.1f}" y="{top + inner_h - bar_h:.1f}" '
                f'width="{max(step * 0.8, 1):.1f}" height="{bar_h:.1f}">'
                f"<title>{escape(month)}: {value}</title></rect>"
            )
        year = month[:4]
        if year != previous_year:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 8}">{escape(year)}</text>')
            previous_year = year
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated text is escaped above)
