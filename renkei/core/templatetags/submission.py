"""{% submission_token %}: the hidden one-time token that makes a create form count once (core/idempotency.py)."""
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from renkei.core.idempotency import SUBMISSION_FIELD, new_submission_token

register = template.Library()


@register.simple_tag
def submission_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, new_submission_token())
