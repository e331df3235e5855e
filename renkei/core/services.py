"""Writes of the core app: registration on the network (apply, approve, reject, withdraw)."""
import datetime
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import tokens
from .audit import Action, record
from .errors import AppError
from .fields import future_message
from .models import Affiliation, ApiToken, Facility, Municipality, Profession, RegistrationStatus, User

logger = logging.getLogger(__name__)


RegistrationError = AppError  # a registration decision that cannot be made (renkei.core.errors)


def _taken_address_owner(email: str) -> User | None:
    """The account already holding this e-mail address (a rejected application frees it), or None."""
    return (
        User.objects.filter(email__iexact=email).exclude(registration_status=RegistrationStatus.REJECTED).first()
    )


def _mail_later(request: HttpRequest | None, address: str, subject: str, template: str,
                context: Mapping[str, object]) -> None:
    """Send one mail after the transaction commits; a mail failure never undoes the application."""

    def send() -> None:
        links = {
            f"{name}_url": request.build_absolute_uri(reverse(f"core:{name}")) if request is not None else ""
            for name in ("login", "password_reset", "register")
        }
        body = render_to_string(template, {**context, **links})
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:
            logger.exception("registration mail failed (%s)", template)

    transaction.on_commit(send)


def _not_created(request: HttpRequest | None, *, reason: str, existing: User | None, address: str, subject: str,
                 template: str) -> None:
    """An application that creates nothing: audited, and told by mail only, so that the page answers
    exactly as for a new account and nobody learns from it which names and addresses exist."""
    record(action=Action.REGISTRATION_DUPLICATE, request=request, obj=existing, detail=reason)
    _mail_later(request, address, subject, template, {"account": existing})


def _username_unavailable(request: HttpRequest | None, *, username: str, email: str, taken: User | None) -> None:
    _not_created(request, reason=f"username in use: {username}", existing=taken, address=email,
                 subject="【Renkei】登録申請のユーザー名について",
                 template="core/email/registration_username_unavailable.txt")


@transaction.atomic
def apply_for_registration(
    *,
    request: HttpRequest | None,
    username: str,
    password: str,
    name: str,
    name_kana: str,
    email: str,
    profession: str,
    phone: str,
    facility: Facility | None = None,
    facility_name: str = "",
    facility_kind: str = "",
    facility_municipality: Municipality | None = None,
) -> User | None:
    """Create a pending account for a professional; staff decide on it later. Returns it, or None when the
    e-mail address or the username is taken: then nothing is created, the address's owner is told that
    someone applied with it, or the applicant (at their own address) that the username is unavailable."""
    if facility is None and not (facility_name and facility_kind and facility_municipality):
        raise RegistrationError("所属する事業所を一覧から選ぶか、事業所名・種別・市区町村を入力してください。")
    # Hashed on every path, so that the time taken does not tell a taken name from a free one either.
    password_hash = make_password(password)
    owner = _taken_address_owner(email)
    if owner is not None:
        _not_created(request, reason="email in use", existing=owner, address=owner.email,
                     subject="【Renkei】このメールアドレスで登録申請がありました",
                     template="core/email/registration_address_in_use.txt")
        return None
    taken = User.objects.filter(username__iexact=username).first()
    if taken is not None:
        _username_unavailable(request, username=username, email=email, taken=taken)
        return None
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
    user.password = password_hash
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same username applied for a moment earlier
        _username_unavailable(request, username=username, email=email, taken=None)
        return None
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


def _notify(request: HttpRequest | None, user: User, subject: str, template: str) -> None:
    """Tell the applicant about the decision by e-mail once it is committed; a mail failure never undoes it."""
    if user.email:
        _mail_later(request, user.email, subject, template, {"user": user})


def _require_pending(user: User) -> None:
    if user.registration_status != RegistrationStatus.PENDING:
        raise RegistrationError(f"この申請はすでに審査済みです（{user.get_registration_status_display()}）。")


def _decide(user: User, *, by: User, status: str, reason: str = "") -> None:
    user.registration_status = status
    user.decided_at = timezone.now()
    user.decided_by = by
    user.decision_reason = reason


def acts_for_municipalities_on_approval(applicant: User, approver: User) -> list[Municipality]:
    """The cities offered by default when approving a municipal employee or a coordinator: the city of
    the applicant's facility if the approver acts for it, else the approver's own city when it is one."""
    from renkei.core.access import my_municipalities

    mine = list(my_municipalities(approver))
    facility = applicant.affiliations.select_related("facility").first()
    city_id = facility.facility.municipality_id if facility else applicant.applied_facility_municipality_id
    chosen = [m for m in mine if m.pk == city_id]
    return chosen or (mine if len(mine) == 1 else [])


@transaction.atomic
def approve_registration(*, request: HttpRequest | None, user: User, by: User, facility: Facility | None = None,
                         approved_on: datetime.date | None = None,
                         municipalities: Iterable[Municipality] | None = None) -> User:
    """Approve a pending application: the account may log in from now on.

    An applicant who named a facility missing from the list is affiliated to `facility` when
    staff choose one, otherwise to a new facility registered from the application.
    `municipalities` (for a municipal employee or a coordinator) makes the account act for those cities
    — only cities the approver acts for — with the role of its profession.
    """
    from renkei.core.access import my_municipality_ids

    user = User.objects.select_for_update().get(pk=user.pk)
    _require_pending(user)
    municipalities = list(municipalities or [])
    if municipalities:
        if user.profession not in (Profession.MUNICIPAL, Profession.COORDINATOR):
            raise RegistrationError("担当する市区町村は市職員・コーディネーターにだけ設定できます。")
        allowed = set(my_municipality_ids(by))
        if any(m.pk not in allowed for m in municipalities):
            raise RegistrationError("あなたが担当していない市区町村は設定できません。")
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise RegistrationError(future_message("登録日"))
    if facility is None and not user.affiliations.exists():
        if not (user.applied_facility_name and user.applied_facility_municipality_id):
            raise RegistrationError("申請された事業所の情報が足りません。一覧から所属事業所を選んでください。")
        facility = Facility.objects.create(
            name=user.applied_facility_name,
            kind=user.applied_facility_kind or "other",
            municipality=user.applied_facility_municipality,  # type: ignore[misc]  # set: checked above
        )
        record(action=Action.CREATE, request=request, actor=by, obj=facility, detail="registration approval")
    if facility is not None:
        Affiliation.objects.get_or_create(user=user, facility=facility)
    _decide(user, by=by, status=RegistrationStatus.APPROVED)
    user.approved_on = approved_on
    user.withdrawn_on = None
    detail = f"approved_on={approved_on}"
    if municipalities:
        user.is_municipal_staff = user.is_municipal_staff or user.profession == Profession.MUNICIPAL
        user.is_coordinator = user.is_coordinator or user.profession == Profession.COORDINATOR
        detail += " acts_for=" + ",".join(sorted(m.code for m in municipalities))
    user.save()
    if municipalities:
        user.acts_for.add(*municipalities)
    record(action=Action.REGISTRATION_APPROVED, request=request, actor=by, obj=user, detail=detail)
    _notify(request, user, "【Renkei】登録申請を承認しました", "core/email/registration_approved.txt")
    return user


@transaction.atomic
def reject_registration(*, request: HttpRequest | None, user: User, by: User, reason: str | None) -> User:
    """Reject a pending application; the reason is required and kept with the account."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError("却下の理由を入力してください。")
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_pending(user)
    _decide(user, by=by, status=RegistrationStatus.REJECTED, reason=reason)
    user.save()
    record(action=Action.REGISTRATION_REJECTED, request=request, actor=by, obj=user, detail=reason)
    _notify(request, user, "【Renkei】登録申請の結果について", "core/email/registration_rejected.txt")
    return user


@transaction.atomic
def record_withdrawal(*, request: HttpRequest | None, user: User, by: User, withdrawn_on: datetime.date | None = None,
                      reason: str | None = "") -> User:
    """Record that a member left the network (退会): no more login, API tokens revoked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.registration_status != RegistrationStatus.APPROVED:
        raise RegistrationError("退会を記録できるのは承認済みの会員だけです。")
    withdrawn_on = withdrawn_on or timezone.localdate()
    if user.approved_on and withdrawn_on < user.approved_on:
        raise RegistrationError("退会日は登録日より後の日付にしてください。")
    if withdrawn_on > timezone.localdate():
        raise RegistrationError(future_message("退会日"))
    _decide(user, by=by, status=RegistrationStatus.WITHDRAWN, reason=(reason or "").strip())
    user.withdrawn_on = withdrawn_on
    user.save()
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        tokens.revoke(token=token, by=by, request=request)
    record(action=Action.REGISTRATION_WITHDRAWN, request=request, actor=by, obj=user, detail=f"withdrawn_on={withdrawn_on}")
    return user


def unlock_login(*, request: HttpRequest | None, user: User, by: User) -> int:
    """Clear a member's failed-login record so that a lock-out ends now (staff, on the member's call)."""
    from axes.utils import reset

    removed: int = reset(username=user.username)
    record(action=Action.UNLOCK, request=request, actor=by, obj=user, detail=f"attempts={removed}")
    return removed
