"""Template filters for Japanese dates, fiscal years and yen amounts."""
from typing import Any

from django import template

from renkei.core import wareki

register = template.Library()


@register.filter
def era_date(value: Any) -> str:
    """{{ d|era_date }} → 令和7年4月1日"""
    return wareki.format_era_date(value)


@register.filter
def era_month(value: Any) -> str:
    """{{ d|era_month }} → 令和7年4月"""
    return wareki.format_month(value) if value else ""


@register.filter
def fy_label(value: Any) -> str:
    """{{ 2021|fy_label }} → 令和3年度"""
    return wareki.fiscal_year_label(int(value)) if value not in (None, "") else ""


@register.filter
def era_datetime(value: Any) -> str:
    """{{ dt|era_datetime }} → 令和7年4月1日 14:05"""
    if not value:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{wareki.format_era_date(local)} {local:%H:%M}"


@register.filter
def yen(value: Any) -> str:
    """{{ 150000|yen }} → 150,000円"""
    if value in (None, ""):
        return ""
    return f"{int(value):,}円"
