"""Writes of the core app: registration on the network (apply, approve, reject, withdraw)."""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import tokens
from .audit import Action, record
from .errors import AppError
from .models import Affiliation, ApiToken, Facility, RegistrationStatus, User

logger = logging.getLogger(__name__)


RegistrationError = AppError  # a registration decision that cannot be made (renkei.core.errors)


@transaction.atomic
def apply_for_registration(
    *,
    request,
    username,
    password,
    name,
    name_kana,
    email,
    profession,
    phone,
    facility=None,
    facility_name="",
    facility_kind="",
    facility_municipality=None,
):
    """Create a pending account for a professional; staff decide on it later."""
    if facility is None and not (facility_name and facility_kind and facility_municipality):
        raise RegistrationError("所属する事業所を一覧から選ぶか、事業所名・種別・市区町村を入力してください。")
    user = User(
        username=username,
        name=name,
        name_kana=name_kana,
        email=email,
        profession=profession,
        phone=phone,
        registration_status=RegistrationStatus.PENDING,
        applied_at=timezone.now(),
    )
    if facility is None:
        user.applied_facility_name = facility_name
        user.applied_facility_kind = facility_kind
        user.applied_facility_municipality = facility_municipality
    user.set_password(password)
    user.save()
    if facility is not None:
        Affiliation.objects.create(user=user, facility=facility)
    record(
        action=Action.REGISTRATION_APPLIED,
        request=request,
        actor=user,
        obj=user,
        detail=f"profession={profession} facility={facility.pk if facility else '(new) ' + facility_name}",
    )
    return user


def _notify(request, user, subject, template):
    """Tell the applicant about the decision by e-mail; a mail failure never undoes the decision."""
    if not user.email:
        return
    login_url = request.build_absolute_uri(reverse("core:login")) if request is not None else ""
    body = render_to_string(template, {"user": user, "login_url": login_url})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError:
        logger.exception("registration mail to user %s failed", user.pk)


def _require_pending(user):
    if user.registration_status != RegistrationStatus.PENDING:
        raise RegistrationError(f"この申請はすでに審査済みです（{user.get_registration_status_display()}）。")


def _decide(user, *, by, status, reason=""):
    user.registration_status = status
    user.decided_at = timezone.now()
    user.decided_by = by
    user.decision_reason = reason


@transaction.atomic
def approve_registration(*, request, user, by, facility=None, approved_on=None):
    """Approve a pending application: the account may log in from now on.

    An applicant who named a facility missing from the list is affiliated to `facility` when
    staff choose one, otherwise to a new facility registered from the application.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_pending(user)
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise RegistrationError("登録日に未来の日付は指定できません。")
    if facility is None and not user.affiliations.exists():
        if not (user.applied_facility_name and user.applied_facility_municipality_id):
            raise RegistrationError("申請された事業所の情報が足りません。一覧から所属事業所を選んでください。")
        facility = Facility.objects.create(
            name=user.applied_facility_name,
            kind=user.applied_facility_kind or "other",
            municipality=user.applied_facility_municipality,
        )
        record(action=Action.CREATE, request=request, actor=by, obj=facility, detail="registration approval")
    if facility is not None:
        Affiliation.objects.get_or_create(user=user, facility=facility)
    _decide(user, by=by, status=RegistrationStatus.APPROVED)
    user.approved_on = approved_on
    user.withdrawn_on = None
    user.save()
    record(action=Action.REGISTRATION_APPROVED, request=request, actor=by, obj=user, detail=f"approved_on={approved_on}")
    transaction.on_commit(
        lambda: _notify(request, user, "【Renkei】登録申請を承認しました", "core/email/registration_approved.txt")
    )
    return user


@transaction.atomic
def reject_registration(*, request, user, by, reason):
    """Reject a pending application; the reason is required and kept with the account."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError("却下の理由を入力してください。")
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_pending(user)
    _decide(user, by=by, status=RegistrationStatus.REJECTED, reason=reason)
    user.save()
    record(action=Action.REGISTRATION_REJECTED, request=request, actor=by, obj=user, detail=reason)
    transaction.on_commit(
        lambda: _notify(request, user, "【Renkei】登録申請の結果について", "core/email/registration_rejected.txt")
    )
    return user


@transaction.atomic
def record_withdrawal(*, request, user, by, withdrawn_on=None, reason=""):
    """Record that a member left the network (退会): no more login, API tokens revoked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.registration_status != RegistrationStatus.APPROVED:
        raise RegistrationError("退会を記録できるのは承認済みの会員だけです。")
    withdrawn_on = withdrawn_on or timezone.localdate()
    if user.approved_on and withdrawn_on < user.approved_on:
        raise RegistrationError("退会日は登録日より後の日付にしてください。")
    if withdrawn_on > timezone.localdate():
        raise RegistrationError("退会日に未来の日付は指定できません。")
    _decide(user, by=by, status=RegistrationStatus.WITHDRAWN, reason=(reason or "").strip())
    user.withdrawn_on = withdrawn_on
    user.save()
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        tokens.revoke(token=token, by=by, request=request)
    record(action=Action.REGISTRATION_WITHDRAWN, request=request, actor=by, obj=user, detail=f"withdrawn_on={withdrawn_on}")
    return user


def unlock_login(*, request, user, by):
    """Clear a member's failed-login record so that a lock-out ends now (staff, on the member's call)."""
    from axes.utils import reset

    removed = reset(username=user.username)
    record(action=Action.UNLOCK, request=request, actor=by, obj=user, detail=f"attempts={removed}")
    return removed
