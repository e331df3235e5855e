"""Reads of the directory: the search (text, filters, distance), detail, staff lists. Fixed query counts.

The directory spans the area: a search covers every city of RENKEI_AREA_MUNICIPALITY_CODES unless it
names one (`municipality`, a code or a name), on the search page, the map data and the API alike.
"""
import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from renkei.core.models import Facility, FacilityKind, Municipality

from . import geo, places
from .models import (
    ChangeRequest,
    ChangeStatus,
    DirectoryStatus,
    FacilityCapability,
    FacilityProfile,
    Schedule,
    Service,
    ServiceArea,
)
from .taxonomy import CAPABILITIES

DEFAULT_RADIUS_M = 3000
MAX_RADIUS_M = 50_000
PER_PAGE = 20
MAX_PER_PAGE = 100
MAP_LIMIT = 5000
STALE_AFTER_DAYS = 365


class SearchError(ValueError):
    """Search parameters that cannot be answered (message in Japanese).

    `field` names the form field the message belongs next to; `candidates` are the places a 「近く」
    text may mean when it names several (places.Place).
    """

    def __init__(self, message, *, field="", candidates=()):
        super().__init__(message)
        self.field = field
        self.candidates = tuple(candidates)


@dataclass
class SearchParams:
    q: str = ""
    kinds: list = field(default_factory=list)
    municipality: str = ""
    town: str = ""
    capabilities: list = field(default_factory=list)
    weekday: int | None = None
    accepting: bool = False
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None
    near: str = ""
    near_label: str = ""  # the place 「近く」 resolved to (「吉祥寺駅」 for 「きちじょうじ」)
    area: str = ""
    language: str = ""
    include_closed: bool = False

    @property
    def point(self):
        return (self.lat, self.lon) if self.lat is not None else None


def _float(name, value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name}は数値で指定してください。")
    if not math.isfinite(number):
        raise SearchError(f"{name}は数値で指定してください。")
    return number


def parse_params(data):
    """SearchParams from a query dict (GET parameters or API arguments); raises SearchError."""
    get = data.get
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: [v for v in [data.get(k)] if v])
    params = SearchParams(q=(get("q") or "").strip()[:200])
    kinds = [k for value in getlist("kind") for k in str(value).split(",") if k]
    unknown = [k for k in kinds if k not in FacilityKind.values]
    if unknown:
        raise SearchError(f"不明な種別です：{'、'.join(unknown)}")
    params.kinds = kinds
    params.municipality = municipality_code(get("municipality"))
    params.town = (get("town") or "").strip()
    params.area = (get("area") or "").strip()[:100]
    params.language = (get("language") or "").strip()[:50]
    caps = [c for value in getlist("capability") for c in str(value).split(",") if c]
    unknown = [c for c in caps if c not in CAPABILITIES]
    if unknown:
        raise SearchError(f"不明な機能です：{'、'.join(unknown)}")
    params.capabilities = caps
    weekday = get("weekday")
    if weekday not in (None, ""):
        if str(weekday) not in {str(n) for n in range(1, 9)}:
            raise SearchError("曜日は 1（月）〜 7（日）、8（祝）で指定してください。")
        params.weekday = int(weekday)
    params.accepting = str(get("accepting") or "").lower() in {"1", "true", "on", "yes"}
    params.include_closed = str(get("include_closed") or "").lower() in {"1", "true", "on", "yes"}
    lat, lon = get("lat"), get("lon")
    if (lat in (None, "")) != (lon in (None, "")):
        raise SearchError("緯度（lat）と経度（lon）は両方指定してください。")
    if lat not in (None, ""):
        params.lat, params.lon = _float("緯度", lat), _float("経度", lon)
        if not (-90 <= params.lat <= 90 and -180 <= params.lon <= 180):
            raise SearchError("緯度・経度の範囲が正しくありません。")
    params.near = (get("near") or "").strip()[:200]
    if params.near and params.point is None:
        place = resolve_near(params.near)
        params.lat, params.lon, params.near_label = place.lat, place.lon, place.label
    radius = get("radius_m")
    if radius not in (None, ""):
        value = _float("半径", radius)
        if not (0 < value <= MAX_RADIUS_M):
            raise SearchError(f"半径（radius_m）は 1〜{MAX_RADIUS_M} メートルで指定してください。")
        if params.point is None:
            raise SearchError("半径を指定するときは位置（lat・lon または町名）も指定してください。")
        params.radius_m = int(value)
    elif params.point is not None:
        params.radius_m = DEFAULT_RADIUS_M
    return params


def facility_places(text, limit=300):
    """(name, address, lat, lon) of open facilities of the area with a position whose search key holds `text`."""
    key = geo.normalise(text)
    if not key:
        return []
    return list(Facility.objects.filter(
        profile__search_key__contains=key, profile__status=DirectoryStatus.OPEN,
        municipality__code__in=area_codes(), lat__isnull=False, lon__isnull=False,
    ).order_by("name_kana", "pk").values_list("name", "address", "lat", "lon")[:limit])


def resolve_near(text):
    """The place of a 「近く」 text (town, address, station, city hall, facility); raises SearchError."""
    resolution = places.resolve(text)
    if resolution.place is None:  # the facilities are asked only when the shipped places do not settle it
        resolution = places.resolve(text, facility_places(text))
    if resolution.place is not None:
        return resolution.place
    if resolution.candidates:
        raise SearchError(f"「{text}」に当てはまる場所が複数あります。下の候補から選んでください。",
                          field="near", candidates=resolution.candidates)
    raise SearchError(f"「{text}」の位置が分かりません。圏域の駅名・町名（丁目）・住所・市役所・施設名で指定してください。",
                      field="near")


def area_codes():
    return list(settings.RENKEI_AREA_MUNICIPALITY_CODES)


def municipality_code(value):
    """The code of the one city of the area a search asks for, "" for the whole area; raises SearchError.

    Takes a code (「13204」) or a name, with or without its suffix (「三鷹市」, 「三鷹」). A code of the area
    needs no query; a name needs one.
    """
    value = str(value or "").strip()
    if not value:
        return ""
    codes = area_codes()
    if value in codes:
        return value
    cities = Municipality.objects.filter(code__in=codes)
    by_name = {m.name: m.code for m in cities} | {m.name[:-1]: m.code for m in cities if len(m.name) > 2}
    if value in by_name:
        return by_name[value]
    names = "、".join(m.name for m in sorted(cities, key=lambda m: codes.index(m.code)))
    raise SearchError(f"市区町村は{names}のいずれか（名称または団体コード）で指定してください。")


def _filtered(params):
    """Facilities matching every filter except kind (so that counts per kind can be shown)."""
    qs = Facility.objects.all()
    if not params.include_closed:
        qs = qs.filter(profile__status=DirectoryStatus.OPEN)
    for term in params.q.split():
        key = geo.normalise(term)
        if key:
            qs = qs.filter(profile__search_key__contains=key)
    if params.municipality:
        qs = qs.filter(municipality__code=params.municipality)
    else:
        qs = qs.filter(municipality__code__in=area_codes())
    if params.town:
        town = geo.town_from_address(params.town) or params.town
        qs = qs.filter(profile__town__startswith=town)
    for code in params.capabilities:
        qs = qs.filter(Exists(FacilityCapability.objects.filter(facility=OuterRef("pk"), code=code)))
    if params.weekday:
        qs = qs.filter(Exists(Schedule.objects.filter(facility=OuterRef("pk"), weekday=params.weekday)))
    if params.accepting:  # a "yes" confirmed more than a month ago is stale: not shown as true
        from .windows import fresh_since

        qs = qs.filter(profile__accepting_new=True, profile__accepting_confirmed_on__gte=fresh_since())
    if params.area:
        qs = qs.filter(Exists(ServiceArea.objects.filter(facility=OuterRef("pk"), name__contains=params.area)))
    if params.language:
        qs = qs.filter(profile__languages__contains=params.language)
    return qs


@dataclass
class SearchResult:
    items: list
    total: int
    counts: list  # [(kind, label, n)]
    page: int
    pages: int
    per_page: int

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1


def _list_queryset():
    return Facility.objects.select_related("profile", "profile__organization", "municipality").prefetch_related(
        Prefetch("capabilities", queryset=FacilityCapability.objects.order_by("code"))
    )


def _counts(counter):
    return [(kind, FacilityKind(kind).label, counter[kind]) for kind in FacilityKind.values if counter.get(kind)]


def _page_bounds(total, page, per_page):
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    return page, pages, (page - 1) * per_page


def search(params, *, page=1, per_page=PER_PAGE, offset=None):
    """One page of matches, their total and counts per kind; 3 queries (4 with a point)."""
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    base = _filtered(params)
    if params.point is not None:
        hits, counter = _within_radius(base, params)
        total = len(hits)
        page, pages, start = _page_bounds(total, page, per_page)
        start = offset if offset is not None else start
        window = hits[start:start + per_page]
        by_id = {f.pk: f for f in _list_queryset().filter(pk__in=[pk for pk, _d in window])}
        items = []
        for pk, distance in window:
            facility = by_id[pk]
            facility.distance_m = round(distance)
            items.append(facility)
        return SearchResult(items, total, _counts(counter), page, pages, per_page)
    counter = dict(base.order_by().values_list("kind").annotate(n=Count("id")))
    kinds = params.kinds or list(counter)
    total = sum(counter.get(k, 0) for k in kinds)
    page, pages, start = _page_bounds(total, page, per_page)
    start = offset if offset is not None else start
    qs = base.filter(kind__in=kinds) if params.kinds else base
    items = list(_list_queryset().filter(pk__in=qs.values("pk")).order_by("name_kana", "name", "pk")
                 [start:start + per_page])
    return SearchResult(items, total, _counts(counter), page, pages, per_page)


def _within_radius(base, params):
    """[(pk, metres)] sorted by distance inside the radius, and counts per kind; one query."""
    lat, lon = params.point
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, lon, params.radius_m)
    rows = base.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon)).values_list(
        "pk", "kind", "lat", "lon")
    hits, counter = [], {}
    wanted = set(params.kinds)
    for pk, kind, flat, flon in rows:
        distance = geo.haversine_m(lat, lon, flat, flon)
        if distance > params.radius_m:
            continue
        counter[kind] = counter.get(kind, 0) + 1
        if not wanted or kind in wanted:
            hits.append((pk, distance))
    hits.sort(key=lambda h: (h[1], h[0]))
    return hits, counter


EXPORT_LIMIT = 20_000


def matching(params, limit=EXPORT_LIMIT):
    """Every match (up to limit) with what exports and print lists show, in search order; fixed queries."""
    base = _filtered(params)
    qs = _list_queryset().prefetch_related(
        Prefetch("directory_schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")),
        Prefetch("directory_services", queryset=Service.objects.order_by("code", "name")),
        "directory_areas",
    )
    if params.point is not None:
        hits, _counter = _within_radius(base, params)
        hits = hits[:limit]
        by_id = {f.pk: f for f in qs.filter(pk__in=[pk for pk, _d in hits])}
        items = []
        for pk, distance in hits:
            by_id[pk].distance_m = round(distance)
            items.append(by_id[pk])
        return items
    if params.kinds:
        base = base.filter(kind__in=params.kinds)
    return list(qs.filter(pk__in=base.values("pk")).order_by("name_kana", "name", "pk")[:limit])


def map_points(params):
    """Points for the map (id, name, kind, lat, lon, address, fictional), at most MAP_LIMIT; one query."""
    qs = _filtered(params).filter(lat__isnull=False, lon__isnull=False)
    if params.kinds:
        qs = qs.filter(kind__in=params.kinds)
    if params.point is not None:
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(*params.point, params.radius_m)
        qs = qs.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
    rows = qs.order_by("name_kana", "pk").values("pk", "name", "kind", "lat", "lon", "address", "is_fictional")
    points = []
    for row in rows[:MAP_LIMIT]:
        if params.point is not None and geo.haversine_m(*params.point, row["lat"], row["lon"]) > params.radius_m:
            continue
        points.append(row)
    return points


def facility_detail(pk):
    """One facility with everything its page shows, or None (closed ones are shown, marked)."""
    return (
        Facility.objects.select_related("profile", "profile__organization", "municipality")
        .prefetch_related(
            Prefetch("capabilities", queryset=FacilityCapability.objects.order_by("code")),
            Prefetch("directory_services", queryset=Service.objects.order_by("code", "name")),
            Prefetch("directory_schedules", queryset=Schedule.objects.order_by("weekday", "opens_at", "note")),
            "directory_phones", "directory_contacts", "directory_areas", "affiliations",
        )
        .filter(pk=pk, profile__isnull=False)
        .first()
    )


def municipalities():
    """The cities of the area, in the order of RENKEI_AREA_MUNICIPALITY_CODES (the search's choices)."""
    from renkei.core.access import area_municipalities

    return area_municipalities()


def pending_changes():
    return ChangeRequest.objects.filter(status=ChangeStatus.PENDING).select_related(
        "facility", "submitted_by").order_by("submitted_at")


def recent_imports(limit=10):
    from .models import ImportRun

    return ImportRun.objects.order_by("-started_at")[:limit]


def stale_profiles(today=None):
    """Open entries not confirmed for a year (or never), oldest first."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    return (FacilityProfile.objects.filter(status=DirectoryStatus.OPEN, facility__is_fictional=False)
            .filter(Q(last_confirmed_on__lt=limit) | Q(last_confirmed_on__isnull=True))
            .select_related("facility", "facility__municipality")
            .order_by("last_confirmed_on", "facility__name_kana"))


def is_stale(profile, today=None):
    today = today or timezone.localdate()
    return profile.last_confirmed_on is None or profile.last_confirmed_on < today - timedelta(days=STALE_AFTER_DAYS)


def administered_by(user, facility_id):
    """The facility if the user is its administrator, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Facility.objects.filter(pk=facility_id, affiliations__user=user, affiliations__is_admin=True).first()
