"""Yearly figures of the ICT network: registered members at the end of each fiscal year (item エ)."""
from django.db.models import Count

from .figures import Figure
from .models import Profession, User
from .selectors import member_on
from .wareki import fiscal_year_bounds

KEY = "network.registered_members"
LABEL = "ICT連携登録数"


def registered_member_figures(fiscal_years):
    """Members registered on 31 March closing each fiscal year, in total and per profession.

    One aggregate query whatever the number of years or members.
    """
    years = sorted(set(fiscal_years))
    if not years:
        return []
    ends = {fy: fiscal_year_bounds(fy)[1] for fy in years}
    counts = {
        row["profession"]: row
        for row in User.objects.values("profession")
        .annotate(**{f"fy{fy}": Count("id", filter=member_on(end)) for fy, end in ends.items()})
        .order_by()
    }
    figures = []
    for fy in years:
        per_profession = {value: counts.get(value, {}).get(f"fy{fy}", 0) for value in Profession.values}
        figures.append(Figure(fiscal_year=fy, item="e", key=KEY, label=LABEL, value=sum(per_profession.values())))
        figures.extend(
            Figure(
                fiscal_year=fy,
                item="e",
                key=f"{KEY}.{value}",
                label=f"{LABEL}（{label}）",
                value=per_profession[value],
            )
            for value, label in Profession.choices
        )
    return figures
