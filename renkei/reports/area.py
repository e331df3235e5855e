"""The area view: the figures of the area's cities (core.access.area_municipalities) side by side for one
fiscal year, for the 保健所 and the area's council.

Counts only: no names and no free text. Figures whose label carries a record's own words (an event's
title, under keys such as "records.training:12") are summed per family under fixed labels; narrative
lines and activity lines are not shown. Each city's figures follow the same city rules as its annual
report (docs/domain.md, "Reports per city"), and a city's pre-system (historical) figure stands in for
a family it has no records of, as in its report.

Queries: a fixed number whatever the number of cities (each part's `city_figures` groups by city).
"""
from dataclasses import dataclass, field

from renkei.core.access import area_municipalities
from renkei.core.dbrouting import replica_safe
from renkei.core.figures import ITEMS
from renkei.core.wareki import fiscal_year_label

from .models import HistoricalFigure
from .selectors import RECORDS_SOURCE, family
from .sources import collect_city_figures

HISTORICAL_SOURCE = "過去の集計"

# Figures kept per record (key "family:id", labelled with the record's title) become fixed sums per family.
SUMMED_FAMILIES = {
    "records.training": ("ka", "研修の参加者数（合計）", "名"),
    "records.training_accounts": ("ka", "研修のオンライン参加アカウント数（合計）", "アカウント"),
    "records.outreach": ("ki", "普及啓発の参加者数（合計）", "名"),
    "records.outreach_accounts": ("ki", "普及啓発のオンライン参加アカウント数（合計）", "アカウント"),
}
# ... and the number of such records (events held with their attendance).
COUNTED_FAMILIES = {
    "records.training": ("records.training.events", "ka", "研修の開催（参加者数の記録あり）", "回"),
    "records.outreach": ("records.outreach.events", "ki", "普及啓発の開催（参加者数の記録あり）", "回"),
}
# Figures of the records part appear only in years with records; their rows are known beforehand so that a
# city's historical figure can fill them.
RECORD_ROWS = {
    "records.council_meetings": ("i", "協議会の開催", "回"),
    "records.active_subcommittees": ("i", "活動した部会", "部会"),
    "records.subcommittee_meetings": ("i", "部会の開催", "回"),
    "records.consultations": ("o", "相談実績", "件"),
    "records.pamphlet_copies": ("ki", "パンフレットの配布", "部"),
    "records.regional_meetings": ("ku", "関係市区町村等との会議・情報交換", "回"),
}


@dataclass
class AreaValue:
    value: int
    source: str  # RECORDS_SOURCE or HISTORICAL_SOURCE

    @property
    def is_historical(self):
        return self.source == HISTORICAL_SOURCE

    def as_dict(self, city):
        return {"municipality": city.code, "value": self.value, "source": self.source}


@dataclass
class AreaRow:
    item: str
    key: str
    label: str
    unit: str
    values: list = field(default_factory=list)  # one AreaValue per city, in the table's city order


@dataclass
class AreaTable:
    fiscal_year: int
    cities: list  # core.Municipality, in the area's order
    rows: list

    @property
    def label(self):
        return fiscal_year_label(self.fiscal_year)

    def sections(self):
        """[(item title, rows)] in the order of the eight items, items without rows left out."""
        return [(title, [r for r in self.rows if r.item == item]) for item, title in ITEMS.items()
                if any(r.item == item for r in self.rows)]

    def as_dict(self):
        return {
            "fiscal_year": self.fiscal_year,
            "label": self.label,
            "municipalities": [{"code": c.code, "name": c.name} for c in self.cities],
            "rows": [
                {"item": r.item, "key": r.key, "label": r.label, "unit": r.unit,
                 "values": [v.as_dict(c) for v, c in zip(r.values, self.cities, strict=True)]}
                for r in self.rows
            ],
        }


def _city_values(figures):
    """{key: value} of one city's counted figures, record-level families summed under their family key,
    with (key -> (item, label, unit)) of every row they give."""
    values, rows = {}, {}
    for f in figures:
        fam, sep, _ident = f.key.partition(":")
        if not sep:
            values[f.key] = values.get(f.key, 0) + f.value
            rows[f.key] = (f.item, f.label, f.unit)
            continue
        if fam not in SUMMED_FAMILIES:
            continue  # a per-record figure of an unknown family: its label may hold free text
        values[fam] = values.get(fam, 0) + f.value
        rows[fam] = SUMMED_FAMILIES[fam]
        if fam in COUNTED_FAMILIES:
            key, item, label, unit = COUNTED_FAMILIES[fam]
            values[key] = values.get(key, 0) + 1
            rows[key] = (item, label, unit)
    return values, rows


def _historical(fiscal_year, cities):
    """{city id: {row key: value}} of the cities' historical figures (per-record ones summed per family)."""
    result = {c.pk: {} for c in cities}
    rows = HistoricalFigure.objects.filter(fiscal_year=fiscal_year, municipality__in=[c.pk for c in cities]).values(
        "municipality", "key", "value")
    for h in rows:
        fam, sep, _ = h["key"].partition(":")
        per_city = result[h["municipality"]]
        if sep and fam in SUMMED_FAMILIES:
            per_city[fam] = per_city.get(fam, 0) + h["value"]
            if fam in COUNTED_FAMILIES:
                key = COUNTED_FAMILIES[fam][0]
                per_city[key] = per_city.get(key, 0) + 1
        elif not sep:
            per_city[h["key"]] = h["value"]
    return result


@replica_safe("reports")  # counts only; a replica may answer (docs/scaling.md)
def area_table(fiscal_year, cities=None):
    """The area's cities side by side for one fiscal year; rows where every city counts 0 are left out."""
    cities = list(cities if cities is not None else area_municipalities())
    counted = collect_city_figures([fiscal_year], [c.pk for c in cities])
    historical = _historical(fiscal_year, cities)
    rows = {key: spec for key, spec in RECORD_ROWS.items()}
    values = {}
    for city in cities:
        city_values, city_rows = _city_values(counted[city.pk])
        values[city.pk] = city_values
        for key, spec in city_rows.items():
            rows.setdefault(key, spec)
    table_rows = []
    for key, (item, label, unit) in rows.items():
        row = AreaRow(item=item, key=key, label=label, unit=unit)
        for city in cities:
            recorded = values[city.pk].get(key, 0)
            # As in the city's report: records of a family win over its historical figures.
            has_records = any(family(k) == family(key) and v for k, v in values[city.pk].items())
            past = historical[city.pk].get(key)
            if not has_records and past is not None:
                row.values.append(AreaValue(past, HISTORICAL_SOURCE))
            else:
                row.values.append(AreaValue(recorded, RECORDS_SOURCE))
        if any(v.value for v in row.values):
            table_rows.append(row)
    order = list(ITEMS)
    table_rows.sort(key=lambda r: order.index(r.item))  # stable: the sources' order within an item
    return AreaTable(fiscal_year=fiscal_year, cities=cities, rows=table_rows)
