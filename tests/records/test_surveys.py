"""Questionnaires after an event and three months later: builder, a link per participant, aggregated results."""
import datetime

import pytest
from django.urls import reverse

from renkei.records.models import Answer, Question, Survey, SurveyInvitation

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(staff_client):
    event = EventFactory()
    RegistrationFactory.create_batch(3, event=event)
    staff_client.post(reverse("records:survey_new", args=[event.pk]), {"kind": "follow_up", "title": "3か月後アンケート", "opens_on": "2025-01-01"})
    return Survey.objects.get()


def answer(client, invitation, **values):
    data = {f"q{q.pk}": values.get(q.kind, "") for q in invitation.survey.questions.all()}
    return client.post(reverse("records:survey_answer", args=[invitation.token]), data)


def test_a_new_survey_starts_with_scale_and_free_text_questions(survey):
    assert set(survey.questions.values_list("kind", flat=True)) == {"scale", "text"}


def test_staff_add_a_question(client, survey):
    client.post(reverse("records:survey_detail", args=[survey.pk]), {"text": "また参加したいですか", "kind": "scale"})
    assert Question.objects.filter(survey=survey, text="また参加したいですか").exists()


def test_every_participant_gets_a_unique_link(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    tokens = set(SurveyInvitation.objects.values_list("token", flat=True))
    assert len(tokens) == 3


def test_inviting_twice_does_not_duplicate_links(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    assert SurveyInvitation.objects.count() == 3


def test_a_participant_answers_through_the_link_without_logging_in(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    invitation = SurveyInvitation.objects.first()
    client.logout()
    r = answer(client, invitation, scale="4", text="連携先が増えた")
    invitation.refresh_from_db()
    assert r.status_code == 200 and invitation.answered_at is not None and Answer.objects.count() == 3


def test_a_link_answers_only_once(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    invitation = SurveyInvitation.objects.first()
    answer(client, invitation, scale="4")
    answer(client, invitation, scale="1")
    assert list(Answer.objects.filter(question__kind="scale").values_list("scale", flat=True)) == [4, 4]


def test_a_scale_answer_out_of_range_is_refused(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    r = answer(client, SurveyInvitation.objects.first(), scale="9")
    assert r.status_code == 400 and "1〜5" in r.content.decode() and not Answer.objects.exists()


def test_a_survey_not_yet_open_is_refused(client, survey):
    survey.opens_on = datetime.date.today() + datetime.timedelta(days=30)
    survey.save()
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    r = answer(client, SurveyInvitation.objects.first(), scale="3")
    assert r.status_code == 400 and not Answer.objects.exists()


def test_an_unknown_link_is_404(client):
    assert client.get(reverse("records:survey_answer", args=["no-such-token"])).status_code == 404


def test_results_are_aggregated(client, survey):
    client.post(reverse("records:survey_invite", args=[survey.pk]))
    first, second, _ = SurveyInvitation.objects.order_by("id")
    answer(client, first, scale="5", text="良かった")
    answer(client, second, scale="3")
    r = client.get(reverse("records:survey_detail", args=[survey.pk]))
    results = r.context["results"]
    scale = results["questions"][0]
    assert (results["answered"], results["invited"]) == (2, 3)
    assert scale["mean"] == 4 and scale["spread"] == [0, 0, 1, 0, 1]
    assert results["questions"][2]["texts"] == ["良かった"]
