"""The one page helper of the list pages (their links: templates/_pagination.html)."""
from django.core.paginator import Paginator


def paginate(request, queryset, per_page):
    """The requested page of a list (`?page=`; out of range or not a number gives the nearest page).

    `page.query` is the request's query string without `page`, so the page links keep the filters.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = params.urlencode()
    return page
