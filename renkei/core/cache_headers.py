"""No browser or proxy keeps a copy of anything personal: one rule for pages, API, PDFs, FHIR and files."""
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to a request with a session cookie or an Authorization header.

    Patient data (pages, API, PDFs, FHIR bundles, attachments) is only ever served to a logged-in user
    (who always sends the session cookie) or to an API token, so this covers all of it in one place;
    public pages and static files stay cacheable. The rule reads only the request's headers: it needs no
    database, so it also holds on the 503 answers of a database outage.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
            add_never_cache_headers(response)
        return response
