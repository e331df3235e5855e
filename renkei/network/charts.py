"""A small server-rendered SVG trend chart of a patient's vital signs (no JavaScript, no CDN)."""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.utils import timezone
from django.utils.html import escape

from .models import VitalSigns

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 320, 90, 34, 8, 12


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    unit: str
    colour: str


SERIES = [
    Series("systolic", "血圧（上）", "mmHg", "#b3261e"),
    Series("diastolic", "血圧（下）", "mmHg", "#e07a5f"),
    Series("pulse", "脈拍", "回/分", "#0b5cad"),
    Series("spo2", "SpO2", "%", "#1e7b34"),
    Series("temperature", "体温", "℃", "#8e44ad"),
    Series("weight", "体重", "kg", "#57606a"),
]
PANELS = [("血圧", ["systolic", "diastolic"]), ("脈拍", ["pulse"]), ("SpO2", ["spo2"]),
          ("体温", ["temperature"]), ("体重", ["weight"])]


class Panel(TypedDict):
    """One chart: its title and the SVG markup (escaped where it shows text)."""

    title: str
    svg: str


Value = int | Decimal | None


def _points(values: Sequence[Value], low: float, high: float) -> list[tuple[float, float, Value]]:
    span = (high - low) or 1
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(values) - 1, 1)
    points: list[tuple[float, float, Value]] = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = PAD_LEFT + i * step
        y = HEIGHT - PAD_Y - (float(value) - low) / span * (HEIGHT - 2 * PAD_Y)
        points.append((round(x, 1), round(y, 1), value))
    return points


def trend_panels(vitals: Sequence[VitalSigns]) -> list[Panel]:
    """One SVG (as a safe string) per measured quantity, newest on the right; empty list without data."""
    by_key = {s.key: s for s in SERIES}
    panels: list[Panel] = []
    for title, keys in PANELS:
        columns: dict[str, list[Value]] = {k: [getattr(v, k) for v in vitals] for k in keys}
        present = [float(x) for k in keys for x in columns[k] if x is not None]
        if not present:
            continue
        low, high = min(present), max(present)
        margin = max((high - low) * 0.15, 1)
        low, high = low - margin, high + margin
        parts = [
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" class="vitals-chart" '
            f'aria-label="{escape(title)}の推移">',
            f'<text x="2" y="12" font-size="10" fill="#57606a">{escape(title)}</text>',
            f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_RIGHT}" y2="{HEIGHT - PAD_Y}" stroke="#d0d7de"/>',
        ]
        for k in keys:
            series = by_key[k]
            points = _points(columns[k], low, high)
            if not points:
                continue
            path = " ".join(f"{x},{y}" for x, y, _ in points)
            parts.append(f'<polyline fill="none" stroke="{series.colour}" stroke-width="2" points="{path}"/>')
            for x, y, value in points:
                parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{series.colour}">'
                             f'<title>{escape(series.label)} {value}{escape(series.unit)}</title></circle>')
            last_x, last_y, last_value = points[-1]
            parts.append(f'<text x="{min(last_x, WIDTH - 30)}" y="{max(last_y - 5, 10)}" font-size="10" '
                         f'fill="{series.colour}">{last_value}</text>')
        if vitals:
            first = timezone.localtime(vitals[0].measured_at)
            last = timezone.localtime(vitals[-1].measured_at)
            parts.append(f'<text x="{PAD_LEFT}" y="{HEIGHT - 1}" font-size="9" fill="#57606a">{first:%m/%d}</text>')
            parts.append(f'<text x="{WIDTH - PAD_RIGHT - 24}" y="{HEIGHT - 1}" font-size="9" fill="#57606a">{last:%m/%d}</text>')
        parts.append("</svg>")
        panels.append({"title": title, "svg": "".join(parts)})
    return panels
