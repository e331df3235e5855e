"""Yearly figures of the care-team network for item (エ): posts and patients from the post tally (kept by
triggers on the posts, see tally.py), professionals in teams from the membership rows; one query each."""

from django.db.models import Count, Q, Sum

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year_span

from .models import CareTeamMember, MemberStatus, PatientPostYear


def _per_year(queryset, fiscal_years, counts):
    """{(name, fy): count} from ONE aggregate query; `counts` maps a name to (condition(fy), field, distinct)."""
    aggregates = {
        f"{name}_{fy}": Count(field, filter=condition(fy), distinct=distinct)
        for name, (condition, field, distinct) in counts.items()
        for fy in fiscal_years
    }
    row = queryset.aggregate(**aggregates) if aggregates else {}
    return {(name, fy): row[f"{name}_{fy}"] for name in counts for fy in fiscal_years}


def _posts_per_year(fiscal_years):
    """{("posts", fy): posts, ("patients", fy): patients with a post} from the tally (renkei/network/tally.py):
    one row per patient and fiscal year, kept by triggers on the posts, instead of millions of posts."""
    rows = (
        PatientPostYear.objects.filter(fiscal_year__in=fiscal_years, posts__gt=0)
        .values("fiscal_year").annotate(total=Sum("posts"), patients=Count("id")).order_by()
    )
    found = {row["fiscal_year"]: row for row in rows}
    values = {}
    for fy in fiscal_years:
        row = found.get(fy, {})
        values[("posts", fy)] = row.get("total", 0)
        values[("patients", fy)] = row.get("patients", 0)
    return values


def annual_figures(fiscal_years):
    """Patients shared, professionals in teams, and posts, per fiscal year.

    ICT registrations (network.registered_members) are counted by renkei.core.member_figures.
    """""
    fiscal_years = list(fiscal_years)

    def member_in(fy):
        start, end = fiscal_year_span(fy)
        return Q(responded_at__lt=end) & (Q(removed_at__isnull=True) | Q(removed_at__gte=start))

    members = CareTeamMember.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.REMOVED],
                                            responded_at__isnull=False)
    values = {
        **_posts_per_year(fiscal_years),
        **_per_year(members, fiscal_years, {"members": (member_in, "user", True)}),
    }
    labels = [
        ("patients", "network.shared_patients", "ICT連携で情報共有した利用者数", "人"),
        ("members", "network.team_professionals", "ケアチームで情報共有に参加した専門職数", "人"),
        ("posts", "network.posts", "ケアチームのタイムライン投稿数", "件"),
    ]
    return [
        Figure(fiscal_year=fy, item="e", key=key, label=label, value=values[(name, fy)], unit=unit)
        for name, key, label, unit in labels
        for fy in fiscal_years
    ]
