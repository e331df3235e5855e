"""End-of-life support: consultations with referral, ending-note distribution and the public PDF."""
import datetime as dt

import pytest
from django.urls import reverse

from renkei.programs.models import EndingNoteDistribution, EndingNoteDownload, EndOfLifeConsultation
from tests.factories import UserFactory, musashino
from tests.programs.factories import city_field

pytestmark = pytest.mark.django_db


def test_staff_records_a_consultation_with_referral(staff_client):
    staff_client.post(reverse("programs:end_of_life"), city_field() | {
        "kind": "consultation", "received_on": "2025-05-01", "client_name": "", "client_age": "78",
        "topics": ["funeral", "contracts"], "summary": "葬儀の生前契約について", "referred_to_welfare_corporation": "on"})
    c = EndOfLifeConsultation.objects.get()
    assert c.topics == ["funeral", "contracts"] and c.referred_to_welfare_corporation


def test_a_consultation_needs_a_topic(staff_client):
    r = staff_client.post(reverse("programs:end_of_life"), city_field() | {
        "kind": "consultation", "received_on": "2025-05-01", "summary": "x"})
    assert "相談内容を1つ以上" in r.content.decode() and not EndOfLifeConsultation.objects.exists()


def test_staff_records_a_distribution(staff_client):
    staff_client.post(reverse("programs:end_of_life"), city_field() | {
        "kind": "distribution", "distributed_on": "2025-05-01", "place": "welfare_corporation", "count": "30"})
    assert EndingNoteDistribution.objects.get().count == 30


def test_a_distribution_of_zero_is_refused(staff_client):
    r = staff_client.post(reverse("programs:end_of_life"), city_field() | {
        "kind": "distribution", "distributed_on": "2025-05-01", "place": "other", "count": "0"})
    assert "1以上" in r.content.decode() and not EndingNoteDistribution.objects.exists()


def test_the_page_totals_notes_by_place_in_the_fiscal_year(staff_client, staff):
    for day, count in [(dt.date(2025, 4, 1), 10), (dt.date(2026, 3, 31), 5), (dt.date(2026, 4, 1), 99)]:
        EndingNoteDistribution.objects.create(municipality=musashino(), distributed_on=day, place="elderly_support_division", count=count,
                                              created_by=staff)
    r = staff_client.get(reverse("programs:end_of_life"), {"fy": "2025"})
    assert r.context["by_place"] == [{"place": "高齢者支援課", "total": 15}]


def test_the_ending_note_is_a_public_multi_page_pdf(client):
    r = client.get(reverse("programs:ending_note"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and r.content.count(b"/Type /Page\n") + r.content.count(b"/Type /Page ") >= 6


def test_the_ending_note_uses_japanese_cid_fonts(client):
    content = client.get(reverse("programs:ending_note")).content
    assert b"HeiseiMin-W3" in content and b"HeiseiKakuGo-W5" in content


def test_the_ending_note_is_a4(client):
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in client.get(reverse("programs:ending_note")).content


def test_downloads_are_counted_per_day(client):
    client.get(reverse("programs:ending_note"))
    client.get(reverse("programs:ending_note"))
    assert EndingNoteDownload.objects.get().count == 2


def test_non_staff_cannot_see_consultations(client, login):
    login(UserFactory())
    assert client.get(reverse("programs:end_of_life")).status_code == 403


def test_the_page_uses_a_fixed_number_of_queries(staff_client, staff, django_assert_num_queries, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            EndOfLifeConsultation.objects.create(municipality=musashino(), received_on=dt.date(2025, 5, 1), topics=["will"], summary="x",
                                                 created_by=staff)
            EndingNoteDistribution.objects.create(municipality=musashino(), distributed_on=dt.date(2025, 5, 1), place="other", count=1,
                                                  created_by=staff)
    add(2)
    url = reverse("programs:end_of_life") + "?fy=2025"
    with django_assert_max_num_queries(16) as ctx:
        staff_client.get(url)
    add(18)
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)
