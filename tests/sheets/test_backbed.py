"""Back-bed admissions: a team physician requests, the hospital answers once, the stay is recorded."""
import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.network.models import Notification, NotificationKind, Post
from renkei.network.services import Refused
from renkei.sheets import backbed
from renkei.sheets.models import BackBedRequest, BackBedStatus
from tests.network.factories import push_subscription
from tests.sheets.factories import BackBedHospitalFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def beds(world):
    return BackBedHospitalFactory(facility=world.hospital)


@pytest.fixture
def asked(world, beds):
    return backbed.request_admission(patient=world.patient, user=world.physician, hospital=beds, reason="respite",
                                     detail="介護者の入院のため", desired_on=TOMORROW)


def test_a_team_physician_requests_a_temporary_admission(asked, world):
    assert asked.status == BackBedStatus.REQUESTED and Post.objects.filter(body__contains="一時入院").exists()


def test_a_care_manager_cannot_request_one(world, beds):
    with pytest.raises(Refused, match="医師"):
        backbed.request_admission(patient=world.patient, user=world.care_manager, hospital=beds, reason="respite",
                                  detail="x", desired_on=TOMORROW)


def test_a_physician_off_the_team_cannot_request_one(world, beds):
    from renkei.core.models import Profession
    from tests.factories import UserFactory

    with pytest.raises(Refused):
        backbed.request_admission(patient=world.patient, user=UserFactory(profession=Profession.PHYSICIAN),
                                  hospital=beds, reason="examination", detail="x", desired_on=TOMORROW)


def test_the_hospital_accepts(asked, world):
    assert backbed.answer(bed_request=asked, user=world.liaison, accept=True).status == BackBedStatus.ACCEPTED


def test_declining_needs_a_reason(asked, world):
    with pytest.raises(Refused, match="理由"):
        backbed.answer(bed_request=asked, user=world.liaison, accept=False)


def test_the_answer_rings_the_requesting_physicians_bell(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    notification = Notification.objects.get(recipient=world.physician, kind=NotificationKind.BACKBED)
    assert notification.patient == world.patient and "回答" in notification.post.body


def test_the_answer_is_pushed_to_the_requesting_physicians_phone(asked, world, settings,
                                                                django_capture_on_commit_callbacks):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public", "private"
    phone = push_subscription(world.physician)
    with mock.patch("pywebpush.webpush") as webpush, django_capture_on_commit_callbacks(execute=True):
        backbed.answer(bed_request=asked, user=world.liaison, accept=False, note="満床のため")
    assert [c.args[0]["endpoint"] for c in webpush.call_args_list] == [phone.endpoint]
    assert "満床" not in webpush.call_args.kwargs["data"]


def test_answering_twice_is_refused_and_the_first_answer_stays(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=False, note="満床のため")
    with pytest.raises(AppError, match="既に回答済み"):
        backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    asked.refresh_from_db()
    assert (asked.status, asked.answer_note) == (BackBedStatus.DECLINED, "満床のため")


def test_answering_twice_through_the_api_is_409(client, asked, world, bearer):
    auth = bearer(world.liaison)
    client.post(f"/api/v1/back-bed-requests/{asked.pk}/answer", {"accept": True}, content_type="application/json",
                HTTP_AUTHORIZATION=auth)
    r = client.post(f"/api/v1/back-bed-requests/{asked.pk}/answer", {"accept": False, "note": "x"},
                    content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert r.status_code == 409 and "既に回答済み" in r.json()["detail"]


def test_another_hospitals_liaison_gets_404(client, asked, bearer):
    from tests.sheets.factories import hospital, liaison_for

    stranger = liaison_for(hospital())
    r = client.post(f"/api/v1/back-bed-requests/{asked.pk}/answer", {"accept": True}, content_type="application/json",
                    HTTP_AUTHORIZATION=bearer(stranger))
    assert r.status_code == 404


def test_a_team_member_cannot_answer_for_the_hospital(asked, world):
    with pytest.raises(Refused):
        backbed.answer(bed_request=asked, user=world.physician, accept=True)


def test_the_hospital_answers_on_its_page(asked, world, login):
    login(world.liaison).post(reverse("sheets:backbed_detail", args=[asked.pk]), {"form": "answer",
                                                                                 "decision": "accept"})
    asked.refresh_from_db()
    assert asked.status == BackBedStatus.ACCEPTED


def test_a_second_answer_on_the_page_is_refused_beside_the_form_and_the_first_stays(asked, world, login):
    client = login(world.liaison)
    url = reverse("sheets:backbed_detail", args=[asked.pk])
    client.post(url, {"form": "answer", "decision": "decline", "note": "満床のため"})
    r = client.post(url, {"form": "answer", "decision": "accept"})
    asked.refresh_from_db()
    assert r.status_code == 400 and "既に回答済み" in " ".join(r.context["answer_form"].non_field_errors())
    assert not r.context["stay_form"].is_bound
    assert (asked.status, asked.answer_note) == (BackBedStatus.DECLINED, "満床のため")


def test_the_liaison_page_does_not_open_the_patients_timeline(asked, world, login):
    assert login(world.liaison).get(reverse("network:timeline", args=[world.patient.pk])).status_code == 404


def test_the_stay_is_recorded_after_acceptance(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    backbed.record_stay(bed_request=asked, user=world.liaison, admitted_on=TODAY,
                        discharged_on=TODAY + datetime.timedelta(days=10))
    asked.refresh_from_db()
    assert (asked.discharged_on - asked.admitted_on).days == 10


def test_a_discharge_before_the_admission_is_refused(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    with pytest.raises(Refused, match="退院日が入院日より前"):
        backbed.record_stay(bed_request=asked, user=world.liaison, admitted_on=TODAY,
                            discharged_on=TODAY - datetime.timedelta(days=1))


def test_an_admission_in_the_future_is_refused(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # now, not at import: the run may pass midnight
    with pytest.raises(Refused, match="入院日に未来の日付は入力できません。"):
        backbed.record_stay(bed_request=asked, user=world.liaison, admitted_on=tomorrow)


def test_the_stay_page_refuses_an_admission_in_the_future(asked, world, login):
    backbed.answer(bed_request=asked, user=world.liaison, accept=True)
    r = login(world.liaison).post(reverse("sheets:backbed_detail", args=[asked.pk]),
                                  {"form": "stay", "admitted_on": "2030-01-01"})
    assert r.status_code == 400 and "入院日に未来の日付は入力できません。" in r.content.decode()


def test_a_declined_request_takes_no_stay(asked, world):
    backbed.answer(bed_request=asked, user=world.liaison, accept=False, note="満床")
    with pytest.raises(Refused):
        backbed.record_stay(bed_request=asked, user=world.liaison, admitted_on=TODAY)


def test_the_request_page_for_a_physician_lists_the_hospitals(world, beds, login):
    r = login(world.physician).get(reverse("sheets:backbed_request", args=[world.patient.pk]))
    assert world.hospital.name in r.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_back_bed_list_takes_a_fixed_number_of_queries(world, beds, login, rows, django_assert_num_queries,
                                                          audit_queries):
    for _ in range(rows):
        BackBedRequest.objects.create(patient=world.patient, hospital=beds, requested_by=world.physician,
                                      reason="respite", detail="x", desired_on=TOMORROW)
    client = login(world.physician)
    with django_assert_num_queries(9 + audit_queries):
        client.get(reverse("sheets:backbed_index"))


def test_municipal_staff_register_a_participating_hospital(world, login):
    from tests.factories import UserFactory

    staff = UserFactory(is_municipal_staff=True)
    login(staff).post(reverse("sheets:backbed_hospitals"), {"facility": world.hospital.pk, "beds": 3,
                                                            "joined_on": "2014-04-01", "is_active": "on"})
    assert world.hospital.back_bed.beds == 3


def test_a_capacity_of_zero_is_refused_in_japanese(world, login):
    from tests.factories import UserFactory

    r = login(UserFactory(is_municipal_staff=True)).post(reverse("sheets:backbed_hospitals"), {
        "facility": world.hospital.pk, "beds": 0, "joined_on": "2014-04-01"})
    assert r.status_code == 400 and "確保病床数は1以上で入力してください。" in r.content.decode()


def test_professionals_cannot_manage_the_hospital_list(world, login):
    assert login(world.physician).get(reverse("sheets:backbed_hospitals")).status_code == 403
