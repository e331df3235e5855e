"""Yearly figures of the care-team network for item (エ), counted from records in one query per figure."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from renkei.core.figures import Figure
from renkei.core.wareki import fiscal_year_bounds

from .models import CareTeamMember, Channel, MemberStatus, Post, PostKind


def _span(fy):
    """Aware datetimes [start, end) of a fiscal year in the local time zone."""
    first, last = fiscal_year_bounds(fy)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _per_year(queryset, fiscal_years, counts):
    """{(name, fy): count} from ONE aggregate query; `counts` maps a name to (condition(fy), field, distinct)."""
    aggregates = {
        f"{name}_{fy}": Count(field, filter=condition(fy), distinct=distinct)
        for name, (condition, field, distinct) in counts.items()
        for fy in fiscal_years
    }
    row = queryset.aggregate(**aggregates) if aggregates else {}
    return {(name, fy): row[f"{name}_{fy}"] for name in counts for fy in fiscal_years}


def annual_figures(fiscal_years):
    """Patients shared, professionals in teams, and posts, per fiscal year.

    ICT registrations (network.registered_members) are counted by renkei.core.member_figures.
    """""
    fiscal_years = list(fiscal_years)

    # Only the posts of the years asked for (the created_at index), and the columns of the partial index
    # post_figures_idx (created_at, patient) so that PostgreSQL answers from the index alone.
    team_posts = Post.objects.filter(patient__isnull=False, channel=Channel.TEAM,
                                     kind__in=[PostKind.TEXT, PostKind.VITALS])
    if fiscal_years:
        team_posts = team_posts.filter(created_at__gte=_span(min(fiscal_years))[0],
                                       created_at__lt=_span(max(fiscal_years))[1])

    def posted_in(fy):
        start, end = _span(fy)
        return Q(created_at__gte=start, created_at__lt=end)

    def member_in(fy):
        start, end = _span(fy)
        return Q(responded_at__lt=end) & (Q(removed_at__isnull=True) | Q(removed_at__gte=start))

    members = CareTeamMember.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.REMOVED],
                                            responded_at__isnull=False)
    values = {
        **_per_year(team_posts, fiscal_years, {"posts": (posted_in, "created_at", False),
                                               "patients": (posted_in, "patient", True)}),
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
