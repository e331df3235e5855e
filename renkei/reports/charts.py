"""Server-rendered inline SVG charts (no JavaScript, no CDN)."""
from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#0b5cad", "#e07b00", "#1e7b34", "#b3261e", "#6f42c1", "#00838f", "#8d6e63", "#c2185b", "#546e7a", "#9e9d24",
           "#5d4037", "#3949ab", "#7cb342", "#f4511e"]


def stacked_bars(*, title, categories, series, unit=""):
    """A stacked bar chart: categories (e.g. fiscal years) on x, series = [(label, [values per category])]."""
    series = [(label, values) for label, values in series if any(values)]
    width, height, left, bottom, top = 640, 300, 56, 36, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    peak = max(totals + [1])
    step = _nice_step(peak)
    peak = step * -(-peak // step)
    band = plot_w / max(1, len(categories))
    bar_w = min(60, band * 0.6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for tick in range(0, int(peak) + 1, int(step)):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:,}</text>')
    for i, category in enumerate(categories):
        x = left + band * i + (band - bar_w) / 2
        y = top + plot_h
        for s, (label, values) in enumerate(series):
            if not values[i]:
                continue
            h = plot_h * values[i] / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                f"<title>{escape(category)} {escape(label)}: {values[i]:,}{escape(unit)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - plot_h * totals[i] / peak - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{totals[i]:,}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" data-colour="{PALETTE[s % len(PALETTE)]}"></span>{escape(label)}</li>'
        for s, (label, _) in enumerate(series)
    )
    return mark_safe(f'<figure class="chart"><figcaption>{escape(title)}</figcaption>{"".join(parts)}<ul class="legend">{legend}</ul></figure>')


def _nice_step(peak):
    raw = peak / 5
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude
