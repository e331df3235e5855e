"""Reads of the care-team network. The access rules live in renkei.core.access (re-exported here)."""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

import jaconv
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Window
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

# The one access rule, re-exported (`as`) for the network's callers; Viewer for the annotations here.
from renkei.core.access import Viewer
from renkei.core.access import active_membership as active_membership
from renkei.core.access import family_patients as family_patients
from renkei.core.access import get_family_timeline_patient_or_404 as get_family_timeline_patient_or_404
from renkei.core.access import get_visible_attachment_or_404 as get_visible_attachment_or_404
from renkei.core.access import get_visible_group_or_404 as get_visible_group_or_404
from renkei.core.access import get_visible_patient_or_404 as get_visible_patient_or_404
from renkei.core.access import groups_visible_to as groups_visible_to
from renkei.core.access import is_family_account as is_family_account
from renkei.core.access import is_signed_in as is_signed_in
from renkei.core.access import patients_visible_to as patients_visible_to
from renkei.core.compiled import CompiledQuery
from renkei.core.models import Affiliation, Profession, RegistrationStatus, User

from .models import (
    CareLevel,
    CareTeamMember,
    Channel,
    Consent,
    FamilyAccess,
    Group,
    GroupKind,
    GroupMember,
    MemberStatus,
    Notification,
    NotificationPreference,
    Patient,
    PatientPostYear,
    PatientStatus,
    Post,
    PostAcknowledgement,
    PostKind,
    PostRead,
    PushSubscription,
    ReplyTemplate,
    VitalSigns,
)
from .search import normalise

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- patient list, timeline --------------------------------------------------------------------

PAGE_SIZE = 20


class PatientListFacts(TypedDict):
    """What patient_list adds to each patient."""

    unread: int
    last_activity: datetime.datetime
    has_consent: bool


ListedPatient: TypeAlias = "WithAnnotations[Patient, PatientListFacts]"


class ListedRow(TypedDict):
    """A row of patient_list_rows: the columns the API's patient list shows, and the length of the whole list."""

    id: int
    name: str
    name_kana: str
    birth_date: datetime.date
    sex: str
    care_level: str
    status: str
    municipality__name: str
    unread: int
    last_activity: datetime.datetime
    has_consent: bool
    total_rows: int


class TimelineFacts(TypedDict):
    """What the API's timeline page adds to each post."""

    author_name: str | None
    total_rows: int


TimelinePost: TypeAlias = "WithAnnotations[Post, TimelineFacts]"


class Thread(TypedDict):
    """A row of posts_since: the id of the thread (top-level post) a new post belongs to."""

    thread: int


class UnreadTotals(TypedDict):
    patients: int
    posts: int


def patient_list(user: User, *, query: str = "", unread_only: bool = False) -> QuerySet[ListedPatient]:
    """My patients with unread counts and last activity, newest activity first (fixed queries).

    The unread count is the caller's membership counter (renkei/network/unread.py), one index probe
    per patient instead of an anti-join of the patient's posts against the read receipts.
    """
    unread = CareTeamMember.objects.filter(patient=OuterRef("pk"), user=user).values("unread_count")[:1]
    # The newest post through the (patient, channel, -created_at) index: one row, not an aggregate.
    last = Post.objects.filter(patient=OuterRef("pk"), channel=Channel.TEAM).order_by("-created_at").values(
        "created_at"
    )[:1]
    active_consent = Consent.objects.filter(patient=OuterRef("pk"), withdrawn_at__isnull=True)
    qs = patients_visible_to(user).select_related("municipality").annotate(
        unread=Coalesce(Subquery(unread), 0),
        last_activity=Coalesce(Subquery(last), "created_at"),
        has_consent=Exists(active_consent),
    )
    key = normalise(query)
    if key:
        qs = qs.filter(search_key__contains=key)
    if unread_only:
        qs = qs.filter(unread__gt=0)
    return qs.order_by("-last_activity", "-id")


def _stand_in(user_id: int) -> User:
    """An approved, active account with this id: what patient_list needs of its caller (the id)."""
    return User(pk=user_id, is_active=True, registration_status=RegistrationStatus.APPROVED)


LISTED_FIELDS = tuple(name for name in ListedRow.__annotations__ if name != "total_rows")
# The labels as get_FOO_display() gives them, for rows without a model instance (get_FOO_display() also
# rebuilds its choices mapping on every call).
CARE_LEVEL_LABELS: dict[str, str] = dict(CareLevel.choices)
STATUS_LABELS: dict[str, str] = dict(PatientStatus.choices)


def _listed_rows(user: User, query: str = "") -> QuerySet[Any]:
    """patient_list's query with the whole list's length on every row (COUNT(*) OVER ()), as plain rows."""
    return patient_list(user, query=query).annotate(total_rows=Window(Count("pk"))).values(
        *LISTED_FIELDS, "total_rows")


# The list without a search, compiled once per process (renkei/core/compiled.py) and run with the caller's id
# and the page's bounds; plain rows: no instance of Patient or Municipality for a page that only shows values.
_PATIENT_PAGE = CompiledQuery(Patient, lambda user_id: _listed_rows(_stand_in(user_id)), -730_011)


def patient_list_rows(user: User, *, query: str = "", limit: int, offset: int) -> tuple[list[ListedRow], int]:
    """A page of patient_list(user, query=query) as ListedRow dicts, and the length of the whole list (one query;
    a second only for a page past the end)."""
    if not is_signed_in(user):
        return [], 0
    if query:
        rows: list[ListedRow] = list(_listed_rows(user, query)[offset: offset + limit])
    else:
        rows = _PATIENT_PAGE.run(user.pk, limit=limit, offset=offset)
    if rows:
        return rows, rows[0]["total_rows"]
    return rows, (patient_list(user, query=query).count() if offset else 0)


def my_role(user: User, patient: Patient | int) -> CareTeamMember | None:
    """The user's membership row on the patient's team (or None)."""
    return CareTeamMember.objects.filter(patient=patient, user=user).first()


def team_of(patient: Patient | int) -> QuerySet[CareTeamMember]:
    """The care team rows with users and their facilities (one query + one prefetch)."""
    return (
        CareTeamMember.objects.filter(patient=patient)
        .exclude(status__in=[MemberStatus.DECLINED, MemberStatus.REMOVED])
        .select_related("user")
        .prefetch_related("user__facilities")
        .order_by("status", "-is_manager", "role", "id")
    )


def _post_queryset() -> QuerySet[Post]:
    reads = Prefetch("reads", queryset=PostRead.objects.select_related("user").order_by("read_at", "id"))
    # 「確認しました」 (the physician's view), shown under the post it was given to.
    acks = Prefetch("acknowledgements", queryset=PostAcknowledgement.objects.select_related("user"))
    replies = Prefetch(
        "replies",
        queryset=Post.objects.select_related("author", "vitals")
        .prefetch_related("attachments", reads, "mentions", "revisions", acks)
        .order_by("created_at", "id"),
    )
    return Post.objects.select_related("author", "vitals").prefetch_related(
        "attachments", reads, "mentions", "revisions", replies, acks
    )


def _only_kinds(qs: QuerySet[Post], *, only_notices: bool = False, without_notices: bool = False) -> QuerySet[Post]:
    """System notices alone (a team without consent), clinical posts alone (the 「記録のみ」 view), or all."""
    if only_notices:
        return qs.filter(kind=PostKind.NOTICE)
    if without_notices:
        return qs.exclude(kind=PostKind.NOTICE)
    return qs


def timeline_page(*, patient: Patient | None = None, group: Group | None = None, channel: str = "team",
                  before: int | None = None, after: int | None = None, only_notices: bool = False,
                  without_notices: bool = False, size: int = PAGE_SIZE) -> tuple[list[Post], int | None]:
    """One page of top-level posts, newest first, by cursor: `before` (older page) or `after` (new posts).

    Returns (posts, next_cursor). The cursor is the id of the last post shown; ids grow with time.
    """
    qs = _post_queryset().filter(parent__isnull=True)
    qs = qs.filter(patient=patient, channel=channel) if patient is not None else qs.filter(group=group)
    qs = _only_kinds(qs, only_notices=only_notices, without_notices=without_notices)
    if after is not None:
        posts = list(qs.filter(pk__gt=after).order_by("-id")[:size])
        return posts, None
    if before is not None:
        qs = qs.filter(pk__lt=before)
    posts = list(qs.order_by("-id")[: size + 1])
    more = len(posts) > size
    posts = posts[:size]
    return posts, (posts[-1].pk if more else None)


def _timeline_posts(*, patient: Patient | None = None, group: Group | None = None,
                    channel: str = "team") -> QuerySet[Post]:
    return Post.objects.filter(patient=patient, channel=channel) if patient is not None else Post.objects.filter(group=group)


def newest_post_id(*, patient: Patient | None = None, group: Group | None = None, channel: str = "team") -> int:
    """Id of the newest post (top-level or reply) on a timeline, for polling (the (patient, channel, id)
    index answers it from its last entry)."""
    newest: int | None = _timeline_posts(patient=patient, group=group, channel=channel).aggregate(m=Max("pk"))["m"]
    return newest or 0


# A poll looks at most this many of the newest posts after its cursor (a client far behind reloads the page).
SINCE_ROWS = 200


def posts_since(*, patient: Patient | None = None, group: Group | None = None, channel: str = "team",
                after: int) -> QuerySet[Post, Thread]:
    """The thread ids (top-level post ids) of the posts after post id `after`, newest first, as a
    subquery: an index range scan of (patient, channel, id) > after, bounded by SINCE_ROWS."""
    return (
        _timeline_posts(patient=patient, group=group, channel=channel)
        .filter(pk__gt=after).order_by("-id").values(thread=Coalesce("parent_id", "id"))[:SINCE_ROWS]
    )


def updated_threads(*, patient: Patient | None = None, group: Group | None = None, channel: str = "team", after: int,
                    only_notices: bool = False, without_notices: bool = False) -> list[Post]:
    """Top-level posts that are new, or that got a new reply, since post id `after`.

    The posts after `after` are found through the index, not by joining every post of the timeline to
    its replies: the cost follows the number of new posts, not the size of the timeline.
    """
    qs = _only_kinds(_post_queryset().filter(parent__isnull=True), only_notices=only_notices,
                     without_notices=without_notices)
    qs = qs.filter(patient=patient, channel=channel) if patient is not None else qs.filter(group=group)
    since = posts_since(patient=patient, group=group, channel=channel, after=after)
    return list(qs.filter(pk__in=since).order_by("-id")[:PAGE_SIZE])


def team_post_total(patient: Patient | int, *, only_notices: bool = False) -> Combinable:
    """The number of the patient's team-timeline posts, as an expression that reads no post but the notices:
    the per-year tally of text and vitals posts kept by triggers (tally.py) plus the notices, counted
    through their partial index (few rows). Cheap however long the timeline."""
    notices = Post.objects.filter(patient=patient, channel=Channel.TEAM, kind=PostKind.NOTICE).order_by()
    total: Combinable = Coalesce(Subquery(notices.values("patient").annotate(n=Count("*")).values("n")), 0)
    if not only_notices:
        tallied = PatientPostYear.objects.filter(patient=patient).order_by().values("patient")
        total = total + Coalesce(Subquery(tallied.annotate(n=Sum("posts")).values("n")), 0)
    return total


def get_post_or_404(user: User, post_id: str | int, *, patient: Patient | None = None,
                    group: Group | None = None) -> Post:
    """A post on a timeline the caller reaches (the patient/group was already checked); 404 otherwise."""
    qs = Post.objects.select_related("patient", "group", "author")
    qs = qs.filter(patient=patient) if patient is not None else qs.filter(group=group)
    try:
        return qs.get(pk=int(post_id))
    except (Post.DoesNotExist, TypeError, ValueError):
        raise Http404("見つかりません。")


def vitals_series(patient: Patient, *, limit: int = 30) -> list[VitalSigns]:
    """The most recent vital signs of a patient, oldest first (for the trend chart)."""
    rows = list(
        VitalSigns.objects.filter(patient=patient, post__retracted_at__isnull=True).order_by("-measured_at", "-id")[:limit]
    )
    return rows[::-1]


def consents_of(patient: Patient) -> QuerySet[Consent]:
    return Consent.objects.filter(patient=patient).select_related("obtained_by", "withdrawn_by", "document")


# --- invitations, candidates -------------------------------------------------------------------

def invitations_for(user: User) -> QuerySet[CareTeamMember]:
    """Care-team invitations waiting for the user's answer."""
    return (
        CareTeamMember.objects.filter(user=user, status=MemberStatus.INVITED)
        .select_related("patient", "invited_by").order_by("-invited_at")
    )


def professional_candidates(query: str | None, *, exclude_ids: Iterable[int] = (),
                            limit: int = 20) -> QuerySet[User]:
    """Registered professionals matching a name (kanji/kana), a facility name or a profession."""

    query = (query or "").strip()
    if not query:
        return User.objects.none()
    variants = {query, normalise(query)}
    variants |= {jaconv.hira2kata(normalise(query))}
    condition = Q()
    for text in variants:
        condition |= Q(name__icontains=text) | Q(name_kana__icontains=text) | Q(facilities__name__icontains=text)
        condition |= Q(facilities__name_kana__icontains=text)
    professions = [value for value, label in Profession.choices if query in label]
    if professions:
        condition |= Q(profession__in=professions)
    ids = (
        User.objects.filter(condition, is_active=True, registration_status=RegistrationStatus.APPROVED)
        .exclude(profession=Profession.MUNICIPAL)
        .exclude(pk__in=FamilyAccess.objects.values("user_id"))
        .exclude(pk__in=list(exclude_ids))
        .values("pk")
    )
    return User.objects.filter(pk__in=ids).prefetch_related("facilities").order_by("name_kana", "pk")[:limit]


# --- groups ------------------------------------------------------------------------------------

def group_member_ids(group: Group) -> list[int]:
    """User ids who read a group's timeline."""
    if group.kind == GroupKind.FACILITY:
        return list(Affiliation.objects.filter(facility=group.facility_id).values_list("user_id", flat=True))
    return list(GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE).values_list("user_id", flat=True))


def group_members(group: Group) -> QuerySet[User]:
    return User.objects.filter(pk__in=group_member_ids(group)).order_by("name_kana")


def group_invitations_for(user: User) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(user=user, status=MemberStatus.INVITED).select_related("group", "invited_by")


# --- family ------------------------------------------------------------------------------------

def family_accesses_of(patient: Patient) -> QuerySet[FamilyAccess]:
    return FamilyAccess.objects.filter(patient=patient).select_related("user").order_by("status", "id")


# --- notifications -----------------------------------------------------------------------------

def _visible_notifications(user: User) -> QuerySet[Notification]:
    """Notifications about what the user can still reach: a removed member's old ones no longer name the patient."""
    invited = CareTeamMember.objects.filter(user=user, status=MemberStatus.INVITED).values("patient_id")
    group_invited = GroupMember.objects.filter(user=user, status=MemberStatus.INVITED).values("group_id")
    reachable = (
        Q(patient__isnull=True, group__isnull=True)
        | Q(patient__in=patients_visible_to(user))
        | Q(patient__in=family_patients(user), post__channel=Channel.FAMILY)
        | Q(kind="invitation", patient__in=invited)
        | Q(group__in=groups_visible_to(user))
        | Q(kind="invitation", group__in=group_invited)
    )
    return Notification.objects.filter(reachable, recipient=user)


def notifications_for(user: User, *, limit: int = 30) -> QuerySet[Notification]:
    """The user's latest notifications that still point to something the user may see."""
    return _visible_notifications(user).select_related("actor", "patient", "group", "post").order_by(
        "-created_at", "-id"
    )[:limit]


def notification_list(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications (as the bell shows them), newest first, for a paged list."""
    qs = _visible_notifications(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("actor", "patient", "group").order_by("-created_at", "-id")


def own_notification_or_404(user: User, pk: int) -> Notification:
    """One of the user's own notifications; another user's looks exactly like a missing one."""
    notification = _visible_notifications(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("見つかりません。")
    return notification


def notification_preference_of(user: User) -> NotificationPreference:
    """The user's push settings, or the defaults (every kind on, no quiet hours) when never saved."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def push_devices_of(user: User) -> QuerySet[PushSubscription]:
    """The browsers and phones that receive the user's pushes, newest first."""
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")


def unread_notification_count(user: Viewer) -> int:
    """The number on the bell."""
    if not is_signed_in(user):
        return 0
    return _visible_notifications(user).filter(read_at__isnull=True).count()


def prepare_for_display(posts: Sequence[Post], user: User) -> Sequence[Post]:
    """Attach per-viewer display facts (readers, edit/retract rights) to prefetched posts; no queries."""
    now = timezone.now()
    for post in posts:
        replies = list(post.replies.all()) if post.parent_id is None and hasattr(post, "_prefetched_objects_cache") else []
        for item in [post, *replies]:
            item.readers = [r.user for r in item.reads.all() if r.user_id != item.author_id]
            mine = item.author_id == user.pk and not item.is_retracted
            item.can_edit = mine and item.kind == PostKind.TEXT and now <= item.editable_until()
            item.can_retract = mine and item.kind != PostKind.NOTICE
            cache = getattr(item, "_prefetched_objects_cache", {})
            item.ack_list = list(cache["acknowledgements"]) if "acknowledgements" in cache else []
            # 「確認しました」 here too for an important post or one that mentions the viewer (the physician's view).
            item.can_acknowledge = (
                "acknowledgements" in cache and "mentions" in cache and item.patient_id is not None
                and item.channel == Channel.TEAM and not item.is_retracted and item.kind != PostKind.NOTICE
                and item.author_id != user.pk and all(a.user_id != user.pk for a in item.ack_list)
                and (item.important or any(u.pk == user.pk for u in cache["mentions"]))
            )
        post.reply_list = replies
    return posts


def all_shown(posts: Iterable[Post]) -> list[Post]:
    """The posts and their replies, for read receipts."""
    return [item for post in posts for item in (post, *getattr(post, "reply_list", []))]



def unread_by_patient(user: User, *, limit: int) -> tuple[list[CareTeamMember], UnreadTotals]:
    """The user's patients with unread team posts, most unread first, at most `limit`, and the totals.

    Reads the membership counters (renkei/network/unread.py) of the patients visible to the user:
    (rows, {"patients": n, "posts": n}) in two queries whatever the number of patients.
    """
    rows = CareTeamMember.objects.filter(
        user=user, status=MemberStatus.ACTIVE, unread_count__gt=0, patient__in=patients_visible_to(user)
    )
    totals = cast(UnreadTotals, rows.aggregate(patients=Count("pk"), posts=Coalesce(Sum("unread_count"), 0)))
    shown = list(rows.select_related("patient").order_by("-unread_count", "patient__name_kana", "patient_id")[:limit])
    return shown, totals


def pending_invitation_count(user: User) -> int:
    """Care-team and group invitations waiting for the user's answer (one query)."""
    teams = CareTeamMember.objects.filter(user=user, status=MemberStatus.INVITED).order_by().values("pk")
    groups = GroupMember.objects.filter(user=user, status=MemberStatus.INVITED).order_by().values("pk")
    return teams.union(groups, all=True).count()


# --- the physician's view: reply templates -----------------------------------------------------------

def reply_templates(user: Viewer) -> QuerySet[ReplyTemplate]:
    """The user's own reply templates, oldest first (one query)."""
    return ReplyTemplate.objects.filter(user=user).order_by("id") if is_signed_in(user) else ReplyTemplate.objects.none()


def own_reply_template_or_404(user: Viewer, template_id: int | str) -> ReplyTemplate:
    """One of the user's reply templates; another user's (or a missing one) is 404."""
    try:
        found = reply_templates(user).filter(pk=int(template_id)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404("見つかりません。")
    return found
