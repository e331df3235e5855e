"""The request of the network's pages and API calls, as the type checker sees it."""
from django.http import HttpRequest

from renkei.core.models import User


class SignedInRequest(HttpRequest):
    """A request the access decorators (verified_required) or the API's token authentication let through:
    its user is an account, never AnonymousUser.

    For annotations only (django-stubs' pattern for views behind a login): Django builds the request objects.
    """

    user: User
