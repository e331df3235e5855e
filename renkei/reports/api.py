"""The annual report as JSON (CONTRACT: GET /api/v1/reports/annual?from_fy=2019&to_fy=2021)."""
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from renkei.core.access import require_role
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record

from . import cache as report_cache
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
    from_fy: int
    to_fy: int
    years: list[YearOut]


@router.get("/annual", response={200: ReportOut, 400: Detail, 403: Detail}, summary="The 8-item annual report")
def annual(request, from_fy: int, to_fy: int):
    """Per fiscal year, per item (ア)–(ク): the activity lines and the figures (counted from records,
    or historical figures with their source for years without records). At most 10 fiscal years."""
    require_role(request.user, "staff", "coordinator")
    check = check_report_range(from_fy, to_fy)
    if not check.ok:
        raise HttpError(400, " ".join(check.reasons))
    record(action=Action.EXPORT, request=request, object_type="reports.annual", object_id=f"{from_fy}-{to_fy}", detail="json")
    return HttpResponse(_report_json(from_fy, to_fy), content_type="application/json")


def cache_seconds():
    """REPORT_API_CACHE_SECONDS: how long the API's assembled report is reused (default 30; 0 turns it off).

    The cached report is keyed by the data version (reports/cache.py) that every write bumps, so a new
    record or an edited narrative line shows in the next call; the cache only spares concurrent and
    repeated readers the counting. The report pages always count afresh.
    """
    return settings.REPORT_API_CACHE_SECONDS


def _encode(from_fy, to_fy):
    """The report as the JSON body of the endpoint, checked against ReportOut once, when it is built."""
    return ReportOut.model_validate(build_report(from_fy, to_fy).as_dict()).model_dump_json().encode()


def _report_json(from_fy, to_fy):
    """The encoded report, from the cache when it was built less than cache_seconds() ago from the current
    data version (see reports/cache.py). It is kept
    encoded: validating and encoding the eight items × years for every call cost more than counting."""
    seconds = cache_seconds()
    if seconds <= 0:
        return _encode(from_fy, to_fy)
    key = f"reports:annual-json:{report_cache.version()}:{from_fy}:{to_fy}"
    body = cache.get(key)
    if body is None:
        body = _encode(from_fy, to_fy)
        cache.set(key, body, seconds)
    return body
