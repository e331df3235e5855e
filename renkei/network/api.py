"""API of the care-team network: my patients, one patient, the timeline (read and post)."""
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.compiled import CompiledQuery, ids_sample
from renkei.core.errors import audit_refusal
from renkei.core.idempotency import idempotent as _idempotent
from renkei.core.models import User

from . import push, selectors, services
from .models import Attachment, Channel, Notification, Patient, Post, PostRead, PushSubscription
from .requests import SignedInRequest

# renkei.core.idempotency is not annotated yet (issue 17, the core half): the signature used here.
_Operation = TypeVar("_Operation", bound=Callable[..., Any])
idempotent = cast("Callable[[_Operation], _Operation]", _idempotent)
_Row = TypeVar("_Row", bound=Model)

router = Router(tags=["patients"])


class PatientOut(Schema):
    id: int
    name: str
    name_kana: str
    birth_date: date
    sex: str
    care_level: str
    care_level_label: str
    status: str
    status_label: str
    municipality: str


class PatientListItem(PatientOut):
    unread: int
    last_activity: datetime
    has_consent: bool


class PatientList(Schema):
    count: int
    items: list[PatientListItem]


class PatientDetail(PatientOut):
    address: str
    consent: str = Field(description="active | withdrawn | none")
    team: list[dict[str, Any]]


class PostOut(Schema):
    id: int
    body: str
    author: str | None
    author_id: int | None
    kind: str
    important: bool
    parent_id: int | None
    created_at: datetime
    edited: bool
    retracted: bool
    read_by: list[str]
    attachments: list[dict[str, Any]]


class PostList(Schema):
    count: int
    items: list[PostOut]
    next: int | None = Field(None, description="次のページのカーソル（before=next、after で取得中は after=next）。なければ null")


class PostIn(Schema):
    body: str = Field(max_length=5000)
    important: bool = False
    parent_id: int | None = None


# The answers of the hottest endpoints are built with model_construct: their values come typed from the database
# (and the schema's own types), so pydantic's validation of each field — through django-ninja's per-object
# wrapper — only cost CPU (docs/benchmark.md). tests/network/test_api.py validates every such answer.

def _label(labels: dict[str, str], value: str) -> str:
    """A choice's label as get_FOO_display() gives it (the value itself when it is not a choice)."""
    return str(labels.get(value, value))



def _patient_out(p: Patient) -> dict[str, Any]:
    """A patient's PatientOut fields, for the answers that add their own."""
    return {
        "id": p.pk, "name": p.name, "name_kana": p.name_kana, "birth_date": p.birth_date, "sex": p.sex,
        "care_level": p.care_level, "care_level_label": _label(selectors.CARE_LEVEL_LABELS, p.care_level),
        "status": p.status, "status_label": _label(selectors.STATUS_LABELS, p.status), "municipality": p.municipality.name,
    }


def _visible(request: SignedInRequest, patient_id: int, *, with_consent: bool = False) -> Patient:
    try:
        return selectors.get_visible_patient_or_404(request.user, patient_id, with_consent=with_consent)
    except Http404:
        audit_refusal(request, reason=f"api {request.method} {request.path}")
        raise


def _limits(limit: int, offset: int) -> None:
    if limit < 1 or limit > 100 or offset < 0:
        raise HttpError(400, "limit は 1〜100、offset は 0 以上で指定してください。")


@router.get("", response=PatientList, summary="My patients (care-team member only)")
def list_patients(request: SignedInRequest, limit: int = 20, offset: int = 0, q: str = "") -> PatientList:
    """Patients on whose care team the caller is an active member, newest activity first."""
    _limits(limit, offset)
    rows, count = selectors.patient_list_rows(request.user, query=q, limit=limit, offset=offset)
    record(action=Action.READ, request=request, object_type="network.patient", detail="api patient list")
    items = [
        PatientListItem.model_construct(
            id=row["id"], name=row["name"], name_kana=row["name_kana"], birth_date=row["birth_date"], sex=row["sex"],
            care_level=row["care_level"], care_level_label=_label(selectors.CARE_LEVEL_LABELS, row["care_level"]),
            status=row["status"], status_label=_label(selectors.STATUS_LABELS, row["status"]), municipality=row["municipality__name"],
            unread=row["unread"], last_activity=row["last_activity"], has_consent=row["has_consent"])
        for row in rows
    ]
    return PatientList.model_construct(count=count, items=items)


def _page_with_count(qs: QuerySet[_Row], limit: int, offset: int) -> tuple[list[_Row], int]:
    """A page and the total in one query (COUNT(*) OVER ()); a second query only past the last row."""
    rows = list(qs.annotate(total_rows=Window(Count("pk")))[offset: offset + limit])
    if rows:
        return rows, rows[0].total_rows
    return rows, (qs.count() if offset else 0)


@router.get("/{patient_id}", response={200: PatientDetail, 404: Detail}, summary="One patient")
def get_patient(request: SignedInRequest, patient_id: int) -> dict[str, object]:
    """One patient; 404 unless the caller is on its care team."""
    patient = _visible(request, patient_id)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="api")
    team = [
        {"name": str(m.user), "role": m.role, "role_label": m.get_role_display(), "is_manager": m.is_manager,
         "status": m.status}
        for m in selectors.team_of(patient)
    ]
    return {**_patient_out(patient), "address": patient.address, "consent": services.consent_state(patient),
            "team": team}


def _post_out(post: Post, *, readers: Iterable[tuple[int, str]], attachments: Iterable[Attachment],
              author: str | None = None) -> PostOut:
    """A post as JSON, with the names of its readers (the author left out) and its files."""
    shown = not post.is_retracted
    if author is None:
        author = str(post.author) if post.author_id else None
    return PostOut.model_construct(
        id=post.pk, body=post.body if shown else "", author=author,
        author_id=post.author_id, kind=post.kind, important=post.important, parent_id=post.parent_id,
        created_at=post.created_at, edited=post.is_edited, retracted=post.is_retracted,
        read_by=[name for user_id, name in readers if user_id != post.author_id],
        attachments=[
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in attachments
        ] if shown else [],
    )


def _display_name(user_ref: str) -> Subquery:
    """A user's name as str(user) gives it (name, else username), as a subquery by id: index probes
    for the few rows of a page instead of a join that hashes every account of the region."""
    return Subquery(
        User.objects.filter(pk=OuterRef(user_ref)).values(
            display=Coalesce(NullIf("name", Value("")), "username")
        )[:1]
    )


# Offset paging reads and skips every row before the page: it stops here, older posts are reached by cursor.
MAX_OFFSET = 1000


def _timeline_window(limit: int, offset: int, before: int | None, after: int | None) -> None:
    _limits(limit, offset)
    if offset > MAX_OFFSET:
        raise HttpError(400, f"offset は {MAX_OFFSET} 以下で指定してください。それより古い投稿は before（前のページの next）で取得してください。")
    if (before is not None) + (after is not None) + (offset > 0) > 1:
        raise HttpError(400, "before・after・offset はどれか一つだけ指定してください。")
    if (before is not None and before < 1) or (after is not None and after < 0):
        raise HttpError(400, "before は 1 以上、after は 0 以上の投稿 ID で指定してください。")


@router.get("/{patient_id}/posts", response={200: PostList, 400: Detail, 404: Detail}, summary="Timeline")
def list_posts(request: SignedInRequest, patient_id: int, limit: int = 20, offset: int = 0, before: int | None = None,
               after: int | None = None) -> PostList:
    """The team timeline (replies included as items with parent_id). Newest first by default, paged by
    `offset` (at most MAX_OFFSET) or by cursor: `before=<id>` gives the older posts (newest first),
    `after=<id>` the newer ones (oldest first, for catching up); `next` is the cursor of the following
    page. `count` is the whole timeline, read from the kept tally (no scan of the posts)."""
    _timeline_window(limit, offset, before, after)
    patient = _visible(request, patient_id, with_consent=True)
    only_notices = services.consent_state(patient) == "none"
    if before is not None:
        rows, offset = _TIMELINE[("before", only_notices)].run(patient.pk, before, limit=limit + 1), 0
    elif after is not None:
        rows, offset = _TIMELINE[("after", only_notices)].run(patient.pk, after, limit=limit + 1), 0
    else:
        rows = _TIMELINE[("newest", only_notices)].run(patient.pk, limit=limit + 1, offset=offset)
    page: list[selectors.TimelinePost] = rows[:limit]
    count = page[0].total_rows if page else _total(patient, only_notices)
    next_cursor = page[-1].pk if len(rows) > limit else None
    # The page's files and read receipts in one plain query each (cheaper than two related-manager prefetches).
    ids = [p.pk for p in page]
    files: defaultdict[int | None, list[Attachment]] = defaultdict(list)
    readers: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    if ids:
        for attachment in _FILES.run(ids):
            files[attachment.post_id].append(attachment)
        for post_id, user_id, name in _RECEIPTS.run(ids):
            readers[post_id].append((user_id, name))
    me = request.user.pk
    services.mark_read(posts=[p for p in page if all(user_id != me for user_id, _ in readers[p.pk])], user=request.user)
    cursor = f"before={before}" if before is not None else f"after={after}" if after is not None else f"offset={offset}"
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail=f"api posts {cursor}")
    items = [_post_out(p, readers=readers[p.pk], attachments=files[p.pk], author=p.author_name) for p in page]
    return PostList.model_construct(count=count, items=items, next=next_cursor)


def _timeline_query(patient_id: int, *cursor: int, mode: str, only_notices: bool) -> QuerySet[Post]:
    """A timeline page's query: newest first, or older than a cursor (`before`), or newer (`after`, oldest first)."""
    qs = Post.objects.filter(patient_id=patient_id, channel=Channel.TEAM)
    if only_notices:
        qs = qs.filter(kind="notice")
    qs = qs.annotate(author_name=_display_name("author_id"), total_rows=selectors.team_post_total(
        patient_id, only_notices=only_notices))
    if mode == "before":
        return qs.filter(pk__lt=cursor[0]).order_by("-id")
    if mode == "after":
        return qs.filter(pk__gt=cursor[0]).order_by("id")
    return qs.order_by("-created_at", "-id")


# The timeline's queries, compiled once per process (renkei/core/compiled.py) with stand-in ids.
_TIMELINE = {
    (mode, only_notices): CompiledQuery(
        Post, lambda *values, mode=mode, only_notices=only_notices: _timeline_query(
            *values, mode=mode, only_notices=only_notices),
        -730_021, *([-730_022] if mode != "newest" else []))
    for mode in ("newest", "before", "after") for only_notices in (False, True)
}
_FILES = CompiledQuery(Attachment, lambda ids: Attachment.objects.filter(post_id__in=ids), ids_sample(-731_000))
_RECEIPTS = CompiledQuery(PostRead, lambda ids: PostRead.objects.filter(post_id__in=ids).order_by("read_at", "id")
                          .values_list("post_id", "user_id", _display_name("user_id")), ids_sample(-732_000))


def _total(patient: Patient, only_notices: bool) -> int:
    """The timeline's total when the page is empty (no row to carry it)."""
    total: int = Patient.objects.filter(pk=patient.pk).values_list(
        selectors.team_post_total(patient, only_notices=only_notices), flat=True).get()
    return total


@router.post("/{patient_id}/posts", response={201: PostOut, 400: Detail, 404: Detail, 409: Detail},
             summary="Post on the timeline")
@idempotent
def create_post(request: SignedInRequest, patient_id: int, payload: PostIn) -> Status[PostOut | dict[str, str]]:
    """Post text on the team timeline; refused without (or after withdrawal of) consent with 409."""
    patient = _visible(request, patient_id, with_consent=True)
    parent = None
    if payload.parent_id is not None:
        parent = Post.objects.filter(patient=patient, channel=Channel.TEAM, pk=payload.parent_id).first()
        if parent is None:
            audit_refusal(request, patient=patient, reason="api reply parent")
            raise Http404
    try:
        post = services.create_post(author=request.user, body=payload.body, patient=patient, parent=parent,
                                    important=payload.important, request=request)
    except services.Refused as refused:
        audit_refusal(request, patient=patient, reason=f"api {refused.message}")
        status = refused.status if refused.status in (400, 404, 409) else 400
        if status == 404:
            raise Http404
        return Status(status, {"detail": refused.message})
    # Just created through the API: the author is the caller, no files, no reader but the author yet.
    return Status(201, _post_out(post, readers=[], attachments=[]))


# --- notifications and push devices (full paths; mounted at /api/v1/) --------------------------------

notifications_router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    created_at: datetime
    read_at: datetime | None
    actor: str | None
    patient_id: int | None
    patient_name: str | None = Field(description="患者の氏名（その患者のケアチームに今もいる場合のみ通知に現れる）")
    group_id: int | None
    group_name: str | None
    post_id: int | None
    sheet_id: int | None


class NotificationList(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class MarkedRead(Schema):
    marked: int


class PushKeys(Schema):
    p256dh: str = Field(max_length=200, description="ブラウザの公開鍵（base64url、P-256 非圧縮点）")
    auth: str = Field(max_length=100, description="認証用の秘密（base64url、16 バイト）")


class PushSubscriptionIn(Schema):
    endpoint: str = Field(max_length=1000, description="ブラウザの PushSubscription.endpoint（https://）")
    keys: PushKeys


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str
    created_at: datetime
    last_used_at: datetime | None


def _notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk, kind=n.kind, kind_label=n.get_kind_display(), created_at=n.created_at,
        read_at=n.read_at, actor=str(n.actor) if n.actor_id else None, patient_id=n.patient_id,
        patient_name=n.patient.name if n.patient is not None else None, group_id=n.group_id,
        group_name=n.group.name if n.group is not None else None, post_id=n.post_id, sheet_id=n.sheet_id,
    )


@notifications_router.get("/notifications", response=NotificationList, summary="My notifications (the bell)")
def list_notifications(request: SignedInRequest, limit: int = 20, offset: int = 0,
                       unread: bool = False) -> dict[str, object]:
    """The caller's notifications, newest first (`unread=true`: only the unread); `unread` in the answer
    counts all the caller's unread ones. Only what the caller may still reach is listed (as in the bell)."""
    _limits(limit, offset)
    qs = selectors.notification_list(request.user, unread_only=unread)
    rows, count = _page_with_count(qs, limit, offset)
    unread_count = selectors.unread_notification_count(request.user)
    record(action=Action.READ, request=request, object_type="network.notification", detail="api notifications")
    return {"count": count, "unread": unread_count, "items": [_notification_out(n) for n in rows]}


@notifications_router.post("/notifications/read", response=MarkedRead, summary="Mark all my notifications read")
@idempotent
def read_all_notifications(request: SignedInRequest) -> dict[str, int]:
    """Every unread notification of the caller becomes read; answers how many."""
    return {"marked": services.mark_notifications_read(user=request.user)}


@notifications_router.post("/notifications/{notification_id}/read", response={200: NotificationOut, 404: Detail},
                           summary="Mark one notification read")
@idempotent
def read_notification(request: SignedInRequest, notification_id: int) -> NotificationOut:
    """One of the caller's notifications becomes read; another user's (or a missing one) is 404."""
    try:
        notification = selectors.own_notification_or_404(request.user, notification_id)
    except Http404:
        audit_refusal(request, reason=f"api {request.method} {request.path}")
        raise
    services.mark_notifications_read(user=request.user, ids=[notification.pk])
    notification.refresh_from_db(fields=["read_at"])
    return _notification_out(notification)


@notifications_router.post("/push/subscriptions", response={201: PushSubscriptionOut, 400: Detail},
                           summary="Register a device for Web Push")
@idempotent
def create_push_subscription(request: SignedInRequest,
                             payload: PushSubscriptionIn) -> Status[PushSubscription]:
    """Register (or renew) a browser's PushSubscription for the caller. The pushes carry no patient data
    (「新しい連絡があります」); the public key to subscribe with is at GET /push/key."""
    subscription = services.subscribe(user=request.user, endpoint=payload.endpoint, p256dh=payload.keys.p256dh,
                                      auth=payload.keys.auth, request=request)
    return Status(201, subscription)


@notifications_router.delete("/push/subscriptions", response={204: None, 404: Detail},
                             summary="Unregister a device from Web Push")
def delete_push_subscription(request: SignedInRequest, endpoint: str) -> Status[None]:
    """Forget the caller's subscription with this endpoint; 404 if the caller has none with it."""
    services.unsubscribe(user=request.user, endpoint=endpoint, request=request)
    return Status(204, None)


class PushKeyOut(Schema):
    enabled: bool
    public_key: str = Field(description="VAPID 公開鍵（applicationServerKey、base64url）。プッシュ通知が無効なら空")


@notifications_router.get("/push/key", response=PushKeyOut, summary="The VAPID public key")
def push_key(request: HttpRequest) -> dict[str, object]:
    """Whether this installation sends Web Push, and the key a browser subscribes with."""
    return {"enabled": push.is_configured(), "public_key": settings.VAPID_PUBLIC_KEY if push.is_configured() else ""}
