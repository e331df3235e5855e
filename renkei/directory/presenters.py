"""Shapes of directory data for pages and JSON (no queries: everything is prefetched by selectors)."""
from django.urls import reverse

from . import selectors
from .models import Weekday
from .taxonomy import CAPABILITIES, kind_colour, kind_label
from .windows import is_fresh_answer

# What a facility page says where the ministry's open data has no entry, in words a resident understands.
NOT_PUBLISHED = "この項目は国の公開データに掲載がありません。施設に直接お問い合わせください。"
MISSING = {
    "address": "所在地は国の公開データに掲載がありません。",
    "phone": "電話番号は国の公開データに掲載がありません。",
    "hours": "営業日・診療時間は国の公開データに掲載がありません。施設に直接お問い合わせください。",
    "services": NOT_PUBLISHED,
    "capabilities": "この施設から登録がありません。施設に直接お問い合わせください。",
    "location": "地図上の位置は国の公開データに掲載がないため、地図には表示していません。",
}

WEEKDAY_LABELS = {v: ("祝日" if v == 8 else f"{label}曜日") for v, label in Weekday.choices}


def time_range(schedule):
    if schedule.opens_at and schedule.closes_at:
        return f"{schedule.opens_at:%H:%M}〜{schedule.closes_at:%H:%M}"
    if schedule.opens_at:
        return f"{schedule.opens_at:%H:%M}〜"
    return "営業・診療"


def hours_by_day(schedules):
    """[(曜日, ["09:00〜12:00（内科）", ...])] for each open day, in week order."""
    days = {}
    for schedule in schedules:
        text = time_range(schedule) + (f"（{schedule.note}）" if schedule.note else "")
        entries = days.setdefault(schedule.weekday, [])
        if text not in entries:
            entries.append(text)
    return [(WEEKDAY_LABELS[day], days[day]) for day in sorted(days)]


def capabilities_grouped(capabilities):
    groups = {}
    for capability in capabilities:
        label, group = CAPABILITIES.get(capability.code, (capability.code, "その他"))
        groups.setdefault(group, []).append(label)
    return list(groups.items())


def detail_context(facility, user):
    profile = facility.profile
    is_admin = user.is_authenticated and any(
        a.user_id == user.pk and a.is_admin for a in facility.affiliations.all())
    return {
        "facility": facility, "profile": profile,
        "hours": hours_by_day(facility.directory_schedules.all()),
        "capabilities": capabilities_grouped(facility.capabilities.all()),
        "services": [s for s in facility.directory_services.all() if s.is_active],
        "phones": list(facility.directory_phones.all()), "contacts": list(facility.directory_contacts.all()),
        "areas": [a.name for a in facility.directory_areas.all()],
        "colour": kind_colour(facility.kind), "can_edit": is_admin,
        "is_staff": getattr(user, "is_municipal_staff", False),
        "stale": selectors.is_stale(profile),
        "missing": MISSING,
        # An acceptance answer older than a month is shown as unknown, not as true.
        "accepting_stale": profile.accepting_new is not None and not is_fresh_answer(profile.accepting_confirmed_on),
    }


def map_point(row):
    return {
        "id": row["pk"], "name": row["name"], "kind": row["kind"], "kind_label": kind_label(row["kind"]),
        "colour": kind_colour(row["kind"]), "lat": row["lat"], "lon": row["lon"], "address": row["address"],
        "fictional": row["is_fictional"], "url": reverse("directory:detail", args=[row["pk"]]),
    }
