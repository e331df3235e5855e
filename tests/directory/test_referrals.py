"""Ask in one step: search by need and place, one request to several providers, their answers, the team invitation."""
import datetime

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone

from renkei.core.errors import AppError
from renkei.core.models import Affiliation, AuditEvent, FacilityKind, Profession
from renkei.directory import referrals, selectors, windows
from renkei.directory.geo import town_centre
from renkei.directory.models import AnswerStatus, Capacity, ConsultationWindow, ReferralAnswer
from renkei.network.models import CareTeamMember, MemberStatus, Notification
from tests.factories import UserFactory
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PatientFactory

from .factories import FacilityFactory

pytestmark = pytest.mark.django_db
KICHIJOJI = town_centre("吉祥寺本町")
FAR = (35.67, 139.48)  # 府中 side, well outside 3 km of 吉祥寺本町


def station(name, *, point=KICHIJOJI, accepting=True, flags=("around_the_clock",), days_ago=1):
    facility = FacilityFactory(name=name, kind=FacilityKind.VISITING_NURSING, lat=point[0], lon=point[1])
    Capacity.objects.create(facility=facility, accepting_new=accepting, confirmed_on=timezone.localdate()
                            - datetime.timedelta(days=days_ago), **{f: True for f in flags})
    return facility


def member_of(facility, **kwargs):
    user = UserFactory(**kwargs)
    Affiliation.objects.create(user=user, facility=facility)
    return user


def found(query):
    data = QueryDict(mutable=True)
    for key, value in query.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return [f.name for f in referrals.search_providers(selectors.parse_params(data), referrals.parse_need(data)).items]


@pytest.fixture
def care_manager():
    return member_of(FacilityFactory(name="テスト居宅", kind=FacilityKind.CARE_MANAGEMENT),
                     profession=Profession.CARE_MANAGER)


# --- search -----------------------------------------------------------------------------------------

def test_it_finds_a_24_hour_station_accepting_new_patients_near_the_town():
    station("近くの24時間")
    station("遠くの24時間", point=FAR)
    station("近くの日中のみ", flags=())
    assert found({"near": "吉祥寺本町", "need": "around_the_clock", "new": "1"}) == ["近くの24時間"]


def test_a_stale_yes_does_not_count_as_accepting():
    station("古い回答", days_ago=40)
    assert found({"near": "吉祥寺本町", "new": "1"}) == []


def test_a_no_does_not_count_as_accepting():
    station("受け入れ停止", accepting=False)
    assert found({"near": "吉祥寺本町", "new": "1"}) == []


def test_fresh_keeps_only_answers_confirmed_within_a_month():
    station("最近", accepting=False)
    station("古い", days_ago=45)
    assert found({"fresh": "1"}) == ["最近"]


def test_window_today_keeps_providers_taking_consultations_today():
    today = timezone.localdate().isoweekday()
    open_today = station("今日受付")
    ConsultationWindow.objects.create(facility=open_today, weekday=today, starts_at=datetime.time(0, 0),
                                      ends_at=datetime.time(23, 59))
    closed = station("別の日")
    ConsultationWindow.objects.create(facility=closed, weekday=today % 7 + 1, starts_at=datetime.time(9),
                                      ends_at=datetime.time(10))
    assert found({"window": "today"}) == ["今日受付"]


def test_an_unknown_need_is_a_clear_error():
    with pytest.raises(AppError, match="不明な条件"):
        referrals.parse_need(QueryDict("need=teleport"))


def test_the_search_page_shows_a_clear_message_for_an_unknown_town(login, care_manager):
    response = login(care_manager).get(reverse("directory:referral_new"), {"near": "存在しない町"})
    assert response.status_code == 400 and "位置が分かりません" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_search_page_runs_a_fixed_number_of_queries(login, care_manager, rows, django_assert_num_queries):
    for i in range(rows):
        ConsultationWindow.objects.create(facility=station(f"事業所{i}"), weekday=1, starts_at=datetime.time(9),
                                          ends_at=datetime.time(10))
    client = login(care_manager)
    client.get(reverse("directory:referral_new"))
    with django_assert_num_queries(11):
        client.get(reverse("directory:referral_new"), {"near": "吉祥寺本町", "new": "1"})


# --- sending ----------------------------------------------------------------------------------------

def send(user, facilities, **kwargs):
    return referrals.send_request(user=user, facility_ids=[f.pk for f in facilities],
                                  need="24時間対応の訪問看護を来週から", place="吉祥寺本町", **kwargs)


def test_one_request_reaches_each_chosen_provider(care_manager):
    a, b = station("A"), station("B")
    referral = send(care_manager, [a, b])
    assert sorted(x.facility.name for x in referral.answers.all()) == ["A", "B"]
    assert {x.status for x in referral.answers.all()} == {AnswerStatus.PENDING}


def test_the_provider_s_members_are_notified(care_manager):
    a = station("A")
    nurse = member_of(a)
    send(care_manager, [a])
    assert Notification.objects.filter(recipient=nurse, kind=windows.NOTIFY_REFERRAL, actor=care_manager).exists()


def test_sending_is_audited(care_manager):
    referral = send(care_manager, [station("A")])
    assert AuditEvent.objects.filter(actor=care_manager, object_type="directory.referralrequest",
                                     object_id=str(referral.pk)).exists()


def test_a_request_without_a_need_is_refused(care_manager):
    with pytest.raises(AppError, match="依頼内容"):
        referrals.send_request(user=care_manager, facility_ids=[station("A").pk], need=" ")


def test_a_request_without_a_provider_is_refused(care_manager):
    with pytest.raises(AppError, match="1か所以上"):
        referrals.send_request(user=care_manager, facility_ids=[], need="訪問看護")


def test_a_request_to_too_many_providers_is_refused(care_manager):
    with pytest.raises(AppError, match="10 か所"):
        send(care_manager, [station(f"S{i}") for i in range(11)])


def test_a_patient_the_sender_does_not_manage_cannot_be_attached(care_manager):
    patient = PatientFactory()
    CareTeamMemberFactory(patient=patient, user=care_manager, is_manager=False)
    ConsentFactory(patient=patient)
    with pytest.raises(AppError, match="チーム管理者"):
        send(care_manager, [station("A")], patient_id=patient.pk)


def test_a_patient_of_another_team_looks_missing(care_manager):
    with pytest.raises(Http404):
        send(care_manager, [station("A")], patient_id=PatientFactory().pk)


def test_a_patient_without_consent_cannot_be_attached(care_manager):
    patient = PatientFactory()
    CareTeamMemberFactory(patient=patient, user=care_manager, is_manager=True)
    with pytest.raises(AppError, match="同意"):
        send(care_manager, [station("A")], patient_id=patient.pk)


# --- answering --------------------------------------------------------------------------------------

@pytest.fixture
def managed_patient(care_manager):
    patient = PatientFactory(name="依頼 テスト子")
    CareTeamMemberFactory(patient=patient, user=care_manager, is_manager=True, role="care_manager")
    ConsentFactory(patient=patient, obtained_by=care_manager)
    return patient


def answer_of(referral, facility):
    return ReferralAnswer.objects.get(request=referral, facility=facility)


def test_accepting_with_a_patient_invites_the_provider_to_the_team(care_manager, managed_patient):
    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a], patient_id=managed_patient.pk)
    answer = referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=True)
    member = CareTeamMember.objects.get(patient=managed_patient, user=nurse)
    assert answer.invited and member.status == MemberStatus.INVITED and member.invited_by == care_manager


def test_the_provider_sees_no_patient_data_before_accepting_the_invitation(care_manager, managed_patient):
    from renkei.core.access import patients_visible_to

    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a], patient_id=managed_patient.pk)
    referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=True)
    assert not patients_visible_to(nurse).exists()


def test_the_provider_s_inbox_does_not_name_the_patient(login, care_manager, managed_patient):
    a = station("A")
    nurse = member_of(a)
    send(care_manager, [a], patient_id=managed_patient.pk)
    html = login(nurse).get(reverse("directory:referrals")).content.decode()
    assert "24時間対応の訪問看護を来週から" in html and "依頼 テスト子" not in html


def test_accepting_without_a_patient_invites_nobody(care_manager):
    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a])
    answer = referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=True)
    assert answer.status == AnswerStatus.ACCEPTED and not answer.invited and not CareTeamMember.objects.filter(
        user=nurse).exists()


def test_declining_needs_a_reason(care_manager):
    a = station("A")
    referral = send(care_manager, [a])
    with pytest.raises(AppError, match="理由"):
        referrals.answer_request(user=member_of(a), answer_id=answer_of(referral, a).pk, accept=False)


def test_the_answer_and_its_time_are_kept_and_the_sender_is_notified(care_manager):
    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a])
    referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=False, reason="今月は満床")
    answer = answer_of(referral, a)
    assert (answer.status, answer.reason, answer.answered_by) == (AnswerStatus.DECLINED, "今月は満床", nurse)
    assert answer.answered_at is not None
    assert Notification.objects.filter(recipient=care_manager, kind=windows.NOTIFY_REFERRAL_ANSWER).exists()


def test_a_second_answer_is_refused(care_manager):
    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a])
    referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=True)
    with pytest.raises(AppError, match="すでに回答"):
        referrals.answer_request(user=nurse, answer_id=answer_of(referral, a).pk, accept=False, reason="x")


def test_someone_of_another_facility_cannot_answer(care_manager):
    a = station("A")
    referral = send(care_manager, [a])
    with pytest.raises(AppError) as refused:
        referrals.answer_request(user=member_of(station("B")), answer_id=answer_of(referral, a).pk, accept=True)
    assert refused.value.status == 404


def test_the_answer_page_answers_and_redirects(login, care_manager):
    a = station("A")
    nurse = member_of(a)
    referral = send(care_manager, [a])
    response = login(nurse).post(reverse("directory:referral_answer", args=[answer_of(referral, a).pk]),
                                 {"decision": "accept", "reason": "来週から可"})
    assert response.status_code == 302 and answer_of(referral, a).status == AnswerStatus.ACCEPTED


def test_the_sender_sees_the_answers_on_the_request_page(login, care_manager):
    a = station("A")
    referral = send(care_manager, [a])
    referrals.answer_request(user=member_of(a), answer_id=answer_of(referral, a).pk, accept=False, reason="満床です")
    html = login(care_manager).get(reverse("directory:referral_detail", args=[referral.pk])).content.decode()
    assert "満床です" in html and "お断り" in html


def test_another_user_cannot_open_the_request(login, care_manager):
    referral = send(care_manager, [station("A")])
    assert login(UserFactory()).get(reverse("directory:referral_detail", args=[referral.pk])).status_code == 404


def test_the_send_page_sends_to_the_chosen_providers(login, care_manager):
    a, b = station("A"), station("B")
    response = login(care_manager).post(f"{reverse('directory:referral_new')}?near=吉祥寺本町",
                                        {"facility": [a.pk, b.pk], "need": "訪問看護を週2回"})
    assert response.status_code == 302 and ReferralAnswer.objects.count() == 2


@pytest.mark.parametrize("rows", [1, 10])
def test_the_referral_list_runs_a_fixed_number_of_queries(login, care_manager, rows, django_assert_num_queries):
    for i in range(rows):
        send(care_manager, [station(f"S{i}a"), station(f"S{i}b")])
    client = login(care_manager)
    client.get(reverse("directory:referrals"))
    with django_assert_num_queries(10):
        client.get(reverse("directory:referrals"))


def test_the_home_page_counts_requests_waiting_for_the_provider_s_answer(login, care_manager):
    a = station("A")
    nurse = member_of(a)
    send(care_manager, [a])
    html = login(nurse).get("/").content.decode()
    assert "回答待ちの受け入れ依頼（自分の事業所あて）" in html and reverse("directory:referrals") in html


def test_an_id_too_large_for_the_database_is_no_provider(care_manager):
    with pytest.raises(AppError, match="1か所以上"):
        referrals.send_request(user=care_manager, facility_ids=[str(2**70)], need="訪問看護")
