"""Public API of the directory: search and one facility (no token needed)."""
from datetime import datetime

from django.http import Http404, QueryDict
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from renkei.core.dbrouting import replica_reads

from . import selectors
from .caching import cached
from .presenters import hours_by_day
from .taxonomy import capability_label

router = Router(tags=["directory"])


class FacilityItem(Schema):
    id: int
    name: str
    name_kana: str
    kind: str
    kind_label: str
    address: str
    lat: float | None
    lon: float | None
    municipality: str
    municipality_code: str
    town: str
    phone: str
    accepting_new: bool | None
    capabilities: list[str]
    distance_m: int | None = None
    is_fictional: bool
    status: str


class FacilityList(Schema):
    count: int
    items: list[FacilityItem]


class ServiceOut(Schema):
    code: str
    name: str
    active: bool


class HoursOut(Schema):
    day: str
    times: list[str]


class FacilityDetail(FacilityItem):
    services: list[ServiceOut]
    hours: list[HoursOut]
    capability_labels: list[str]
    url: str
    vacancies: int | None
    accepting_confirmed_on: str | None
    last_confirmed_on: str | None
    source_date: str | None
    updated_at: datetime
    attribution: list[str]


class SearchQuery(Schema):
    q: str = ""
    kind: str = ""
    municipality: str = ""
    town: str = ""
    capability: str = ""
    weekday: str = ""
    accepting: str = ""
    near: str = ""
    area: str = ""
    language: str = ""
    lat: str = ""
    lon: str = ""
    radius_m: str = ""
    limit: int = 20
    offset: int = 0


def _item(f):
    p = f.profile
    return {
        "id": f.pk, "name": f.name, "name_kana": f.name_kana, "kind": f.kind, "kind_label": f.get_kind_display(),
        "address": f.address, "lat": f.lat, "lon": f.lon, "municipality": f.municipality.name,
        "municipality_code": f.municipality.code, "town": p.town, "phone": f.phone, "accepting_new": p.accepting_new,
        "capabilities": [c.code for c in f.capabilities.all()], "distance_m": getattr(f, "distance_m", None),
        "is_fictional": f.is_fictional, "status": p.status,
    }


@router.get("/facilities", response=FacilityList, auth=None, summary="Search the resource directory (public)")
def search_facilities(request, filters: Query[SearchQuery]):
    """Free text, kind, municipality, 町丁目, capability, weekday, accepting; lat+lon+radius_m sorts by distance.

    The whole area by default; `municipality` (a code or a name of a city of the area) narrows it to one city.
    """
    if not (1 <= filters.limit <= selectors.MAX_PER_PAGE) or filters.offset < 0:
        raise HttpError(400, f"limit は 1〜{selectors.MAX_PER_PAGE}、offset は 0 以上で指定してください。")
    data = QueryDict(mutable=True)
    for key, value in filters.dict().items():
        if key not in {"limit", "offset"} and value not in ("", None):
            data[key] = str(value)
    try:
        params = selectors.parse_params(data)
    except selectors.SearchError as error:
        raise HttpError(400, str(error))

    def compute():
        result = selectors.search(params, per_page=filters.limit, offset=filters.offset)
        return {"count": result.total, "items": [_item(f) for f in result.items]}

    with replica_reads("directory"):
        return cached("api-list", list(filters.dict().items()), compute)


@router.get("/facilities/{facility_id}", response=FacilityDetail, auth=None, summary="One directory entry (public)")
def get_facility(request, facility_id: int):
    """Everything the public detail page shows, with services, hours and the dates of confirmation."""
    def compute():
        f = selectors.facility_detail(facility_id)
        if f is None:
            return None
        p = f.profile
        from .attribution import ATTRIBUTION

        return {
            **_item(f),
            "services": [{"code": s.code, "name": s.name, "active": s.is_active} for s in f.directory_services.all()],
            "hours": [{"day": day, "times": times} for day, times in hours_by_day(f.directory_schedules.all())],
            "capability_labels": [capability_label(c.code) for c in f.capabilities.all()],
            "url": p.url, "vacancies": p.vacancies,
            "accepting_confirmed_on": p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else None,
            "last_confirmed_on": p.last_confirmed_on.isoformat() if p.last_confirmed_on else None,
            "source_date": p.source_date.isoformat() if p.source_date else None,
            "updated_at": f.updated_at, "attribution": ATTRIBUTION,
        }

    with replica_reads("directory"):
        body = cached("api-detail", [("id", facility_id)], compute)
    if body is None:
        raise Http404
    return body
