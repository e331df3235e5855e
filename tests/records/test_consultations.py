"""The consultation desk (item オ): record, search, counts, and the patient link rule."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.core.models import AuditEvent
from renkei.records.models import Consultation
from tests.factories import UserFactory, coordinator_user, staff_user
from tests.network.factories import CareTeamMemberFactory, PatientFactory

from .factories import ConsultationFactory, consultation_form

pytestmark = pytest.mark.django_db


def test_a_coordinator_records_a_consultation(coordinator_client, coordinator):
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form())
    assert r.status_code == 302 and Consultation.objects.get().recorded_by == coordinator


def test_a_consultation_dated_in_the_future_is_refused_and_not_saved(coordinator_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form(received_on=tomorrow.isoformat()))
    assert "未来の日付" in r.content.decode() and not Consultation.objects.exists()


def test_the_form_and_the_rule_word_a_future_date_alike(coordinator_client):
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form(received_on="2030-01-01"))
    assert r.context["form"].errors["received_on"] == ["受付日に未来の日付は入力できません。"]


def test_a_date_and_minutes_typed_in_full_width_are_read(coordinator_client):
    today = timezone.localdate()
    typed = today.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    coordinator_client.post(reverse("records:consultation_new"), consultation_form(received_on=typed, minutes_spent="１０"))
    assert (Consultation.objects.get().received_on, Consultation.objects.get().minutes_spent) == (today, 10)


def test_a_consultation_without_a_summary_is_refused(coordinator_client):
    r = coordinator_client.post(reverse("records:consultation_new"), consultation_form(summary=""))
    assert r.status_code == 200 and not Consultation.objects.exists()


def test_a_professional_cannot_open_the_desk(client, login):
    login(UserFactory())
    assert client.get(reverse("records:consultation_list")).status_code == 403


def test_the_desk_needs_the_second_factor(client, login):
    login(coordinator_user(), verified=False)
    assert client.get(reverse("records:consultation_list")).status_code == 302


def test_search_finds_by_keyword(coordinator_client):
    ConsultationFactory(summary="看取りの相談")
    ConsultationFactory(summary="ICTの登録")
    r = coordinator_client.get(reverse("records:consultation_list"), {"q": "看取り"})
    assert "看取りの相談" in r.content.decode() and "ICTの登録" not in r.content.decode()


def test_search_filters_by_category_and_asker(coordinator_client):
    ConsultationFactory(summary="A相談", category="dementia", asker_profession="family")
    ConsultationFactory(summary="B相談", category="dementia", asker_profession="physician")
    r = coordinator_client.get(reverse("records:consultation_list"), {"category": "dementia", "asker": "family"})
    assert "A相談" in r.content.decode() and "B相談" not in r.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_uses_a_fixed_number_of_queries(coordinator_client, django_assert_num_queries, rows):
    ConsultationFactory.create_batch(rows)
    with django_assert_num_queries(9):  # session, user, otp, axes…, cities, count, page — none per row
        coordinator_client.get(reverse("records:consultation_list"))


def test_monthly_counts_by_category(coordinator_client):
    ConsultationFactory(received_on=datetime.date(2025, 4, 3), category="dementia")
    ConsultationFactory(received_on=datetime.date(2025, 4, 9), category="dementia")
    ConsultationFactory(received_on=datetime.date(2026, 3, 9), category="ict")
    r = coordinator_client.get(reverse("records:consultation_stats"), {"fy": 2025})
    table = r.context["monthly_category"]
    assert table["rows"][0]["total"] == 2 and table["rows"][-1]["total"] == 1 and table["total"] == 3


def test_yearly_counts_by_asker(coordinator_client):
    ConsultationFactory(received_on=datetime.date(2024, 5, 1), asker_profession="family")
    ConsultationFactory(received_on=datetime.date(2025, 5, 1), asker_profession="family")
    r = coordinator_client.get(reverse("records:consultation_stats"), {"fy": 2025})
    rows = {row["fy"]: row["total"] for row in r.context["yearly_asker"]["rows"]}
    assert rows[2024] == 1 and rows[2025] == 1


def test_a_patient_on_the_coordinators_team_can_be_linked(coordinator_client, coordinator):
    patient = CareTeamMemberFactory(user=coordinator).patient
    coordinator_client.post(reverse("records:consultation_new"), consultation_form(patient_ref=str(patient.pk)))
    assert Consultation.objects.get().patient_ref == str(patient.pk)


def test_a_patient_outside_the_team_cannot_be_linked(coordinator_client, coordinator):
    other = CareTeamMemberFactory().patient
    from renkei.records import services

    with pytest.raises(AppError):
        services.save_consultation(user=coordinator, data=consultation_form(received_on=timezone.localdate()), patient_id=str(other.pk))
    assert not Consultation.objects.exists()


def test_a_forged_patient_id_is_refused_with_a_message(coordinator_client, coordinator):
    from renkei.records import services

    with pytest.raises(AppError) as error:
        services.save_consultation(user=coordinator, data=consultation_form(received_on=timezone.localdate()), patient_id="999999")
    assert "担当チーム" in str(error.value)


def test_reading_a_linked_consultation_is_audited_with_the_patient(coordinator_client, coordinator):
    patient = CareTeamMemberFactory(user=coordinator).patient
    c = ConsultationFactory(patient_ref=str(patient.pk))
    coordinator_client.get(reverse("records:consultation_detail", args=[c.pk]))
    assert AuditEvent.objects.filter(action="read", patient_id=str(patient.pk)).exists()


def test_a_linked_patient_outside_the_readers_team_is_not_shown(client, login):
    staff = staff_user()
    login(staff)
    c = ConsultationFactory(patient_ref=str(PatientFactory().pk))
    r = client.get(reverse("records:consultation_detail", args=[c.pk]))
    assert "担当チーム外" in r.content.decode()


def test_staff_off_the_team_can_edit_a_linked_consultation_without_touching_the_link(client, login):
    login(staff_user())
    ref = str(PatientFactory().pk)
    c = ConsultationFactory(patient_ref=ref)
    data = consultation_form(received_on=c.received_on.isoformat(), summary="追記した内容", patient_ref=ref)
    client.post(reverse("records:consultation_edit", args=[c.pk]), data)
    c.refresh_from_db()
    assert (c.summary, c.patient_ref) == ("追記した内容", ref)


def test_a_consultation_cannot_be_moved_to_a_patient_off_the_team(client, login):
    login(staff_user())
    c = ConsultationFactory(patient_ref="")
    client.post(reverse("records:consultation_edit", args=[c.pk]), consultation_form(patient_ref=str(PatientFactory().pk)))
    c.refresh_from_db()
    assert c.patient_ref == ""
