"""An occupancy chart as plain SVG: no script, no inline style, no network."""

from __future__ import annotations

from markupsafe import Markup, escape

from ridni.movements.occupancy import Month

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30


def occupancy_svg(months: list[Month], title: str) -> Markup:
    """Bars per month; year labels under January (and the first month)."""
    if not months:
        return Markup("")
    peak = max(m.children for m in months) or 1
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / len(months)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + inner_h}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + inner_h}" text-anchor="end">0</text>',
    ]
    for index, month in enumerate(months):
        height = inner_h * month.children / peak
        x = LEFT + index * step
        label = f"{month.start:%Y-%m}: {month.children}"
        parts.append(
            f'<rect class="bar" x="{x + step * 0.1:.1f}" y="{TOP + inner_h - height:.1f}" '
            f'width="{max(step * 0.8, 1):.1f}" height="{height:.1f}" '
            f'data-month="{month.start:%Y-%m}" data-children="{month.children}">'
            f"<title>{escape(label)}</title></rect>"
        )
        if month.start.month == 1 or index == 0:
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 8}">{month.start.year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated text is escaped above)
