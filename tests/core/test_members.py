"""Registered members by profession and municipality, as of any date."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import Municipality, Profession, RegistrationStatus
from renkei.core.selectors import member_table
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
REGISTERED = D(2022, 4, 1)


def _member(profession, municipality_code=None, approved_on=REGISTERED, withdrawn_on=None, **kwargs):
    user = UserFactory(profession=profession, approved_on=approved_on, withdrawn_on=withdrawn_on, **kwargs)
    if municipality_code:
        municipality = Municipality.objects.get(code=municipality_code)
        user.affiliations.create(facility=FacilityFactory(municipality=municipality))
    return user


def _cell(table, profession, column):
    row = next(r for r in table.rows if r.profession == profession)
    return row.cells[table.columns.index(column)]


def _row(table, profession):
    return next(r for r in table.rows if r.profession == profession).total


def test_it_counts_members_by_profession_and_municipality():
    _member(Profession.PHYSICIAN, "13203")
    _member(Profession.PHYSICIAN, "13203")
    _member(Profession.PHYSICIAN, "13204")
    table = member_table(D(2023, 1, 31))
    assert (_cell(table, Profession.PHYSICIAN, "武蔵野市"), _cell(table, Profession.PHYSICIAN, "三鷹市")) == (2, 1)


def test_it_shows_the_six_cities_even_without_members():
    assert member_table(D(2023, 1, 31)).columns == ["武蔵野市", "三鷹市", "府中市", "調布市", "小金井市", "狛江市"]


def test_it_leaves_out_members_registered_after_the_date():
    _member(Profession.NURSE, "13203", approved_on=D(2023, 2, 1))
    assert member_table(D(2023, 1, 31)).total == 0


def test_it_counts_a_member_registered_on_the_date():
    _member(Profession.NURSE, "13203", approved_on=D(2023, 1, 31))
    assert member_table(D(2023, 1, 31)).total == 1


def test_it_counts_a_member_until_the_day_before_withdrawal():
    _member(Profession.NURSE, "13203", withdrawn_on=D(2023, 1, 31), registration_status=RegistrationStatus.WITHDRAWN)
    assert (member_table(D(2023, 1, 30)).total, member_table(D(2023, 1, 31)).total) == (1, 0)


def test_it_never_counts_pending_or_rejected_applicants():
    _member(Profession.NURSE, "13203", approved_on=None, registration_status=RegistrationStatus.PENDING)
    _member(Profession.NURSE, "13203", approved_on=None, registration_status=RegistrationStatus.REJECTED)
    assert member_table(D(2030, 1, 1)).total == 0


def test_a_member_of_two_cities_counts_in_each_column_but_once_in_the_total():
    user = _member(Profession.PHARMACIST, "13203")
    user.affiliations.create(facility=FacilityFactory(municipality=Municipality.objects.get(code="13204")))
    table = member_table(D(2023, 1, 31))
    assert table.column_totals[:2] == [1, 1] and _row(table, Profession.PHARMACIST) == 1 and table.total == 1


def test_members_without_a_facility_get_their_own_column():
    _member(Profession.OTHER)
    table = member_table(D(2023, 1, 31))
    assert table.columns[-1] == "所属なし" and _cell(table, Profession.OTHER, "所属なし") == 1


def test_it_has_a_row_for_every_profession():
    assert [r.profession for r in member_table(D(2023, 1, 31)).rows] == list(Profession.values)


def test_the_page_shows_the_table_on_the_chosen_date(staff_client):
    _member(Profession.DENTIST, "13203", approved_on=D(2022, 6, 1))
    body = staff_client.get("/staff/members/?date=2023-01-31").content.decode()
    assert "令和5年1月31日現在" in body and "歯科医師" in body and "合計 1名" in body


def test_the_page_falls_back_to_today_on_a_bad_date(staff_client):
    from django.utils import timezone

    from renkei.core.wareki import format_era_date

    r = staff_client.get("/staff/members/?date=not-a-date")
    assert r.status_code == 200 and f"{format_era_date(timezone.localdate())}現在" in r.content.decode()


def test_the_page_is_for_staff_only(login):
    assert login(UserFactory()).get("/staff/members/").status_code == 403


def test_the_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            staff_client.get("/staff/members/")
        return len(ctx)

    _member(Profession.NURSE, "13203")
    _member(Profession.PHYSICIAN, "13206")
    small = queries()
    for i in range(18):
        _member(Profession.values[i % 12], ["13203", "13204", "13219"][i % 3])
    with django_assert_num_queries(small):
        staff_client.get("/staff/members/")


def test_the_page_links_to_the_ends_of_recent_fiscal_years(staff_client):
    from django.utils import timezone

    from renkei.core.wareki import fiscal_year

    last_fy = fiscal_year(timezone.localdate()) - 1
    assert f"?date={last_fy + 1}-03-31" in staff_client.get("/staff/members/").content.decode()


def test_the_table_exports_as_csv_with_a_bom(staff_client):
    _member(Profession.DENTIST, "13203", approved_on=D(2022, 6, 1))
    content = staff_client.get("/staff/members/members.csv?date=2023-01-31").content.decode("utf-8")
    assert content.startswith("\ufeff令和5年1月31日現在,武蔵野市") and "歯科医師,1,0,0,0,0,0,1" in content


def test_the_csv_export_is_audited(staff_client, staff):
    from renkei.core.models import AuditEvent

    staff_client.get("/staff/members/members.csv?date=2023-01-31")
    assert AuditEvent.objects.filter(action="export", actor=staff, detail="as_of=2023-01-31").exists()


def test_the_csv_is_for_staff_only(login):
    assert login(UserFactory()).get("/staff/members/members.csv").status_code == 403
