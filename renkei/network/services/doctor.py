"""The physician's view: 「確認しました」 on a post or a sheet, and the user's own reply templates."""
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from renkei.core.audit import Action, record
from renkei.core.models import User

from ..models import Notification, Post, PostAcknowledgement, ReplyTemplate
from ._common import Refused

if TYPE_CHECKING:
    from renkei.sheets.models import Sheet

MAX_TEMPLATES = 30
TEMPLATE_MAX_LENGTH = 200


def acknowledge_post(*, user: User, post: Post, request: HttpRequest | None = None) -> tuple[PostAcknowledgement, bool]:
    """The user confirms having seen a team post (idempotent): (the acknowledgement, whether it is new).

    The caller reached `post` through renkei.core.access.get_visible_team_post_or_404. The first
    acknowledgement is audited, shown under the post to the team, and makes the post's notifications
    to the user read; a repeated one changes nothing.
    """
    found = PostAcknowledgement.objects.filter(post=post, user=user).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            ack = PostAcknowledgement.objects.create(post=post, user=user)
            Notification.objects.filter(recipient=user, post=post, read_at__isnull=True).update(read_at=ack.acknowledged_at)
            record(action=Action.CREATE, request=request, actor=user, obj=ack, patient=post.patient_id,
                   detail=f"acknowledged post {post.pk}")
    except IntegrityError:  # a double tap: the other request stored it first
        return PostAcknowledgement.objects.get(post=post, user=user), False
    return ack, True


def acknowledge_sheet(*, user: User, sheet: "Sheet", request: HttpRequest | None = None) -> bool:
    """The user confirms a sheet addressed to them: it counts as opened (as on the sheet's page); audited."""
    from renkei.sheets import services as sheets

    with transaction.atomic():
        marked = sheets.mark_read(sheet=sheet, user=user)
        record(action=Action.UPDATE, request=request, actor=user, obj=sheet, patient=sheet.patient_id,
               detail="acknowledged from the physician's list")
    return marked


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Refused("定型文を入力してください。", field="body")
    if len(body) > TEMPLATE_MAX_LENGTH:
        raise Refused(f"定型文は {TEMPLATE_MAX_LENGTH} 文字以内にしてください。", field="body")
    return body


def create_reply_template(*, user: User, body: str, request: HttpRequest | None = None) -> ReplyTemplate:
    """Add one of the user's reply templates (at most MAX_TEMPLATES)."""
    body = _clean_body(body)
    if ReplyTemplate.objects.filter(user=user).count() >= MAX_TEMPLATES:
        raise Refused(f"定型文は {MAX_TEMPLATES} 件までです。使わないものを削除してください。", field="body")
    with transaction.atomic():
        template = ReplyTemplate.objects.create(user=user, body=body)
        record(action=Action.CREATE, request=request, actor=user, obj=template)
    return template


def update_reply_template(*, template: ReplyTemplate, body: str, request: HttpRequest | None = None) -> ReplyTemplate:
    """Change the text of one of the user's templates (the caller found it among the user's own)."""
    template.body = _clean_body(body)
    with transaction.atomic():
        template.save(update_fields=["body"])
        record(action=Action.UPDATE, request=request, actor=template.user, obj=template)
    return template


def delete_reply_template(*, template: ReplyTemplate, request: HttpRequest | None = None) -> None:
    """Remove one of the user's templates."""
    with transaction.atomic():
        record(action=Action.DELETE, request=request, actor=template.user, obj=template)
        template.delete()
