"""The annual report assembled from every part's figures, the historical figures and the narrative lines."""
import re
from dataclasses import dataclass, field

from renkei.core.dbrouting import replica_safe
from renkei.core.figures import ITEMS
from renkei.core.wareki import fiscal_year_label

from .models import HistoricalFigure, ReportLine
from .sources import collect_activities, collect_figures

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.:\-]+)\}")
RECORDS_SOURCE = "記録から集計"
MISSING = "（記録なし）"


def family(key):
    """Figures of one kind share a family: 'records.training:12' and 'records.training:r1-lecture'."""
    return key.split(":", 1)[0]


@dataclass
class ReportFigure:
    key: str
    label: str
    value: int
    unit: str
    source: str  # RECORDS_SOURCE, or the historical figure's source

    @property
    def text(self):
        return f"{self.label} {self.value:,}{self.unit}"

    def as_dict(self):
        return {"key": self.key, "label": self.label, "value": self.value, "unit": self.unit, "source": self.source}


@dataclass
class Cell:
    fiscal_year: int
    item: str
    activities: list[str] = field(default_factory=list)
    figures: list[ReportFigure] = field(default_factory=list)


@dataclass
class Report:
    fiscal_years: list[int]
    cells: dict  # (fy, item) -> Cell
    municipality: object = None  # the core.Municipality whose records it counts
    counted: list = field(default_factory=list)  # every figure counted from records, zeros included

    @property
    def year_labels(self):
        return [fiscal_year_label(fy) for fy in self.fiscal_years]

    @property
    def years(self):
        return list(zip(self.fiscal_years, self.year_labels, strict=True))

    def rows(self):
        """One row per item, with its cells in fiscal-year order (the layout of 資料2)."""
        return [
            {"item": item, "title": title, "cells": [self.cells[(fy, item)] for fy in self.fiscal_years]}
            for item, title in ITEMS.items()
        ]

    @property
    def municipality_name(self):
        return self.municipality.name if self.municipality is not None else ""

    def as_dict(self):
        return {
            "municipality": self.municipality.code if self.municipality is not None else "",
            "municipality_name": self.municipality_name,
            "from_fy": self.fiscal_years[0],
            "to_fy": self.fiscal_years[-1],
            "years": [
                {
                    "fiscal_year": fy,
                    "label": fiscal_year_label(fy),
                    "items": [
                        {
                            "item": item,
                            "title": title,
                            "activities": self.cells[(fy, item)].activities,
                            "figures": [f.as_dict() for f in self.cells[(fy, item)].figures],
                        }
                        for item, title in ITEMS.items()
                    ],
                }
                for fy in self.fiscal_years
            ],
        }

    def figure(self, fy, key):
        for item in ITEMS:
            for f in self.cells[(fy, item)].figures:
                if f.key == key:
                    return f
        return None


def _figures_by_cell(fiscal_years, municipality, cache_seconds=0):
    """One city's figures counted from records, and its historical figures only where no records of their
    family exist."""
    every = collect_figures(fiscal_years, municipality, cache_seconds=cache_seconds)
    counted = [f for f in every if f.value]
    activities = collect_activities(fiscal_years, municipality)
    recorded_families = {(f.fiscal_year, family(f.key)) for f in counted}
    recorded_families |= {(a.fiscal_year, family(a.key)) for a in activities}
    cells = {}
    for f in counted:
        cells.setdefault((f.fiscal_year, f.item), []).append(ReportFigure(f.key, f.label, f.value, f.unit, RECORDS_SOURCE))
    historical = HistoricalFigure.objects.filter(fiscal_year__in=fiscal_years, municipality=municipality).order_by(
        "fiscal_year", "item", "id")
    for h in historical:
        if (h.fiscal_year, family(h.key)) not in recorded_families:
            cells.setdefault((h.fiscal_year, h.item), []).append(ReportFigure(h.key, h.label, h.value, h.unit, h.source))
    return cells, activities, every


@replica_safe("reports")  # counts only; a replica may answer (docs/scaling.md)
def build_report(from_fy, to_fy, municipality, *, cache_seconds=0):
    """One city's 8 items × fiscal years report (`municipality`: a core.Municipality); the range must have
    passed rules.check_report_range. Only that city's records, historical figures and lines count.
    `cache_seconds` > 0 reuses each figure source's counts while nothing it reads was written (the API)."""
    fiscal_years = list(range(from_fy, to_fy + 1))
    figures, activities, every = _figures_by_cell(fiscal_years, municipality, cache_seconds)
    by_year_key = {}
    for (fy, _item), figs in figures.items():
        for f in figs:
            by_year_key[(fy, f.key)] = f
    lines = {}
    approved = ReportLine.objects.filter(fiscal_year__in=fiscal_years, approved=True, municipality=municipality)
    for line in approved.order_by("order", "id"):
        lines.setdefault((line.fiscal_year, line.item), []).append(line.text)
    cells = {}
    for fy in fiscal_years:
        for item in ITEMS:
            cell = Cell(fy, item)
            used = set()
            for text in lines.get((fy, item), []):
                cell.activities.append(_fill(text, fy, by_year_key, used))
            cell.activities += [a.text for a in activities if a.fiscal_year == fy and a.item == item]
            cell.figures = figures.get((fy, item), [])
            cell.activities += _figure_lines(cell.figures, used)
            cells[(fy, item)] = cell
    return Report(fiscal_years=fiscal_years, cells=cells, municipality=municipality, counted=every)


def figure_choices(report, fy):
    """{item: [(key, text)]}: every figure a line of `fy` may cite (counted ones, zeros included, and the
    historical ones), labelled in Japanese with this year's value; what the figure picker offers."""
    choices = {}
    for item in ITEMS:
        figures = {f.key: f for f in report.cells[(fy, item)].figures}
        for f in report.counted:
            if f.fiscal_year == fy and f.item == item:
                figures.setdefault(f.key, ReportFigure(f.key, f.label, f.value, f.unit, RECORDS_SOURCE))
        choices[item] = [(f.key, f"{f.label}（{_value_text(f)}）") for f in figures.values()]
    return choices


def _value_text(figure):
    return f"{figure.value:,}{figure.unit}" if figure.value else "記録なし"


def fill_line(report, fy, text):
    """A narrative line as the report prints it: each {key} replaced by the figure's value."""
    by_year_key = {(fy, f.key): f for item in ITEMS for f in report.cells[(fy, item)].figures}
    return _fill(text, fy, by_year_key, set())


def breakdown_parent(key, keys):
    """'network.registered_members' for 'network.registered_members.physician' when that figure exists."""
    parent = key.rsplit(".", 1)[0]
    return parent if parent != key and parent in keys else None


def _part_label(label, total_label):
    """'医師' from 'ICT連携登録数（医師）' under 'ICT連携登録数'; one pair of brackets removed, inner ones kept."""
    part = label.removeprefix(total_label).strip()
    if part.startswith("（") and part.endswith("）"):
        part = part[1:-1]
    return part or label


def _figure_lines(figures, used):
    """The lines of the figures no narrative line cites: 'label value unit'. A breakdown (key = another
    figure's key + '.part') joins its total's line; an online event's accounts join its persons."""
    keys = {f.key for f in figures}
    by_key = {f.key: f for f in figures}
    parts = {}
    for f in figures:
        parent = breakdown_parent(f.key, keys)
        if parent:
            parts.setdefault(parent, []).append(f)
    lines = []
    for f in figures:
        if f.key in used or breakdown_parent(f.key, keys):
            continue
        fam, _, ident = f.key.partition(":")
        if fam.endswith("_accounts") and f"{fam[: -len('_accounts')]}:{ident}" in by_key:
            continue
        accounts = by_key.get(f"{fam}_accounts:{ident}") if ident else None
        if accounts is not None:
            line = f"{f.label} {accounts.value:,}{accounts.unit}、{f.value:,}{f.unit}"
        else:
            line = f.text
        if parts.get(f.key):
            line += "（" + "、".join(f"{_part_label(p.label, f.label)} {p.value:,}" for p in parts[f.key]) + "）"
        lines.append(line)
    return lines


def _fill(text, fy, by_year_key, used):
    def replace(match):
        f = by_year_key.get((fy, match.group(1)))
        if f is None:
            return MISSING
        used.add(f.key)
        return f"{f.value:,}"

    return PLACEHOLDER.sub(replace, text)
