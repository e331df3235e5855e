"""The annual report as JSON (CONTRACT: GET /api/v1/reports/annual?municipality=13203&from_fy=2019&to_fy=2021)
and the area's cities side by side (GET /api/v1/reports/area?fy=2021)."""
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from renkei.core.access import choose_municipality, require_role
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record

from . import cache as report_cache
from .area import area_table
from .rules import check_report_range
from .selectors import build_report

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    label: str
    value: int
    unit: str
    source: str


class ItemOut(Schema):
    item: str
    title: str
    activities: list[str]
    figures: list[FigureOut]


class YearOut(Schema):
    fiscal_year: int
    label: str
    items: list[ItemOut]


class ReportOut(Schema):
    municipality: str  # the city's code (全国地方公共団体コード)
    municipality_name: str
    from_fy: int
    to_fy: int
    years: list[YearOut]


@router.get(
    "/annual", response={200: ReportOut, 400: Detail, 403: Detail, 404: Detail}, summary="One city's 8-item annual report"
)
def annual(request, from_fy: int, to_fy: int, municipality: str | None = None):
    """One city's report: per fiscal year, per item (ア)–(ク), the activity lines and the figures (counted
    from that city's records, or its historical figures with their source for years without records).
    At most 10 fiscal years. `municipality` (a city code) defaults to the caller's only city; a city the
    caller does not act for answers 404, and a caller of several cities must name one (422)."""
    require_role(request.user, "staff", "coordinator")
    check = check_report_range(from_fy, to_fy)
    if not check.ok:
        raise HttpError(400, " ".join(check.reasons))
    city = choose_municipality(request.user, municipality)
    record(action=Action.EXPORT, request=request, object_type="reports.annual",
           object_id=f"{city.code}:{from_fy}-{to_fy}", detail="json")
    return HttpResponse(_report_json(city, from_fy, to_fy), content_type="application/json")


class AreaValueOut(Schema):
    municipality: str
    value: int
    source: str


class AreaRowOut(Schema):
    item: str
    key: str
    label: str
    unit: str
    values: list[AreaValueOut]


class CityOut(Schema):
    code: str
    name: str


class AreaOut(Schema):
    fiscal_year: int
    label: str
    municipalities: list[CityOut]
    rows: list[AreaRowOut]


@router.get("/area", response={200: AreaOut, 400: Detail, 403: Detail}, summary="The area's cities side by side")
def area(request, fy: int):
    """The figures of the area's six cities for one fiscal year, side by side: counts only, no names and no
    free text. Open to every municipal staff member and coordinator (of any city of the area)."""
    require_role(request.user, "staff", "coordinator")
    check = check_report_range(fy, fy)
    if not check.ok:
        raise HttpError(400, " ".join(check.reasons))
    record(action=Action.READ, request=request, object_type="reports.area", object_id=str(fy), detail="json")
    return area_table(fy).as_dict()


def cache_seconds():
    """REPORT_API_CACHE_SECONDS: how long the API's assembled report is reused (default 30; 0 turns it off).

    The cached report is keyed by the data version (reports/cache.py) that every write bumps, so a new
    record or an edited narrative line shows in the next call; the cache only spares concurrent and
    repeated readers the counting. The report pages always count afresh.
    """
    return settings.REPORT_API_CACHE_SECONDS


def _encode(city, from_fy, to_fy, seconds=0):
    """The report as the JSON body of the endpoint, checked against ReportOut once, when it is built; its
    sources' counts reused for `seconds` while nothing they read was written (reports/sources.py)."""
    report = build_report(from_fy, to_fy, city, cache_seconds=seconds)
    return ReportOut.model_validate(report.as_dict()).model_dump_json().encode()


def _report_json(city, from_fy, to_fy):
    """The encoded report, from the cache when it was built less than cache_seconds() ago from the current
    data version (see reports/cache.py), one entry per city and range. It is kept
    encoded: validating and encoding the eight items × years for every call cost more than counting."""
    seconds = cache_seconds()
    if seconds <= 0:
        return _encode(city, from_fy, to_fy)
    key = report_cache.report_key(city, from_fy, to_fy)
    body = cache.get(key)
    if body is None:
        body = _encode(city, from_fy, to_fy, seconds)
        cache.set(key, body, seconds)
    return body
