"""Writes of the care-team network: each validates, saves atomically and writes the audit row."""
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import Profession, RegistrationStatus, User

from . import attachments, unread
from .models import (
    CareTeamMember,
    Channel,
    Consent,
    ConsentGiver,
    FamilyAccess,
    FamilyAccessStatus,
    FamilyContact,
    Group,
    GroupKind,
    GroupMember,
    MemberStatus,
    Notification,
    NotificationKind,
    Patient,
    PatientStatus,
    Post,
    PostKind,
    PostRead,
    PostRevision,
    VitalSigns,
)
from .selectors import group_member_ids

MAX_BODY = 5000
MENTION = re.compile(r"@([A-Za-z0-9_.\-]+)")


Refused = AppError  # the network's name for the one application error (renkei.core.errors)


# --- helpers -------------------------------------------------------------------------------------

def _member(patient, user):
    return CareTeamMember.objects.filter(patient=patient, user=user).first()


def _require_active_member(patient, user):
    member = _member(patient, user)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Refused("この利用者のケアチームのメンバーではありません。", status=404)
    return member


def _require_manager(patient, user):
    member = _require_active_member(patient, user)
    if not member.is_manager:
        raise Refused("この操作はチーム管理者のみ行えます。", status=403)
    return member


def consent_state(patient):
    """'active' (sharing allowed), 'withdrawn' (read-only history) or 'none' (nothing clinical is shared).

    A patient read with selectors.get_visible_patient_or_404(..., with_consent=True) carries the answer.
    """
    if hasattr(patient, "consent_recorded"):
        return "active" if patient.consent_active else "withdrawn" if patient.consent_recorded else "none"
    states = list(Consent.objects.filter(patient=patient).values_list("withdrawn_at", flat=True))
    if any(w is None for w in states):
        return "active"
    return "withdrawn" if states else "none"


def _save_with_files(create, uploads, *, uploaded_by, audit):
    """Check every file first, then save rows and files together; on failure remove the written files."""
    try:
        prepared = attachments.prepare_all(uploads)
    except attachments.AttachmentRefused as refused:
        raise Refused(str(refused), field="files")
    written = []
    try:
        with transaction.atomic():
            obj = create()
            place = {"post": obj} if isinstance(obj, Post) else {"patient": obj.patient}
            stored = [attachments.store(item, written=written, uploaded_by=uploaded_by, **place) for item in prepared]
            audit(obj, stored)
    except BaseException:
        attachments.remove_files(written)
        raise
    return obj


def _notify(recipients, *, kind, actor=None, patient=None, group=None, post=None):
    rows = [
        Notification(recipient_id=uid, kind=kind, actor=actor, patient=patient, group=group, post=post)
        for uid in dict.fromkeys(recipients)
        if actor is None or uid != actor.pk
    ]
    Notification.objects.bulk_create(rows)


# --- patients ------------------------------------------------------------------------------------

PATIENT_FIELDS = ("name", "name_kana", "birth_date", "sex", "address", "municipality", "phone",
                  "care_level", "status", "end_reason", "ended_on")


def _check_patient(data):
    if data.get("status") == PatientStatus.ENDED:
        if not data.get("ended_on"):
            raise Refused("終了の場合は終了日を入力してください。", field="ended_on")
        if not data.get("end_reason"):
            raise Refused("終了の場合は終了理由（死亡・転居・その他）を選んでください。", field="end_reason")
    else:
        data["end_reason"], data["ended_on"] = "", None
    if data.get("birth_date") and data["birth_date"] > timezone.localdate():
        raise Refused("生年月日が未来の日付です。", field="birth_date")


def create_patient(*, by, role, request=None, **data):
    """Register a patient; the registering professional becomes the team's first manager."""
    if not by.is_professional or FamilyAccess.objects.filter(user=by).exists():
        raise Refused("利用者を登録できるのは登録済みの専門職のみです。", status=403)
    data = {k: v for k, v in data.items() if k in PATIENT_FIELDS}
    _check_patient(data)
    with transaction.atomic():
        patient = Patient.objects.create(created_by=by, **data)
        member = CareTeamMember.objects.create(
            patient=patient, user=by, role=role, is_manager=True, status=MemberStatus.ACTIVE,
            invited_by=by, responded_at=timezone.now(),
        )
        record(action=Action.CREATE, request=request, actor=by, obj=patient, patient=patient)
        record(action=Action.CREATE, request=request, actor=by, obj=member, patient=patient, detail="first manager")
    return patient


def update_patient(*, patient, by, request=None, **data):
    """Change a patient's record (any active team member)."""
    _require_active_member(patient, by)
    data = {k: v for k, v in data.items() if k in PATIENT_FIELDS}
    _check_patient(data)
    changed = sorted(k for k, v in data.items() if getattr(patient, k) != v)
    with transaction.atomic():
        for key, value in data.items():
            setattr(patient, key, value)
        patient.save()
        record(action=Action.UPDATE, request=request, actor=by, obj=patient, patient=patient,
               detail="changed: " + ",".join(changed))
    return patient


def add_contact(*, patient, by, request=None, name, relationship, phone="", is_key_person=False, note=""):
    """Add a key person / family contact to a patient."""
    _require_active_member(patient, by)
    if not name.strip() or not relationship.strip():
        raise Refused("氏名と続柄を入力してください。", field="name")
    with transaction.atomic():
        if is_key_person:
            patient.contacts.update(is_key_person=False)
        contact = FamilyContact.objects.create(patient=patient, name=name.strip(), relationship=relationship.strip(),
                                               phone=phone, is_key_person=is_key_person, note=note)
        record(action=Action.CREATE, request=request, actor=by, obj=contact, patient=patient)
    return contact


# --- consent -------------------------------------------------------------------------------------

def record_consent(*, patient, by, obtained_on, method, given_by=ConsentGiver.PATIENT, proxy_name="",
                   proxy_relationship="", scope="", document=None, request=None):
    """Record the patient's (or proxy's) consent to share, with an optional scanned document."""
    _require_active_member(patient, by)
    if obtained_on > timezone.localdate():
        raise Refused("同意日が未来の日付です。", field="obtained_on")
    if given_by == ConsentGiver.PROXY and not (proxy_name.strip() and proxy_relationship.strip()):
        raise Refused("代理人による同意の場合は代理人の氏名と続柄を入力してください。", field="proxy_name")

    def create():
        consent = Consent(patient=patient, obtained_on=obtained_on, method=method, given_by=given_by,
                          proxy_name=proxy_name.strip(), proxy_relationship=proxy_relationship.strip(), obtained_by=by)
        if scope.strip():
            consent.scope = scope.strip()
        consent.save()
        return consent

    def audit(consent, stored):
        if stored:
            consent.document = stored[0]
            consent.save(update_fields=["document"])
        record(action=Action.CREATE, request=request, actor=by, obj=consent, patient=patient)

    return _save_with_files(create, [document] if document else [], uploaded_by=by, audit=audit)


def withdraw_consent(*, consent, by, note="", request=None):
    """Withdraw a consent: the timeline stays readable but closes to new posts."""
    _require_active_member(consent.patient, by)
    if consent.withdrawn_at is not None:
        raise Refused("この同意はすでに撤回されています。")
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = by
        consent.withdrawal_note = note[:300]
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record(action=Action.UPDATE, request=request, actor=by, obj=consent, patient=consent.patient, detail="withdrawn")
    return consent


# --- care team -----------------------------------------------------------------------------------

def invitable(user):
    """Whether a user may be invited to a care team or a group: an approved professional, not a family account."""
    return (user.is_active and user.is_professional and not FamilyAccess.objects.filter(user=user).exists())


def invite_member(*, patient, by, user, role, is_manager=False, request=None):
    """A manager invites a registered professional; the invitee accepts or declines."""
    _require_manager(patient, by)
    if not invitable(user):
        raise Refused("招待できるのは承認済みの登録専門職のみです。", field="user")
    with transaction.atomic():
        member = CareTeamMember.objects.select_for_update().filter(patient=patient, user=user).first()
        if member is not None and member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
            raise Refused(f"{user} さんはすでにチームのメンバーか招待中です。", field="user")
        if member is None:
            member = CareTeamMember(patient=patient, user=user)
            member.unread_count = unread.initial_count(patient_id=patient.pk, user_id=user.pk)
        member.role, member.is_manager, member.status = role, is_manager, MemberStatus.INVITED
        member.invited_by, member.invited_at = by, timezone.now()
        member.responded_at = member.removed_at = member.removed_by = None
        member.save()
        _notify([user.pk], kind=NotificationKind.INVITATION, actor=by, patient=patient)
        record(action=Action.CREATE, request=request, actor=by, obj=member, patient=patient, detail="invited")
    return member


def respond_invitation(*, member, user, accept, request=None):
    """The invitee accepts or declines a care-team invitation."""
    if member.user_id != user.pk or member.status != MemberStatus.INVITED:
        raise Refused("この招待は見つかりません。", status=404)
    with transaction.atomic():
        member.status = MemberStatus.ACTIVE if accept else MemberStatus.DECLINED
        member.responded_at = timezone.now()
        member.save(update_fields=["status", "responded_at"])
        record(action=Action.UPDATE, request=request, actor=user, obj=member, patient=member.patient_id,
               detail="accepted" if accept else "declined")
    return member


def remove_member(*, member, by, request=None):
    """A manager removes a member; it takes effect on the member's next request."""
    _require_manager(member.patient, by)
    if member.status == MemberStatus.REMOVED:
        raise Refused("このメンバーはすでに削除されています。")
    if member.is_manager and member.status == MemberStatus.ACTIVE:
        others = CareTeamMember.objects.filter(patient=member.patient_id, is_manager=True,
                                               status=MemberStatus.ACTIVE).exclude(pk=member.pk)
        if not others.exists():
            raise Refused("最後のチーム管理者は削除できません。先に別のメンバーを管理者にしてください。")
    with transaction.atomic():
        member.status, member.removed_at, member.removed_by = MemberStatus.REMOVED, timezone.now(), by
        member.save(update_fields=["status", "removed_at", "removed_by"])
        record(action=Action.DELETE, request=request, actor=by, obj=member, patient=member.patient_id, detail="removed")
    return member


def set_manager(*, member, by, is_manager, request=None):
    """A manager makes another active member a manager (or not)."""
    _require_manager(member.patient, by)
    if member.status != MemberStatus.ACTIVE:
        raise Refused("参加中のメンバーのみ管理者にできます。")
    if not is_manager and member.user_id == by.pk and not CareTeamMember.objects.filter(
        patient=member.patient_id, is_manager=True, status=MemberStatus.ACTIVE
    ).exclude(pk=member.pk).exists():
        raise Refused("最後のチーム管理者は外せません。")
    with transaction.atomic():
        member.is_manager = is_manager
        member.save(update_fields=["is_manager"])
        record(action=Action.UPDATE, request=request, actor=by, obj=member, patient=member.patient_id,
               detail=f"manager={is_manager}")
    return member


# --- timeline ------------------------------------------------------------------------------------

def _check_vitals(vitals):
    ranges = {"systolic": (40, 300), "diastolic": (20, 200), "pulse": (20, 250), "spo2": (50, 100),
              "temperature": (30, 45), "weight": (1, 300)}
    labels = {"systolic": "血圧（上）", "diastolic": "血圧（下）", "pulse": "脈拍", "spo2": "SpO2",
              "temperature": "体温", "weight": "体重"}
    values = {k: vitals.get(k) for k in ranges}
    if all(v is None for v in values.values()):
        raise Refused("バイタルの値を少なくとも1つ入力してください。", field="vitals")
    for key, (low, high) in ranges.items():
        value = values[key]
        if value is not None and not (low <= value <= high):
            raise Refused(f"{labels[key]}の値 {value} は範囲外です（{low}〜{high}）。", field=key)
    if (values["systolic"] is None) != (values["diastolic"] is None):
        raise Refused("血圧は上と下の両方を入力してください。", field="systolic")
    if not vitals.get("measured_at"):
        raise Refused("測定日時を入力してください。", field="measured_at")
    if vitals["measured_at"] > timezone.now() + timezone.timedelta(minutes=5):
        raise Refused("測定日時が未来です。", field="measured_at")


def _resolve_mentions(body, explicit, allowed_ids):
    names = set(MENTION.findall(body))
    by_name = dict(User.objects.filter(username__in=names, pk__in=allowed_ids).values_list("username", "pk")) if names else {}
    ids = list(dict.fromkeys([*(u.pk if hasattr(u, "pk") else int(u) for u in explicit), *by_name.values()]))
    stray = [i for i in ids if i not in allowed_ids]
    if stray:
        raise Refused("メンションできるのはこのタイムラインのメンバーのみです。", field="mentions")
    return ids


def _timeline_readers(patient=None, group=None, channel=Channel.TEAM):
    """User ids who may read a timeline (for mentions and important-post notifications)."""
    if patient is not None:
        team = set(CareTeamMember.objects.filter(patient=patient, status=MemberStatus.ACTIVE).values_list("user_id", flat=True))
        if channel == Channel.FAMILY:
            team |= set(FamilyAccess.objects.filter(patient=patient, status=FamilyAccessStatus.ACTIVE).values_list("user_id", flat=True))
        return team
    return set(group_member_ids(group))


def _check_can_post(*, patient, group, channel, author):
    if patient is not None:
        if channel == Channel.FAMILY:
            is_family = FamilyAccess.objects.filter(patient=patient, user=author, status=FamilyAccessStatus.ACTIVE).exists()
            if not is_family:
                _require_active_member(patient, author)
        else:
            _require_active_member(patient, author)
            state = consent_state(patient)
            if state == "none":
                raise Refused("この利用者の情報共有の同意が記録されていないため、投稿できません。先に同意を記録してください。",
                              status=409)
            if state == "withdrawn":
                raise Refused("この利用者の情報共有の同意は撤回されたため、新しい投稿はできません。", status=409)
        if patient.is_ended and channel == Channel.FAMILY:
            raise Refused("この利用者の支援は終了しているため、新しい投稿はできません。", status=409)
    elif author.pk not in _timeline_readers(group=group):
        raise Refused("このグループのメンバーではありません。", status=404)


def create_post(*, author, body, patient=None, group=None, channel=Channel.TEAM, parent=None, important=False,
                mentions=(), files=(), vitals=None, request=None):
    """Post on a patient's (team or family) or a group's timeline: text, files, vitals; notify as needed."""
    if (patient is None) == (group is None):
        raise ValueError("a post belongs to exactly one patient or group")
    _check_can_post(patient=patient, group=group, channel=channel, author=author)
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise Refused(f"本文は {MAX_BODY} 文字以内にしてください。", field="body")
    if vitals is not None:
        if channel != Channel.TEAM or patient is None:
            raise Refused("バイタルは専門職タイムラインにのみ記録できます。")
        _check_vitals(vitals)
    elif not body and not [f for f in files if f]:
        raise Refused("本文を入力するか、ファイルを添付してください。", field="body")
    if parent is not None:
        same_place = parent.patient_id == getattr(patient, "pk", None) and parent.group_id == getattr(group, "pk", None)
        if not same_place or parent.channel != channel or parent.parent_id is not None or parent.is_retracted:
            raise Refused("返信先の投稿が見つかりません。", field="parent", status=404)
    # The readers matter only for mentions and important posts; a plain post does not look them up.
    needs_readers = bool(important or mentions or MENTION.search(body))
    readers = _timeline_readers(patient=patient, group=group, channel=channel) if needs_readers else set()
    mention_ids = _resolve_mentions(body, mentions, readers) if needs_readers else []

    def create():
        post = Post.objects.create(
            patient=patient, group=group, channel=channel, author=author, body=body, parent=parent,
            important=bool(important), kind=PostKind.VITALS if vitals is not None else PostKind.TEXT,
        )
        if vitals is not None:
            VitalSigns.objects.create(post=post, patient=patient, **{k: vitals.get(k) for k in (
                "measured_at", "systolic", "diastolic", "pulse", "spo2", "temperature", "weight")})
        if mention_ids:
            post.mentions.set(mention_ids)
        PostRead.objects.create(post=post, user=author)  # the author's own post never counts as unread
        unread.post_added(post)
        return post

    def audit(post, stored):
        where = {"patient": patient, "group": group, "post": post, "actor": author}
        _notify(mention_ids, kind=NotificationKind.MENTION, **where)
        if important:
            _notify(sorted(readers - set(mention_ids)), kind=NotificationKind.IMPORTANT, **where)
        if parent is not None and parent.author_id and parent.author_id not in mention_ids:
            _notify([parent.author_id], kind=NotificationKind.REPLY, **where)
        record(action=Action.CREATE, request=request, actor=author, obj=post, patient=patient,
               detail=f"{channel} {post.kind}" + (f" group={group.pk}" if group else ""))

    return _save_with_files(create, files, uploaded_by=author, audit=audit)


def post_notice(*, patient, author, body, request=None):
    """Put a system notice (e.g. "a coordination sheet was sent") on the patient's team timeline.

    Notices carry no clinical detail, so they are allowed without consent. Returns the Post.
    """
    body = (body or "").strip()
    if not body:
        raise Refused("お知らせの本文がありません。", field="body")
    with transaction.atomic():
        post = Post.objects.create(patient=patient, channel=Channel.TEAM, author=author, kind=PostKind.NOTICE, body=body)
        unread.post_added(post)
        record(action=Action.CREATE, request=request, actor=author, obj=post, patient=patient, detail="notice")
    return post


def edit_post(*, post, by, body, request=None):
    """The author edits a post within 24 hours; the previous text is kept as a revision."""
    if post.author_id != by.pk:
        raise Refused("編集できるのは投稿者本人のみです。", status=403)
    if post.is_retracted:
        raise Refused("取り消した投稿は編集できません。")
    if post.kind != PostKind.TEXT:
        raise Refused("この種類の投稿は編集できません。")
    if timezone.now() > post.editable_until():
        raise Refused("投稿から24時間を過ぎたため編集できません。")
    body = (body or "").strip()
    if not body:
        raise Refused("本文を入力してください。", field="body")
    if len(body) > MAX_BODY:
        raise Refused(f"本文は {MAX_BODY} 文字以内にしてください。", field="body")
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, replaced_by=by)
        post.body, post.edited_at = body, timezone.now()
        post.save(update_fields=["body", "edited_at"])
        record(action=Action.UPDATE, request=request, actor=by, obj=post, patient=post.patient_id, detail="edited")
    return post


def retract_post(*, post, by, request=None):
    """The author retracts a post: its content disappears from the timeline, a trace stays."""
    if post.author_id != by.pk:
        raise Refused("取り消しできるのは投稿者本人のみです。", status=403)
    if post.is_retracted:
        raise Refused("この投稿はすでに取り消されています。")
    with transaction.atomic():
        # Lock the row: two retractions at once (a double click) must not both lower the unread counters.
        if not Post.objects.select_for_update().filter(pk=post.pk, retracted_at__isnull=True).exists():
            raise Refused("この投稿はすでに取り消されています。")
        PostRevision.objects.create(post=post, body=post.body, replaced_by=by)
        unread.post_retracted(post)
        post.retracted_at, post.retracted_by, post.body = timezone.now(), by, ""
        post.save(update_fields=["retracted_at", "retracted_by", "body"])
        record(action=Action.DELETE, request=request, actor=by, obj=post, patient=post.patient_id, detail="retracted")
    return post


def _already_read(post, user):
    """Whether the prefetched receipts (if any were prefetched) show that the user read the post."""
    cache = getattr(post, "_prefetched_objects_cache", {})
    return "reads" in cache and any(r.user_id == user.pk for r in cache["reads"])


def mark_read(*, posts, user):
    """Record read receipts for the posts the user has just been shown (idempotent).

    Posts whose prefetched receipts already include the user cost nothing; the rest take one
    INSERT ... ON CONFLICT DO NOTHING, and the user's unread counter drops once per new receipt.
    """
    todo = [p for p in posts if p.author_id != user.pk and not _already_read(p, user)]
    if todo:
        unread.insert_receipts(user_id=user.pk, posts=todo)


def mark_notifications_read(*, user, ids=None):
    """Mark the user's notifications (all, or the given ids) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- groups --------------------------------------------------------------------------------------

def ensure_facility_group(*, facility):
    """The facility's own staff timeline (施設グループ), created on first use."""
    group, _ = Group.objects.get_or_create(
        facility=facility, defaults={"kind": GroupKind.FACILITY, "name": f"{facility.name} 施設グループ"}
    )
    return group


def create_group(*, by, name, description="", request=None):
    """A free group of registered professionals; the creator manages it and invites others."""
    if not invitable(by):
        raise Refused("グループを作成できるのは登録専門職のみです。", status=403)
    name = (name or "").strip()
    if not name:
        raise Refused("グループ名を入力してください。", field="name")
    with transaction.atomic():
        group = Group.objects.create(name=name[:100], kind=GroupKind.FREE, description=description, created_by=by)
        GroupMember.objects.create(group=group, user=by, is_manager=True, status=MemberStatus.ACTIVE,
                                   invited_by=by, responded_at=timezone.now())
        record(action=Action.CREATE, request=request, actor=by, obj=group)
    return group


def invite_group_member(*, group, by, user, request=None):
    """A free group's manager invites a professional."""
    if group.kind != GroupKind.FREE or not GroupMember.objects.filter(
        group=group, user=by, is_manager=True, status=MemberStatus.ACTIVE
    ).exists():
        raise Refused("この操作はグループ管理者のみ行えます。", status=403)
    if not invitable(user):
        raise Refused("招待できるのは承認済みの登録専門職のみです。", field="user")
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(group=group, user=user, defaults={"invited_by": by})
        if not created:
            if member.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
                raise Refused(f"{user} さんはすでにメンバーか招待中です。", field="user")
            member.status, member.invited_by, member.invited_at = MemberStatus.INVITED, by, timezone.now()
            member.save()
        _notify([user.pk], kind=NotificationKind.INVITATION, actor=by, group=group)
        record(action=Action.CREATE, request=request, actor=by, obj=member, detail=f"group {group.pk} invited")
    return member


def respond_group_invitation(*, member, user, accept, request=None):
    """The invitee accepts or declines a group invitation."""
    if member.user_id != user.pk or member.status != MemberStatus.INVITED:
        raise Refused("この招待は見つかりません。", status=404)
    member.status = MemberStatus.ACTIVE if accept else MemberStatus.DECLINED
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "responded_at"])
    record(action=Action.UPDATE, request=request, actor=user, obj=member, detail="accepted" if accept else "declined")
    return member


# --- family --------------------------------------------------------------------------------------

def grant_family_access(*, patient, by, name, relationship, username, request=None):
    """A manager opens a limited family account on the patient's family timeline; returns (access, password)."""
    _require_manager(patient, by)
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{4,40}", username):
        raise Refused("ユーザー名は半角英数字と _ . - で4〜40文字にしてください。", field="username")
    if not (name or "").strip() or not (relationship or "").strip():
        raise Refused("氏名と続柄を入力してください。", field="name")
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user = User(username=username, name=name.strip(), profession=Profession.OTHER,
                        registration_status=RegistrationStatus.APPROVED, approved_on=timezone.localdate(),
                        decision_reason="家族アカウント（本人・家族タイムラインのみ）")
            user.set_password(password)
            user.save()
            access = FamilyAccess.objects.create(patient=patient, user=user, relationship=relationship.strip(),
                                                 invited_by=by)
            record(action=Action.CREATE, request=request, actor=by, obj=access, patient=patient, detail="family account")
    except IntegrityError:
        raise Refused("このユーザー名はすでに使われています。", field="username")
    return access, password


def revoke_family_access(*, access, by, request=None):
    """A manager stops a family account's access to the family timeline."""
    _require_manager(access.patient, by)
    with transaction.atomic():
        access.status, access.revoked_at = FamilyAccessStatus.REVOKED, timezone.now()
        access.save(update_fields=["status", "revoked_at"])
        record(action=Action.DELETE, request=request, actor=by, obj=access, patient=access.patient_id, detail="family revoked")
    return access
