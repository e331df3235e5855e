"""Pages of the directory: public search, map, detail, print list; facility edits; staff approval; exports."""
import gzip
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from renkei.core.auth import role_required, verified_required
from renkei.core.dbrouting import replica_safe
from renkei.core.errors import AppError, show_error

from . import exports, selectors, services, windows
from .attribution import ATTRIBUTION
from .caching import cached
from .forms import FacilityEditForm, SearchForm
from .models import ChangeRequest, ChangeStatus
from .presenters import detail_context, map_point
from .taxonomy import KIND_COLOURS, kind_colour

PRINT_LIMIT = 500


def _params(request):
    """(SearchParams or None, error message)."""
    params, error = _parse(request)
    return params, str(error or "")


def _parse(request):
    """(SearchParams or None, SearchError or None)."""
    try:
        return selectors.parse_params(request.GET), None
    except selectors.SearchError as error:
        return None, error


def _candidate_links(request, error):
    """[(label, detail, url)] for each place a 「近く」 text may mean: the same search near that place."""
    links = []
    for place in error.candidates if error else ():
        query = request.GET.copy()
        for name in ("page", "lat", "lon"):
            query.pop(name, None)
        query["near"] = place.label
        links.append((place.label, place.detail, f"?{query.urlencode()}"))
    return links


def _page_number(request):
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _legend():
    from renkei.core.models import FacilityKind

    seen, legend = set(), []
    for kind, colour in KIND_COLOURS.items():
        if colour not in seen:
            seen.add(colour)
            legend.append((FacilityKind(kind).label, colour))
    legend.append(("その他", kind_colour("other")))
    return legend


def _search_context(request):
    params, search_error = _parse(request)
    error = str(search_error or "")
    result = None
    if params is not None:
        page = _page_number(request)
        # The page as parsed replaces the raw one in the key (sorting mixed str and int keys raised TypeError).
        key = [(name, values) for name, values in request.GET.lists() if name != "page"] + [("page", [str(page)])]
        result = cached("search", key,
                        lambda: selectors.search(params, page=page))
    kind_links = []
    if result is not None:
        for kind, label, count in result.counts:
            query = request.GET.copy()
            query.pop("page", None)
            query.setlist("kind", [kind])
            selected = params.kinds == [kind]
            kind_links.append({"label": label, "count": count, "url": f"?{query.urlencode()}", "selected": selected,
                               "colour": kind_colour(kind)})
    field = search_error.field if search_error else ""
    return {
        "kind_links": kind_links,
        "form": SearchForm(request.GET or None, error_field=field), "params": params, "result": result,
        # An error that belongs to a field is shown next to it (and the filters stay open to show it).
        "error": "" if field else error, "field_error": error if field else "", "error_field": field,
        "near_candidates": _candidate_links(request, search_error),
        "filters_open": bool(request.GET) or bool(error),
        "query": _query_without_page(request), "attribution": ATTRIBUTION, "legend": _legend(),
    }


@replica_safe("directory")
def search(request):
    """Public search: text, filters, distance; counts per kind; paginated."""
    context = _search_context(request)
    return render(request, "directory/search.html", context, status=400 if context["error"] or context["field_error"] else 200)


@replica_safe("directory")
def map_page(request):
    """Public map with the same filters; the list below works without map tiles or JavaScript."""
    context = _search_context(request)
    context.update(tile_url=settings.MAP_TILE_URL, tile_attribution=settings.MAP_TILE_ATTRIBUTION,
                   data_url=f"{reverse('directory:map_data')}?{_query_without_page(request)}")
    return render(request, "directory/map.html", context, status=400 if context["error"] or context["field_error"] else 200)


@replica_safe("directory")
def map_data(request):
    """JSON points for the map: {"count", "items": [{id, name, kind, kind_label, colour, lat, lon, url}]}."""
    params, error = _params(request)
    if params is None:
        return JsonResponse({"detail": error}, status=400)

    key = list(request.GET.lists())

    def encoded():
        points = [map_point(row) for row in selectors.map_points(params)]
        # Cached as the encoded body: a city's map holds thousands of points, too many to encode per request.
        return json.dumps({"count": len(points), "items": points}, ensure_ascii=False, cls=DjangoJSONEncoder).encode()

    if _accepts_gzip(request):
        # Compressed once and cached apart: a region's municipality is about 1 MB of JSON and a tenth of
        # that gzipped, which a phone on a mobile network should not download raw, nor fetch from the cache.
        compressed = cached("map-json-gzip", key, lambda: gzip.compress(cached("map-json", key, encoded), mtime=0))
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(cached("map-json", key, encoded), content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _accepts_gzip(request):
    """Whether the client accepts a gzip body (q=0 refuses it)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


@replica_safe("directory")
def print_list(request):
    """A printable list (A4) of the current search, up to PRINT_LIMIT entries."""
    params, error = _params(request)
    if params is None:
        return HttpResponseBadRequest(error)
    items = selectors.matching(params, limit=PRINT_LIMIT + 1)
    return render(request, "directory/print.html", {
        "items": items[:PRINT_LIMIT], "truncated": len(items) > PRINT_LIMIT, "limit": PRINT_LIMIT,
        "attribution": ATTRIBUTION, "query": _query_without_page(request), "params": params})


@replica_safe("directory")
def detail(request, pk):
    """Public page of one provider: hours, phone, capabilities, when it was last confirmed."""
    facility = selectors.facility_detail(pk)
    if facility is None:
        raise Http404("見つかりません。")
    context = detail_context(facility, request.user)
    # Windows and capacity details only for signed-in professionals (no query for anyone else).
    context.update(windows.professional_context(facility, request.user))
    context["attribution"] = ATTRIBUTION
    return render(request, "directory/detail.html", context)


def _denied(request, message):
    return render(request, "directory/denied.html", {"message": message}, status=403)


@verified_required
def edit(request, pk):
    """A facility administrator updates their own entry (a change request staff approve)."""
    if selectors.administered_by(request.user, pk) is None:
        return _denied(request, services.refuse_edit(user=request.user, facility_id=pk, request=request))
    facility = selectors.facility_detail(pk)
    if facility is None:
        raise Http404("見つかりません。")
    form = FacilityEditForm(request.POST or None, initial=FacilityEditForm.initial_for(facility))
    if request.method == "POST" and form.is_valid():
        try:
            change = services.submit_change(user=request.user, facility_id=pk, payload=form.payload(), request=request)
        except AppError as invalid:
            show_error(request, invalid, form)
        else:
            if change.status == ChangeStatus.APPROVED:
                messages.success(request, "掲載情報を更新しました。")
            else:
                messages.success(request, "変更を申請しました。市の担当者が確認したあとで公開されます。")
            return redirect("directory:detail", pk=pk)
    pending = ChangeRequest.objects.filter(facility=facility, status=ChangeStatus.PENDING).exists()
    return render(request, "directory/edit.html", {"facility": facility, "form": form, "pending": pending})


@verified_required
@require_POST
def confirm(request, pk):
    """The administrator confirms the entry is still right."""
    try:
        services.confirm_unchanged(user=request.user, facility_id=pk, request=request)
    except PermissionDenied as denied:
        return _denied(request, str(denied))
    messages.success(request, "掲載情報が最新であることを確認しました。")
    return redirect("directory:detail", pk=pk)


@verified_required
def mine(request):
    """The facilities the user administers, with links to keep them current."""
    facilities = request.user.administered_facilities().select_related("profile").order_by("name_kana")
    return render(request, "directory/mine.html", {"facilities": facilities})


@role_required("staff")
def staff_changes(request):
    """Staff: pending change requests to approve or send back, and entries unconfirmed for a year."""
    changes = list(selectors.pending_changes()[:200])
    for change in changes:
        change.lines = exports.payload_lines(change.payload)
    stale = selectors.stale_profiles()
    return render(request, "directory/staff_changes.html", {
        "changes": changes, "stale": stale[:100], "stale_count": stale.count(),
        "imports": selectors.recent_imports()})


@role_required("staff")
@require_POST
def decide_change(request, change_id):
    decision, note = request.POST.get("decision"), request.POST.get("note", "")
    try:
        if decision == "approve":
            services.approve_change(user=request.user, change_id=change_id, request=request, note=note)
            messages.success(request, "変更を承認し、公開しました。")
        elif decision == "reject":
            services.reject_change(user=request.user, change_id=change_id, note=note, request=request)
            messages.success(request, "変更を差し戻しました。")
        else:
            messages.error(request, "承認か差し戻しを選んでください。")
    except ChangeRequest.DoesNotExist:
        messages.error(request, "この申請はすでに処理されたか、存在しません。")
    except AppError as invalid:
        show_error(request, invalid)
    return redirect("directory:staff_changes")


def export(request, fmt):
    """The current search as CSV (UTF-8 BOM or Shift_JIS), Excel, or an HSDS 3.1 data package (zip)."""
    params, error = _params(request)
    if params is None:
        return HttpResponseBadRequest(error)
    if fmt not in exports.FORMATS:
        raise Http404("見つかりません。")
    return exports.respond(fmt, params)
