"""No browser or proxy keeps a copy of anything personal: one rule for pages, API, PDFs, FHIR and files."""
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to a logged-in user or to an API token.

    Patient data (pages, API, PDFs, FHIR bundles, attachments) is only ever served to one of them, so
    this covers all of it in one place; public pages and static files stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "HTTP_AUTHORIZATION" in request.META or _is_authenticated(request):
            add_never_cache_headers(response)
        return response


def _is_authenticated(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
