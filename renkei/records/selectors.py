"""Reads of the program records: searches, counts and aggregates with a fixed number of queries.

Every read is cut to the cities the user acts for (`renkei.core.access.in_my_cities`), or to one of
them (`city`, a Municipality the caller has already checked with `city_choice`).
"""
from collections import defaultdict

from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from renkei.core.access import choose_municipality, city_scope_q, in_my_cities
from renkei.core.models import User
from renkei.core.wareki import fiscal_year_bounds

from .models import (
    Answer,
    AskerProfession,
    Body,
    BodyKind,
    Category,
    Consultation,
    Event,
    FollowUpStatus,
    Issue,
    Meeting,
    Pamphlet,
    PamphletEdition,
    QuestionKind,
    RegionalActivity,
    SurveyInvitation,
)


def mine(user, model, city=None):
    """`model`'s rows (a model or a queryset) of the user's cities, or of `city` alone (one of them)."""
    qs = in_my_cities(user, model)
    if city is not None:
        qs = qs.filter(city_scope_q(qs.model, [city.pk]))
    return qs


def city_choice(user, code):
    """The city a list is narrowed to (`code`), None for all the user's cities; 404 for a city not theirs."""
    code = (code or "").strip()
    return choose_municipality(user, code) if code else None


def fy_of(year, month):
    return year if month >= 4 else year - 1


def span(fiscal_years):
    """First and last day covering the given fiscal years."""
    return fiscal_year_bounds(min(fiscal_years))[0], fiscal_year_bounds(max(fiscal_years))[1]


def counts_by_month(queryset, date_field, group_field=None):
    """One aggregate query: {(year, month, group): n} for a queryset."""
    fields = ["y", "m"] + ([group_field] if group_field else [])
    rows = (
        queryset.annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["y"], r["m"], r.get(group_field)): r["n"] for r in rows}


def consultations_search(user, *, city=None, q="", category="", asker="", channel="", date_from=None, date_to=None,
                         follow_up=""):
    """The user's cities' consultations matching the search form, newest first."""
    qs = mine(user, Consultation.objects.select_related("municipality"), city)
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(summary__icontains=word) | Q(response__icontains=word) | Q(referral__icontains=word)
                | Q(asker_organisation__icontains=word) | Q(follow_up__icontains=word)
            )
    given = {"category": category, "asker_profession": asker, "channel": channel, "follow_up_status": follow_up,
             "received_on__gte": date_from, "received_on__lte": date_to}
    qs = qs.filter(**{lookup: value for lookup, value in given.items() if value})
    return qs.order_by("-received_on", "-id")


FY_MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]


def consultation_monthly_table(user, fy, group_field, city=None):
    """Counts of one fiscal year by month (rows) and category or asker (columns), with totals."""
    start, end = fiscal_year_bounds(fy)
    counts = counts_by_month(mine(user, Consultation, city).filter(received_on__range=(start, end)), "received_on",
                             group_field)
    choices = Category.choices if group_field == "category" else AskerProfession.choices
    rows = []
    for month in FY_MONTHS:
        year = fy if month >= 4 else fy + 1
        cells = [counts.get((year, month, code), 0) for code, _ in choices]
        rows.append({"year": year, "month": month, "cells": cells, "total": sum(cells)})
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(choices))]
    return {"columns": [label for _, label in choices], "rows": rows, "totals": totals, "total": sum(totals)}


def consultation_yearly_counts(fiscal_years, group_field, *, consultations=None):
    """{fy: {code: n}} over the fiscal years, by category or asker, in one query.

    `consultations` is the queryset to count (already cut to a city, e.g. `mine(user, Consultation)` or
    `Consultation.objects.filter(municipality=city)`); without it every city's consultations count.
    """
    start, end = span(fiscal_years)
    qs = Consultation.objects.all() if consultations is None else consultations
    counts = counts_by_month(qs.filter(received_on__range=(start, end)), "received_on", group_field)
    result = {fy: defaultdict(int) for fy in fiscal_years}
    for (year, month, code), n in counts.items():
        fy = fy_of(year, month)
        if fy in result:
            result[fy][code] += n
    return {fy: dict(v) for fy, v in result.items()}


def consultation_yearly_table(user, fiscal_years, group_field, city=None):
    """Rows per fiscal year with counts by category or asker."""
    counts = consultation_yearly_counts(fiscal_years, group_field, consultations=mine(user, Consultation, city))
    choices = Category.choices if group_field == "category" else AskerProfession.choices
    rows = []
    for fy in fiscal_years:
        cells = [counts[fy].get(code, 0) for code, _ in choices]
        rows.append({"fy": fy, "cells": cells, "total": sum(cells)})
    return {"columns": [label for _, label in choices], "rows": rows}


def bodies_with_members(user, city=None):
    """The council first, then its subcommittees, each with members and meeting counts."""
    return (
        mine(user, Body.objects.select_related("municipality"), city).prefetch_related("members")
        .annotate(meeting_count=Count("meetings", distinct=True))
        .order_by("order", "id")
    )


def council(user, city=None):
    return mine(user, Body, city).filter(kind=BodyKind.COUNCIL).order_by("id").first()


def meetings_list(user, body=None, city=None):
    qs = mine(user, Meeting.objects.select_related("body__municipality"), city).annotate(
        attachment_count=Count("attachments"))
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("-held_on", "-id")


def issues_list(user, *, item="", status="", body=None, city=None):
    qs = mine(user, Issue.objects.select_related("body__municipality", "meeting"), city).prefetch_related(
        "countermeasures")
    if item:
        qs = qs.filter(item=item)
    if status:
        qs = qs.filter(status=status)
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("-raised_on", "-id")


def events_list(user, *, audience="", fy=None, city=None):
    qs = mine(user, Event.objects.select_related("municipality"), city).annotate(
        registration_count=Count("registrations", distinct=True),
    )
    if audience:
        qs = qs.filter(audience=audience)
    if fy:
        qs = qs.filter(starts_on__range=fiscal_year_bounds(fy))
    return qs.order_by("-starts_on", "-id")


def event_registrations_by_profession(event):
    rows = event.registrations.values("profession").annotate(n=Count("id"), attended=Count("id", filter=Q(attended=True)))
    labels = dict(AskerProfession.choices)
    return [{"label": labels.get(r["profession"], r["profession"]), "n": r["n"], "attended": r["attended"]} for r in rows.order_by("profession")]


def survey_results(survey):
    """Aggregated answers: per scale question the mean and the spread 1–5; free texts listed."""
    questions = list(survey.questions.all())
    scale_rows = (
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.SCALE)
        .values("question_id", "scale")
        .annotate(n=Count("id"))
        .order_by()
    )
    spread = defaultdict(lambda: [0] * 5)
    for r in scale_rows:
        spread[r["question_id"]][r["scale"] - 1] = r["n"]
    means = dict(
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.SCALE)
        .values("question_id")
        .annotate(mean=Avg("scale"))
        .values_list("question_id", "mean")
    )
    texts = defaultdict(list)
    for qid, text in Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT).exclude(text="").values_list("question_id", "text"):
        texts[qid].append(text)
    invited = SurveyInvitation.objects.filter(survey=survey).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False))
    )
    return {
        "invited": invited["invited"],
        "answered": invited["answered"],
        "questions": [
            {
                "question": q,
                "mean": round(means[q.pk], 2) if means.get(q.pk) is not None else None,
                "spread": spread[q.pk] if q.kind == QuestionKind.SCALE else None,
                "texts": texts.get(q.pk, []),
            }
            for q in questions
        ],
    }



def pamphlets_with_editions(user, city=None):
    """Pamphlets, their editions (newest first) with the copies distributed, in three queries."""
    editions = PamphletEdition.objects.annotate(distributed=Sum("distributions__copies")).prefetch_related(
        "distributions"
    )
    return mine(user, Pamphlet.objects.select_related("municipality"), city).prefetch_related(
        Prefetch("editions", queryset=editions))


def regional_activities(user, city=None):
    """Activities (ク) the user's cities recorded or took part in, newest first, with the cities taking part."""
    return (
        mine(user, RegionalActivity.objects.select_related("municipality"), city)
        .prefetch_related("participants").order_by("-held_on", "-id")
    )




def open_follow_up_count(user: User) -> int:
    """Consultations of the user's cities whose follow-up is still open (対応中)."""
    return in_my_cities(user, Consultation).filter(follow_up_status=FollowUpStatus.OPEN).count()
