"""Core pages: home, login with the second factor, logout, password reset and change, CSRF failure."""
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from .. import otp as otp_service
from ..audit import Action, record
from ..auth import OTPUser, SignedInRequest, verified_required
from ..forms import (
    JapanesePasswordChangeForm,
    JapanesePasswordResetForm,
    JapaneseSetPasswordForm,
    LoginForm,
    OTPForm,
)
from ..home import todays_work


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: links to every part the user may use, and the day's work for the user's roles."""
    verified = getattr(request.user, "is_verified", None)  # the OTP middleware's; absent on a refused request
    work = todays_work(request.user) if verified is not None and verified() else []
    return render(request, "core/home.html", {"work": work})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Shown once: the idle-timeout middleware leaves this mark in the fresh session.
        return super().get_context_data(idle_logged_out=self.request.session.pop("idle_logged_out", False), **kwargs)

    def get_success_url(self) -> str:
        target = super().get_success_url()
        return f"{reverse('core:otp_verify')}?next={target}"


def _safe_next(request: HttpRequest, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of the login: a TOTP code or a single-use backup code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("core:login")
    if cast(OTPUser, user).is_verified():
        return redirect(_safe_next(request))
    if not any(devices_for_user(user, confirmed=True)):
        return redirect(f"{reverse('core:otp_setup')}?next={_safe_next(request)}")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_service.match(user, form.cleaned_data["otp"])
        except otp_service.Throttled as throttled:
            record(action=Action.OTP_THROTTLED, request=request, detail=f"wait={throttled.seconds}s")
            form.add_error("otp", throttled.message)
            return render(request, "core/otp_verify.html", {"form": form, "next": _safe_next(request)}, status=429)
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a session key seen before the second factor must not carry it
            record(action=Action.OTP_SUCCESS, request=request, detail=device.__class__.__name__)
            return redirect(_safe_next(request))
        record(action=Action.OTP_FAILURE, request=request)
        form.add_error("otp", "確認コードが正しくないか、すでに使用されています。新しいコードを入力してください。")
    return render(request, "core/otp_verify.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "ログアウトしました。")
    return redirect("core:login")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    record(action=Action.CSRF_FAILURE, request=request, detail=f"{request.path} {reason}"[:300])
    return render(request, "core/csrf_failure.html", status=403)


def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device by QR code, confirm it with a first code, then show backup codes once."""
    user = request.user
    if not user.is_authenticated:
        return redirect("core:login")
    if any(devices_for_user(user, confirmed=True)) and not cast(OTPUser, user).is_verified():
        # Adding a device needs the existing second factor first.
        return redirect(f"{reverse('core:otp_verify')}?next={reverse('core:otp_setup')}")
    device = otp_service.pending_totp_device(user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()  # a session key seen before the second factor must not carry it
            record(action=Action.OTP_ENROLLED, request=request)
            codes = otp_service.new_backup_codes(user)
            return render(request, "core/otp_backup_codes.html", {"codes": codes, "next": _safe_next(request)})
        record(action=Action.OTP_FAILURE, request=request, detail="enrolment")
        form.add_error("otp", "確認コードが正しくありません。アプリに表示されている最新のコードを入力してください。")
    context = {
        "form": form,
        "qr_svg": otp_service.qr_svg(device),
        "secret": otp_service.b32_secret(device),
        "next": _safe_next(request),
    }
    return render(request, "core/otp_setup.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the page never tells whether the address is registered."""

    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    form_class = JapanesePasswordResetForm
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form: JapanesePasswordResetForm) -> HttpResponse:
        record(action=Action.PASSWORD_RESET_REQUESTED, request=self.request, detail=f"email={form.cleaned_data['email']}")
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the link; the second factor is still needed to log in."""

    template_name = "core/password_reset_confirm.html"
    form_class = JapaneseSetPasswordForm
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: JapaneseSetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record(action=Action.PASSWORD_RESET, request=self.request, actor=form.user, obj=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


@verified_required
def password_change(request: SignedInRequest) -> HttpResponse:
    """Change one's own password (current password and second factor first); this session stays signed in,
    the account's other sessions end and its API tokens are revoked (see core.credentials)."""
    form = JapanesePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, "パスワードを変更しました。ほかの端末のログインとAPIトークンは無効になりました。")
        return redirect("core:home")
    return render(request, "core/password_change.html", {"form": form}, status=400 if form.errors else 200)
