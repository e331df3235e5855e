"""Authentication: only approved accounts log in; the second factor guards patient data."""
from functools import wraps

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

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


def role_required(*roles):
    """Require the second factor and one of the named roles ('staff', 'coordinator')."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                from .audit import Action, record

                record(action=Action.PERMISSION_DENIED, request=request, detail=request.path)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return verified_required(wrapper)

    return decorator


def has_role(user, *roles):
    """True when the user holds one of the roles: 'staff' (municipal), 'coordinator', 'professional'."""
    if not getattr(user, "is_authenticated", False):
        return False
    checks = {
        "staff": user.is_municipal_staff,
        "coordinator": user.is_coordinator,
        "professional": user.is_professional,
    }
    return any(checks[r] for r in roles)
