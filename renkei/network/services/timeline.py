"""Posts on the timeline, their edits and retraction, read marks and notifications."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.models import User

from .. import unread
from ..models import (
    CareTeamMember,
    Channel,
    FamilyAccess,
    FamilyAccessStatus,
    MemberStatus,
    Notification,
    NotificationKind,
    Patient,
    Post,
    PostKind,
    PostRead,
    PostRevision,
    VitalSigns,
)
from ..rules import vitals_problems
from ..selectors import group_member_ids
from ._common import (
    MAX_BODY,
    MENTION,
    Refused,
    _notify,
    _require_active_member,
    _save_with_files,
    consent_state,
)

# --- timeline ------------------------------------------------------------------------------------

def _check_vitals(vitals):
    problems = vitals_problems(vitals, timezone.now())
    if problems:
        raise Refused(problems)


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
                raise Refused("この患者の情報共有の同意が記録されていないため、投稿できません。先に同意を記録してください。",
                              status=409)
            if state == "withdrawn":
                raise Refused("この患者の情報共有の同意は撤回されたため、新しい投稿はできません。", status=409)
        if patient.is_ended and channel == Channel.FAMILY:
            raise Refused("この患者の支援は終了しているため、新しい投稿はできません。", status=409)
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


def post_notice(*, patient: Patient, author: User, body: str, request: HttpRequest | None = None) -> Post:
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
