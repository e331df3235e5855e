"""Authentication: only approved accounts log in; the second factor guards patient data."""
from functools import wraps

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .access import has_role
from .models import RegistrationStatus


class ApprovedUserBackend(ModelBackend):
    """The model backend, refusing accounts whose registration is not approved."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and (
            user.registration_status == RegistrationStatus.APPROVED or user.is_superuser
        )


def verified_required(view):
    """Require a logged-in user who has passed the second factor (TOTP or a backup code)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
        if not user.is_verified():
            return redirect(f"{reverse('core:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def professional_required(view):
    """Require the second factor and refuse (403) a family-only account: professional pages are not for it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from .access import is_family_only

        if is_family_only(request.user):
            from .errors import audit_refusal

            audit_refusal(request, status=403, reason="family account")
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return verified_required(wrapper)


def role_required(*roles):
    """Require the second factor and one of the named roles ('staff', 'coordinator')."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                from .errors import audit_refusal

                audit_refusal(request, status=403, reason="role")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return verified_required(wrapper)

    return decorator
