from django.urls import path

from .views import common, consultations, council, events, outreach

app_name = "records"

urlpatterns = [
    path("", common.index, name="index"),
    path("consultations/", consultations.consultation_list, name="consultation_list"),
    path("consultations/new/", consultations.consultation_new, name="consultation_new"),
    path("consultations/stats/", consultations.consultation_stats, name="consultation_stats"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", consultations.consultation_edit, name="consultation_edit"),
    path("council/", council.body_list, name="body_list"),
    path("council/new/", council.body_new, name="body_new"),
    path("council/<int:pk>/", council.body_detail, name="body_detail"),
    path("council/<int:pk>/edit/", council.body_edit, name="body_edit"),
    path("meetings/new/", council.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", council.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", council.meeting_edit, name="meeting_edit"),
    path("attachments/<int:pk>/", council.attachment_download, name="attachment_download"),
    path("issues/", council.issue_list, name="issue_list"),
    path("issues/new/", council.issue_new, name="issue_new"),
    path("issues/<int:pk>/", council.issue_detail, name="issue_detail"),
    path("countermeasures/<int:pk>/edit/", council.countermeasure_edit, name="countermeasure_edit"),
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/attendance/", events.event_attendance, name="event_attendance"),
    path("events/<int:event_pk>/surveys/new/", events.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", events.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/invite/", events.survey_invite, name="survey_invite"),
    path("s/<str:token>/", events.survey_answer, name="survey_answer"),
    path("pamphlets/", outreach.pamphlet_list, name="pamphlet_list"),
    path("pamphlets/<int:pamphlet_pk>/editions/new/", outreach.edition_new, name="edition_new"),
    path("editions/<int:edition_pk>/distributions/new/", outreach.distribution_new, name="distribution_new"),
    path("regional/", outreach.regional_list, name="regional_list"),
    path("regional/new/", outreach.regional_new, name="regional_new"),
    path("regional/<int:pk>/edit/", outreach.regional_edit, name="regional_edit"),
]
