"""Template filters for the audit page: Japanese words for the stored action, object-type and detail codes."""
from django import template

from renkei.core import audit_labels

register = template.Library()


@register.filter
def audit_action(code: str | None) -> str:
    return audit_labels.action_label(code)


@register.filter
def audit_object_type(code: str | None) -> str:
    return audit_labels.object_type_label(code)


@register.filter
def audit_detail(text: str) -> str:
    return audit_labels.detail_label(text)
