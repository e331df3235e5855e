"""Adoption figures (renkei/reports/adoption.py): each counted from records that prove it, in a fixed number of
queries, per city; on the dashboard as charts and in the annual report (and its figure picker)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renkei.core.audit import record
from renkei.core.models import Affiliation, AuditEvent, Profession
from renkei.network.models import MemberStatus
from renkei.reports import adoption
from tests.factories import FacilityFactory, UserFactory
from tests.network.factories import CareTeamMemberFactory, PatientFactory, PostFactory
from tests.sheets.factories import SheetFactory

from .helpers import MITAKA, city

pytestmark = pytest.mark.django_db

JST = datetime.timezone(datetime.timedelta(hours=9))
FY = 2025
YEAR_END = datetime.datetime(2026, 4, 1, tzinfo=JST)  # the moment fiscal year 2025 closes


def at(*args):
    return datetime.datetime(*args, tzinfo=JST)


def member(code="13203", profession=Profession.NURSE, approved_on=datetime.date(2024, 4, 1), **kwargs):
    user = UserFactory(profession=profession, approved_on=approved_on, **kwargs)
    Affiliation.objects.create(user=user, facility=FacilityFactory(municipality=city(code)))
    return user


def active(user, when):
    """An audit row of the user's own at `when`."""
    event = record(action="read", actor=user, object_type="test")
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def figures(code="13203", fy=FY):
    found = [f for source in (adoption.activity_figures, adoption.annual_figures, adoption.reply_figures)
             for f in source([fy], city(code))]
    return {f.key: f.value for f in found}


# --- active members ---------------------------------------------------------------------------------

def test_a_member_with_an_audit_row_in_a_month_is_active_that_month_once():
    nurse = member()
    active(nurse, at(2025, 5, 3, 10))
    active(nurse, at(2025, 5, 20, 10))
    months = adoption.month_starts(datetime.date(2025, 6, 30), 2)
    counts = adoption.active_members_by_month([city().pk], months)
    assert counts == {(city().pk, Profession.NURSE, datetime.date(2025, 5, 1)): 1}


def test_active_members_are_counted_by_profession_in_the_year():
    active(member(), at(2025, 4, 1, 0))
    active(member(profession=Profession.PHYSICIAN), at(2026, 3, 31, 23, 59))
    active(member(profession=Profession.PHYSICIAN), at(2026, 4, 1, 0))  # the next fiscal year
    found = figures()
    assert found[adoption.ACTIVE] == 2 and found[f"{adoption.ACTIVE}.physician"] == 1
    assert found[f"{adoption.ACTIVE}.nurse"] == 1


def test_an_active_member_counts_for_their_facilitys_city():
    active(member(MITAKA), at(2025, 6, 1, 9))
    assert figures()[adoption.ACTIVE] == 0 and figures(MITAKA)[adoption.ACTIVE] == 1


# --- dormant accounts: the 90-day boundary ------------------------------------------------------------

def test_an_account_whose_last_activity_is_exactly_90_days_before_is_dormant():
    active(member(), YEAR_END - datetime.timedelta(days=90))
    assert figures()[adoption.DORMANT] == 1


def test_an_account_active_one_second_inside_the_90_days_is_not_dormant():
    active(member(), YEAR_END - datetime.timedelta(days=90) + datetime.timedelta(seconds=1))
    assert figures()[adoption.DORMANT] == 0


def test_an_account_without_any_activity_is_dormant():
    member()
    assert figures()[adoption.DORMANT] == 1


def test_an_account_approved_less_than_90_days_before_is_not_yet_dormant():
    member(approved_on=datetime.date(2026, 1, 15))
    assert figures()[adoption.DORMANT] == 0


def test_a_withdrawn_account_is_not_dormant():
    member(withdrawn_on=datetime.date(2025, 12, 1))
    assert figures()[adoption.DORMANT] == 0


def test_activity_after_the_year_end_does_not_wake_the_year_up():
    active(member(), YEAR_END + datetime.timedelta(days=1))
    assert figures()[adoption.DORMANT] == 1


# --- patients with a team ---------------------------------------------------------------------------

def team(patient, *joined, removed_at=None):
    for i, when in enumerate(joined):
        CareTeamMemberFactory(patient=patient, responded_at=when, invited_at=when,
                              removed_at=removed_at if i else None,
                              status=MemberStatus.REMOVED if removed_at and i else MemberStatus.ACTIVE)


def test_a_patient_with_two_professionals_has_a_team():
    team(PatientFactory(created_at=at(2025, 5, 1)), at(2025, 5, 1), at(2025, 6, 1))
    assert figures()[adoption.TEAMS] == 1


def test_a_patient_with_one_professional_has_no_team():
    team(PatientFactory(created_at=at(2025, 5, 1)), at(2025, 5, 1))
    assert figures()[adoption.TEAMS] == 0


def test_a_team_member_removed_before_the_year_end_does_not_count():
    team(PatientFactory(created_at=at(2025, 5, 1)), at(2025, 5, 1), at(2025, 6, 1), removed_at=at(2026, 2, 1))
    assert figures()[adoption.TEAMS] == 0


def test_a_member_who_joined_after_the_year_end_does_not_count():
    team(PatientFactory(created_at=at(2025, 5, 1)), at(2025, 5, 1), at(2026, 4, 2))
    assert figures()[adoption.TEAMS] == 0


def test_patients_with_a_team_count_for_their_municipality():
    team(PatientFactory(created_at=at(2025, 5, 1), municipality=city(MITAKA)), at(2025, 5, 1), at(2025, 6, 1))
    assert figures()[adoption.TEAMS] == 0 and figures(MITAKA)[adoption.TEAMS] == 1


# --- the median time to the first reply to an important post --------------------------------------------

def important_with_reply(minutes, *, author_first=False):
    patient = PatientFactory()
    nurse, doctor = UserFactory(), UserFactory(profession=Profession.PHYSICIAN)
    posted = at(2025, 7, 1, 9)
    post = PostFactory(patient=patient, author=nurse, important=True, created_at=posted)
    if author_first:
        PostFactory(patient=patient, author=nurse, parent=post, created_at=posted + datetime.timedelta(minutes=1))
    if minutes is not None:
        PostFactory(patient=patient, author=doctor, parent=post, created_at=posted + datetime.timedelta(minutes=minutes))
    return post


def test_the_median_of_three_first_replies_is_the_middle_one():
    for minutes in (10, 20, 90):
        important_with_reply(minutes)
    assert figures()[adoption.FIRST_REPLY] == 20


def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two():
    for minutes in (10, 20, 40, 500):
        important_with_reply(minutes)
    assert figures()[adoption.FIRST_REPLY] == 30


def test_the_authors_own_reply_is_not_the_first_reply():
    important_with_reply(60, author_first=True)
    assert figures()[adoption.FIRST_REPLY] == 60


def test_an_important_post_without_a_reply_is_left_out_of_the_median():
    important_with_reply(None)
    important_with_reply(45)
    assert figures()[adoption.FIRST_REPLY] == 45


def test_a_plain_post_is_left_out_of_the_median():
    post = PostFactory(patient=PatientFactory(), important=False, created_at=at(2025, 7, 1, 9))
    PostFactory(patient=post.patient, parent=post, created_at=at(2025, 7, 1, 12))
    assert figures()[adoption.FIRST_REPLY] == 0


# --- sheets sent ------------------------------------------------------------------------------------

def test_sheets_are_counted_in_the_month_they_were_sent():
    patient = PatientFactory()
    SheetFactory(patient=patient, sent_at=at(2025, 5, 31, 23, 59))
    SheetFactory(patient=patient, sent_at=at(2025, 6, 1, 0, 0))
    SheetFactory(patient=patient, sent_at=None)
    months = adoption.month_starts(datetime.date(2025, 6, 1), 2)
    counts = adoption.sheets_sent_by_month([city().pk], months)
    assert counts == {(city().pk, datetime.date(2025, 5, 1)): 1, (city().pk, datetime.date(2025, 6, 1)): 1}
    assert figures()[adoption.SHEETS] == 2


# --- fixed queries ----------------------------------------------------------------------------------

def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def some_records(n):
    for _ in range(n):
        active(member(), at(2025, 8, 1, 9))
        important_with_reply(15)
        team(PatientFactory(created_at=at(2025, 5, 1)), at(2025, 5, 1), at(2025, 6, 1))
        SheetFactory(sent_at=at(2025, 9, 1, 9))


def test_the_figures_take_five_queries_whatever_the_records_years_or_cities():
    musashino, mitaka = city().pk, city(MITAKA).pk

    def both(years, ids):
        return [count(years, ids) for count in (adoption.activity_city_figures, adoption.city_figures,
                                                adoption.reply_city_figures)]

    some_records(1)
    one = queries(lambda: both([FY], [musashino]))
    some_records(4)
    assert queries(lambda: both([2024, FY], [musashino, mitaka])) == one == 5


# --- where they are shown ---------------------------------------------------------------------------

def test_the_dashboard_draws_the_adoption_charts(staff_client):
    nurse = member()
    active(nurse, timezone.now())
    html = staff_client.get(reverse("reports:dashboard")).content.decode()
    assert "ICT連携で活動した登録者数（職種別・月別" in html and "ケアチームのある患者数（市区町村別・現在）" in html
    assert f"{timezone.localtime().month}月 看護師（訪問看護）: 1人" in html


def test_the_dashboards_city_chart_shows_only_the_staffs_cities(staff_client):
    team(PatientFactory(municipality=city(MITAKA)), timezone.now(), timezone.now())
    html = staff_client.get(reverse("reports:dashboard")).content.decode()
    assert "三鷹市" not in html


def test_the_dashboard_takes_the_same_queries_whatever_the_records(staff_client):
    staff_client.get(reverse("reports:dashboard"))
    one = queries(lambda: staff_client.get(reverse("reports:dashboard")))
    for _ in range(3):
        active(member(), timezone.now())
        SheetFactory(sent_at=timezone.now())
    assert queries(lambda: staff_client.get(reverse("reports:dashboard"))) == one


def test_the_annual_report_prints_the_median_line(staff_client):
    for minutes in (10, 20, 90):
        important_with_reply(minutes)
    report = staff_client.get(reverse("reports:annual"), {"from_fy": FY, "to_fy": FY}).context["report"]
    assert "重要な投稿への最初の返信までの時間（中央値） 20分" in report.cells[(FY, "e")].activities


def test_the_figure_picker_offers_the_adoption_figures_in_japanese(staff_client):
    html = staff_client.get(reverse("reports:lines", kwargs={"fy": FY})).content.decode()
    for label, _ in adoption.LABELS.values():
        assert label in html
