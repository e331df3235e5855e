"""Navigation for the base layout: an entry shows only when its page exists and the user may use it; the
cities a staff member acts for."""
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from .access import Viewer, has_role, is_family_only, my_city_list
from .models import Municipality

# (label, url name, who sees it). Parts not built yet have no url name and so no link.
NAVIGATION = [
    ("医療・介護マップ", "directory:search", "all"),
    ("患者", "network:patient_list", "professional"),
    ("受け入れ依頼", "directory:referrals", "professional"),
    ("連携シート", "sheets:index", "professional"),
    ("事業記録", "records:index", "staff_or_coordinator"),
    ("年次報告", "reports:annual", "staff"),
    ("市の事業", "programs:index", "staff"),
    ("登録申請", "core:registrations", "staff"),
    ("登録会員数", "core:members", "staff"),
    ("施設管理者の審査", "core:facility_nominations", "staff"),
    # A page every professional may open: the facility's administrators, the nomination form and, for an
    # approved administrator, the way to the facility's people (no query here to know who administers).
    ("施設管理者", "core:facility_nominate", "professional"),
    ("監査ログ", "core:audit_log", "staff"),
]


def _visible(user: Viewer, who: str) -> bool:
    if who == "all":
        return True
    if user is None or not user.is_authenticated:
        return False
    if who == "professional":
        return not is_family_only(user)
    if who == "staff":
        return has_role(user, "staff")
    return has_role(user, "staff", "coordinator")


def navigation(request: HttpRequest) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for label, name, who in NAVIGATION:
        # No user on a request refused before the authentication middleware (e.g. a bad Host header).
        if not _visible(getattr(request, "user", None), who):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "family_only": is_family_only(getattr(request, "user", None))}


def acting_for(request: HttpRequest) -> dict[str, Any]:
    """The cities a staff member or coordinator acts for, shown in the header (「三鷹市」).

    Lazy and kept on the request: one query at most per request, none for anyone else (a professional
    or an anonymous visitor acts for no city, which `my_municipalities` answers without a query).
    """

    def cities() -> list[Municipality]:
        cached = getattr(request, "_renkei_acting_for", None)
        if cached is None:
            user = getattr(request, "user", None)
            cached = my_city_list(user) if user is not None else []
            request._renkei_acting_for = cached  # type: ignore[attr-defined]  # kept for this request only
        return cached

    return {"acting_for": SimpleLazyObject(cities)}
