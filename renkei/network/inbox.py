"""The physician's view (「確認が必要なもの」): across the user's patients, only what needs them.

An item is one of:
- a team post of one of the user's patients, by someone else, in the last INBOX_DAYS days, that is
  **important** (重要), **mentions** the user, or is a **question** (a thread's first post whose text
  has a question mark 「？」 or "?"), and that the user has neither acknowledged (「確認しました」,
  PostAcknowledgement) nor answered (a reply of theirs in the same thread after it). A reply counts only
  when it mentions the user. Retracted posts and system notices never count.
- a finalised coordination sheet addressed to the user that they have not opened
  (renkei.sheets.selectors.unopened_addressed_sheets); acknowledging it marks it opened.

Everything starts from renkei.core.access (patients_visible_to, sheets_visible_to): a patient whose team
the user left drops out of the list at once. A fixed number of queries whatever the number of items.
"""
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from renkei.core.access import is_signed_in, patients_visible_to
from renkei.core.models import User

from .models import Channel, Post, PostAcknowledgement, PostKind

if TYPE_CHECKING:
    from renkei.sheets.models import Sheet

INBOX_DAYS = 30
QUESTION = Q(body__contains="？") | Q(body__contains="?")


@dataclass
class Reason:
    code: str
    label: str


REASONS = {
    "important": "重要",
    "mention": "自分へのメンション",
    "question": "未回答の質問",
    "sheet": "自分宛ての連携シート（未開封）",
}


def _since(now: datetime.datetime | None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=INBOX_DAYS)


def inbox_posts(user: User, *, now: datetime.datetime | None = None) -> QuerySet[Post]:
    """The team posts waiting for the user (see the module), oldest first, each annotated with
    `mentions_me` and `is_question`; one query when listed."""
    if not is_signed_in(user):
        return Post.objects.none()
    mentioned = Post.mentions.through.objects.filter(post_id=OuterRef("pk"), user_id=user.pk)
    acknowledged = PostAcknowledgement.objects.filter(post=OuterRef("pk"), user=user)
    answered = Post.objects.filter(parent_id=OuterRef("thread"), author=user, retracted_at__isnull=True,
                                   created_at__gt=OuterRef("created_at"))
    return (
        Post.objects.filter(patient__in=patients_visible_to(user), channel=Channel.TEAM, retracted_at__isnull=True,
                            created_at__gte=_since(now))
        .exclude(kind=PostKind.NOTICE).exclude(author=user)
        .annotate(
            mentions_me=Exists(mentioned),
            is_question=Case(When(QUESTION & Q(parent__isnull=True), then=Value(True)), default=Value(False),
                             output_field=BooleanField()),
            thread=Coalesce("parent_id", "id"),
        )
        .filter(Q(mentions_me=True) | Q(parent__isnull=True) & (Q(important=True) | QUESTION))
        .exclude(Exists(acknowledged)).exclude(Exists(answered))
        .select_related("patient", "author")
        .order_by("created_at", "id")
    )


def inbox_sheets(user: User) -> "QuerySet[Sheet]":
    """Finalised sheets addressed to the user and not opened yet, oldest first."""
    from renkei.sheets.selectors import unopened_addressed_sheets

    return unopened_addressed_sheets(user).select_related("patient", "sent_by").order_by("sent_at", "id")


def reasons_of(post: Post) -> list[Reason]:
    """Why a post of inbox_posts is in the list (its badges)."""
    codes = [code for code, present in (("important", post.important and post.parent_id is None),
                                        ("mention", getattr(post, "mentions_me", False)),
                                        ("question", getattr(post, "is_question", False))) if present]
    return [Reason(code, REASONS[code]) for code in codes]


@dataclass
class InboxItem:
    """One line of the list: a post or a sheet, with its patient and why it is there."""

    kind: str  # "post" | "sheet"
    id: int
    patient_id: int
    patient_name: str
    author: str
    created_at: datetime.datetime
    body: str
    reasons: list[Reason]
    url: str
    post: Post | None = None


def _post_item(post: Post) -> InboxItem:
    patient = post.patient
    assert patient is not None  # inbox_posts lists patients' team posts only
    return InboxItem("post", post.pk, patient.pk, patient.name, str(post.author) if post.author_id else "",
                     post.created_at, post.body, reasons_of(post),
                     reverse("network:timeline", args=[patient.pk]) + f"#post-{post.pk}", post=post)


SHOWN = 50  # oldest first: acknowledging one brings the next into view


def inbox_items(user: User, *, now: datetime.datetime | None = None, limit: int = SHOWN) -> list[InboxItem]:
    """The `limit` oldest posts and sheets waiting for the user (two queries)."""
    posts = list(inbox_posts(user, now=now)[:limit])
    sheets = list(inbox_sheets(user)[:limit])
    items = [_post_item(p) for p in posts] + [
        InboxItem("sheet", s.pk, s.patient_id, s.patient.name, str(s.sent_by) if s.sent_by_id else "",
                  s.sent_at or s.created_at, s.get_kind_display(), [Reason("sheet", REASONS["sheet"])],
                  reverse("sheets:detail", args=[s.pk]))
        for s in sheets
    ]
    return sorted(items, key=lambda item: (item.created_at, item.kind, item.id))[:limit]


def inbox_count(user: User, *, now: datetime.datetime | None = None) -> int:
    """How many items wait for the user (two queries): the home page's and the digest's figure."""
    return inbox_posts(user, now=now).count() + inbox_sheets(user).count()
