"""Yearly figures of the care-team network for item (エ): posts and patients from the post tally (kept by
triggers on the posts, see tally.py), professionals in teams from the membership rows; one query each.

City rule: a patient, and the posts of their team, count for the patient's municipality of residence
(`Patient.municipality`); a professional in a team counts for the municipality of the facility they
work for (once in each city where they have a facility), whichever city the patient lives in.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, Q, Sum

from renkei.core.figures import Figure, one_city
from renkei.core.wareki import fiscal_year_span

from .models import CareTeamMember, MemberStatus, PatientPostYear

PATIENT_CITY = "patient__municipality"
MEMBER_CITY = "user__affiliations__facility__municipality"


def _posts_per_year(fiscal_years: list[int], city_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """{(city, "posts", fy): posts, (city, "patients", fy): patients with a post} from the tally
    (renkei/network/tally.py): one row per patient and fiscal year, kept by triggers on the posts,
    instead of millions of posts. One query."""
    rows = (
        PatientPostYear.objects.filter(fiscal_year__in=fiscal_years, posts__gt=0, **{f"{PATIENT_CITY}__in": city_ids})
        .values(PATIENT_CITY, "fiscal_year").annotate(total=Sum("posts"), patients=Count("id")).order_by()
    )
    found = {(row[PATIENT_CITY], row["fiscal_year"]): row for row in rows}
    values: dict[tuple[int, str, int], int] = {}
    for cid in city_ids:
        for fy in fiscal_years:
            row = found.get((cid, fy), {})
            values[(cid, "posts", fy)] = row.get("total", 0)
            values[(cid, "patients", fy)] = row.get("patients", 0)
    return values


def _members_per_year(fiscal_years: list[int], city_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """{(city, "members", fy): professionals in a team during the year} in one GROUP BY query."""

    def member_in(fy: int) -> Q:
        start, end = fiscal_year_span(fy)
        return Q(responded_at__lt=end) & (Q(removed_at__isnull=True) | Q(removed_at__gte=start))

    rows = (
        CareTeamMember.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.REMOVED],
                                      responded_at__isnull=False, **{f"{MEMBER_CITY}__in": city_ids})
        .values(MEMBER_CITY)
        .annotate(**{f"members_{fy}": Count("user", filter=member_in(fy), distinct=True) for fy in fiscal_years})
        .order_by()
    )
    found = {row[MEMBER_CITY]: row for row in rows}
    return {
        (cid, "members", fy): found.get(cid, {}).get(f"members_{fy}", 0) for cid in city_ids for fy in fiscal_years
    }


LABELS = [
    ("patients", "network.shared_patients", "ICT連携で情報共有した患者数", "人"),
    ("members", "network.team_professionals", "ケアチームで情報共有に参加した専門職数", "人"),
    ("posts", "network.posts", "ケアチームのタイムライン投稿数", "件"),
]


Counter = Callable[[list[int], list[int]], dict[tuple[int, str, int], int]]


def _figures(fiscal_years: Iterable[int], city_ids: Iterable[int], counters: list[Counter]) -> dict[int, list[Figure]]:
    years = list(fiscal_years)
    ids = list(dict.fromkeys(city_ids))
    if not years or not ids:
        return {cid: [] for cid in ids}
    values: dict[tuple[int, str, int], int] = {}
    for counter in counters:
        values.update(counter(years, ids))
    return {
        cid: [
            Figure(fiscal_year=fy, item="e", key=key, label=label, value=values[(cid, name, fy)], unit=unit)
            for name, key, label, unit in LABELS
            for fy in years
            if (cid, name, fy) in values
        ]
        for cid in ids
    }


def city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """{city id: figures}: patients shared, professionals in teams, and posts, per fiscal year and city.

    Two queries whatever the number of years or cities. ICT registrations (network.registered_members)
    are counted by renkei.core.member_figures.
    """
    return _figures(fiscal_years, city_ids, [_posts_per_year, _members_per_year])


def annual_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    """The network figures of one city (see the module's city rule)."""
    return one_city(city_figures, fiscal_years, municipality)


# The report's sources (reports/sources.py) take the two counts apart: a new post recounts only the tally's.

def post_city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """{city id: patients shared and posts} from the post tally (one query)."""
    return _figures(fiscal_years, city_ids, [_posts_per_year])


def post_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    return one_city(post_city_figures, fiscal_years, municipality)


def member_city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """{city id: professionals in teams} from the membership rows (one query)."""
    return _figures(fiscal_years, city_ids, [_members_per_year])


def member_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    return one_city(member_city_figures, fiscal_years, municipality)
