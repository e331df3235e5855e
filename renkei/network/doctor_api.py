"""API of the physician's view (full paths, mounted at /api/v1/): the list, 「確認しました」, reply templates."""
from datetime import datetime
from typing import TypedDict

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from renkei.core.access import get_visible_team_post_or_404
from renkei.core.api import TokenRequest
from renkei.core.apibase import Detail
from renkei.core.audit import Action, record
from renkei.core.idempotency import idempotent

from . import inbox, selectors, services
from .models import ReplyTemplate

router = Router(tags=["physician"])


class InboxReason(Schema):
    code: str = Field(description="important | mention | question | sheet")
    label: str


class InboxItemOut(Schema):
    kind: str = Field(description="post | sheet")
    id: int = Field(description="投稿の id（kind=post）または連携シートの id（kind=sheet）")
    patient_id: int
    patient_name: str
    author: str
    created_at: datetime
    body: str = Field(description="投稿の本文（kind=post）または連携シートの種類（kind=sheet）")
    reasons: list[InboxReason]
    url: str = Field(description="画面で開くアドレス")


class InboxOut(Schema):
    count: int
    items: list[InboxItemOut]


class AcknowledgementOut(Schema):
    post_id: int
    user: str
    acknowledged_at: datetime
    created: bool = Field(description="今回の呼び出しで記録されたか（2回目以降は false、記録は1件のまま）")


class ReasonFields(TypedDict):
    code: str
    label: str


class InboxItemFields(TypedDict):
    kind: str
    id: int
    patient_id: int
    patient_name: str
    author: str
    created_at: datetime
    body: str
    url: str
    reasons: list[ReasonFields]


class InboxFields(TypedDict):
    """What doctor_inbox answers (the shape of InboxOut)."""

    count: int
    items: list[InboxItemFields]


class AcknowledgementFields(TypedDict):
    """What acknowledge_post answers (the shape of AcknowledgementOut)."""

    post_id: int
    user: str
    acknowledged_at: datetime
    created: bool


class TemplateIn(Schema):
    body: str = Field(max_length=200)


class TemplateOut(Schema):
    id: int
    body: str
    created_at: datetime


@router.get("/doctor/inbox", response={200: InboxOut, 400: Detail}, summary="What needs me across my patients (the physician's view)")
def doctor_inbox(request: TokenRequest, limit: int = inbox.SHOWN) -> InboxFields:
    """Important posts, mentions of the caller, unanswered questions (last 30 days) and unopened sheets
    addressed to the caller, of the patients on whose team the caller is an active member; the `limit`
    (1–200) oldest. `count` is all of them: acknowledging the shown ones brings the next."""
    if limit < 1 or limit > 200:
        raise HttpError(400, "limit は 1〜200 で指定してください。")
    items = inbox.inbox_items(request.user, limit=limit)
    count = len(items) if len(items) < limit else inbox.inbox_count(request.user)
    record(action=Action.READ, request=request, object_type="network.doctor_inbox",
           detail=f"api physician's list ({count} items)")
    return {"count": count, "items": [
        {"kind": i.kind, "id": i.id, "patient_id": i.patient_id, "patient_name": i.patient_name, "author": i.author,
         "created_at": i.created_at, "body": i.body, "url": i.url,
         "reasons": [{"code": r.code, "label": r.label} for r in i.reasons]}
        for i in items
    ]}


@router.post("/posts/{post_id}/acknowledge", response={200: AcknowledgementOut, 404: Detail},
             summary="「確認しました」 on a team post (idempotent)")
@idempotent
def acknowledge_post(request: TokenRequest, post_id: int) -> AcknowledgementFields:
    """Record that the caller has seen a team post of one of their patients; shown under the post to the
    team. Calling again answers the same record (created=false). Another team's post is 404."""
    post = get_visible_team_post_or_404(request.user, post_id)
    ack, created = services.acknowledge_post(user=request.user, post=post, request=request)
    return {"post_id": post.pk, "user": str(request.user), "acknowledged_at": ack.acknowledged_at, "created": created}


@router.get("/doctor/templates", response=list[TemplateOut], summary="My reply templates")
def list_templates(request: TokenRequest) -> list[ReplyTemplate]:
    return list(selectors.reply_templates(request.user))


@router.post("/doctor/templates", response={201: TemplateOut, 400: Detail}, summary="Add a reply template")
@idempotent
def create_template(request: TokenRequest, payload: TemplateIn) -> Status[ReplyTemplate]:
    return Status(201, services.create_reply_template(user=request.user, body=payload.body, request=request))


@router.put("/doctor/templates/{template_id}", response={200: TemplateOut, 400: Detail, 404: Detail},
            summary="Change one of my reply templates")
def update_template(request: TokenRequest, template_id: int, payload: TemplateIn) -> ReplyTemplate:
    template = selectors.own_reply_template_or_404(request.user, template_id)
    return services.update_reply_template(template=template, body=payload.body, request=request)


@router.delete("/doctor/templates/{template_id}", response={204: None, 404: Detail},
               summary="Remove one of my reply templates")
def delete_template(request: TokenRequest, template_id: int) -> Status[None]:
    services.delete_reply_template(template=selectors.own_reply_template_or_404(request.user, template_id),
                                   request=request)
    return Status(204, None)
