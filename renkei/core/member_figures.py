"""Yearly figures of the ICT network: registered members at the end of each fiscal year (item エ).

City rule: a professional counts for the municipality of the facility they work for (their
affiliation); one affiliated with facilities in two cities counts once in each city's report, as in
the member table of the staff pages (core.selectors.member_table). A member without a facility
counts for no city.
"""
from collections.abc import Iterable
from typing import Any

from django.db.models import Count

from .figures import Figure, one_city
from .models import Profession, User
from .selectors import member_on
from .wareki import fiscal_year_bounds

KEY = "network.registered_members"
LABEL = "ICT連携登録数"
PLACE = "affiliations__facility__municipality"


def city_figures(fiscal_years: Iterable[int], city_ids: Iterable[int]) -> dict[int, list[Figure]]:
    """{city id: figures}: members registered on 31 March closing each fiscal year, in total and per
    profession, per city. One aggregate query whatever the number of years, cities or members."""
    years = sorted(set(fiscal_years))
    ids = list(dict.fromkeys(city_ids))
    if not years or not ids:
        return {cid: [] for cid in ids}
    ends = {fy: fiscal_year_bounds(fy)[1] for fy in years}
    counts = {
        (row[PLACE], row["profession"]): row
        for row in User.objects.filter(**{f"{PLACE}__in": ids}).values(PLACE, "profession")
        .annotate(**{f"fy{fy}": Count("id", distinct=True, filter=member_on(end)) for fy, end in ends.items()})
        .order_by()
    }
    result: dict[int, list[Figure]] = {}
    for cid in ids:
        figures: list[Figure] = []
        for fy in years:
            per_profession = {
                value: counts.get((cid, value), {}).get(f"fy{fy}", 0) for value in Profession.values
            }
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
        result[cid] = figures
    return result


def registered_member_figures(fiscal_years: Iterable[int], municipality: Any) -> list[Figure]:
    """Members of one city (see the module's city rule) registered at the end of each fiscal year."""
    return one_city(city_figures, fiscal_years, municipality)
