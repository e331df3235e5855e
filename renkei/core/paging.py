"""The one page helper of the list pages (their links: templates/_pagination.html)."""
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int) -> Page[Any]:
    """The requested page of a list (`?page=`; out of range or not a number gives the nearest page).

    `page.query` is the request's query string without `page`, so the page links keep the filters.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = params.urlencode()  # type: ignore[attr-defined]  # an attribute of ours for the template
    return page
