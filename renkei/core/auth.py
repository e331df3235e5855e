"""Authentication: only approved accounts log in; the second factor guards patient data."""
from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .access import has_role
from .models import RegistrationStatus, User

View = Callable[..., HttpResponseBase]  # a page, a redirect, a streamed download…


class OTPUser(Protocol):
    """An account as django-otp's middleware leaves it on the request (the method is set on the instance)."""

    def is_verified(self) -> bool:
        """Whether this session passed the second factor."""
        ...


class SignedInRequest(HttpRequest):
    """A request that verified_required (or professional_required, role_required) let through: its user is
    an account, never AnonymousUser. For annotations only (django-stubs' way to type views behind a login)."""

    user: User


class ApprovedUserBackend(ModelBackend):
    """The model backend, refusing accounts whose registration is not approved."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        return super().user_can_authenticate(user) and (
            getattr(user, "registration_status", None) == RegistrationStatus.APPROVED
            or getattr(user, "is_superuser", False)
        )


def verified_required(view: View) -> View:
    """Require a logged-in user who has passed the second factor (TOTP or a backup code)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user  # django-otp adds is_verified()
        if not user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        if not user.is_verified():
            return redirect(f"{reverse('core:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def professional_required(view: View) -> View:
    """Require the second factor and refuse (403) a family-only account: professional pages are not for it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from .access import is_family_only

        if is_family_only(request.user):
            from .errors import audit_refusal

            audit_refusal(request, status=403, reason="family account")
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return verified_required(wrapper)


def role_required(*roles: str) -> Callable[[View], View]:
    """Require the second factor and one of the named roles ('staff', 'coordinator')."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_role(request.user, *roles):
                from .errors import audit_refusal

                audit_refusal(request, status=403, reason="role")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return verified_required(wrapper)

    return decorator
