"""Writes of the care-team network: each validates, saves atomically and writes the audit row."""
from django.db import transaction

from renkei.core.audit import Action, record

from .models import Channel, Post, PostKind


class Refused(Exception):
    """A write the caller may not make or whose input is wrong; the message is for the user (Japanese)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def post_notice(*, patient, author, body, request=None):
    """Put a system notice (e.g. "a coordination sheet was sent") on the patient's team timeline.

    Notices carry no clinical detail, so they are allowed without consent. Returns the Post.
    """
    body = (body or "").strip()
    if not body:
        raise Refused("お知らせの本文がありません。", field="body")
    with transaction.atomic():
        post = Post.objects.create(patient=patient, channel=Channel.TEAM, author=author, kind=PostKind.NOTICE, body=body)
        record(action=Action.CREATE, request=request, actor=author, obj=post, patient=patient, detail="notice")
    return post
