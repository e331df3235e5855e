"""Yearly figures of the care-team network for item (エ), counted from records in one query per figure."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from renkei.core.figures import Figure
from renkei.core.models import Profession, RegistrationStatus, User
from renkei.core.wareki import fiscal_year_bounds

from .models import CareTeamMember, Channel, FamilyAccess, MemberStatus, Patient, Post, PostKind


def _span(fy):
    """Aware datetimes [start, end) of a fiscal year in the local time zone."""
    first, last = fiscal_year_bounds(fy)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _per_year(queryset, fiscal_years, condition, *, field="pk", distinct=False):
    """{fy: count} from ONE aggregate query with one filtered Count per fiscal year."""
    if not fiscal_years:
        return {}
    aggregates = {f"fy{fy}": Count(field, filter=condition(fy), distinct=distinct) for fy in fiscal_years}
    row = queryset.aggregate(**aggregates)
    return {fy: row[f"fy{fy}"] for fy in fiscal_years}


def annual_figures(fiscal_years):
    """ICT registrations at year end, patients shared, professionals in teams, and posts, per fiscal year."""
    fiscal_years = list(fiscal_years)

    def registered(fy):
        first, last = fiscal_year_bounds(fy)
        return Q(approved_on__lte=last) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=last))

    professionals = (
        User.objects.filter(registration_status__in=[RegistrationStatus.APPROVED, RegistrationStatus.WITHDRAWN])
        .exclude(profession=Profession.MUNICIPAL)
        .exclude(pk__in=FamilyAccess.objects.values("user_id"))
    )
    team_posts = Post.objects.filter(patient__isnull=False, channel=Channel.TEAM).exclude(kind=PostKind.NOTICE)

    def posted_in(fy):
        start, end = _span(fy)
        return Q(created_at__gte=start, created_at__lt=end)

    def patient_posted_in(fy):
        start, end = _span(fy)
        return Q(posts__created_at__gte=start, posts__created_at__lt=end, posts__channel=Channel.TEAM,
                 posts__kind__in=[PostKind.TEXT, PostKind.VITALS])

    def member_in(fy):
        start, end = _span(fy)
        return Q(responded_at__lt=end) & (Q(removed_at__isnull=True) | Q(removed_at__gte=start))

    members = CareTeamMember.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.REMOVED],
                                            responded_at__isnull=False)
    counts = {
        ("network.registered_professionals", "ICT連携登録数（年度末）", "人"):
            _per_year(professionals, fiscal_years, registered),
        ("network.shared_patients", "ICT連携で情報共有した利用者数", "人"):
            _per_year(Patient.objects.all(), fiscal_years, patient_posted_in, distinct=True),
        ("network.team_professionals", "ケアチームで情報共有に参加した専門職数", "人"):
            _per_year(members, fiscal_years, member_in, field="user", distinct=True),
        ("network.posts", "ケアチームのタイムライン投稿数", "件"):
            _per_year(team_posts, fiscal_years, posted_in),
    }
    return [
        Figure(fiscal_year=fy, item="e", key=key, label=label, value=values[fy], unit=unit)
        for (key, label, unit), values in counts.items()
        for fy in fiscal_years
    ]
