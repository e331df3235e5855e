from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/stats/", views.consultation_stats, name="consultation_stats"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("council/", views.body_list, name="body_list"),
    path("council/<int:pk>/", views.body_detail, name="body_detail"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/new/", views.issue_new, name="issue_new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("countermeasures/<int:pk>/edit/", views.countermeasure_edit, name="countermeasure_edit"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:event_pk>/surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/invite/", views.survey_invite, name="survey_invite"),
    path("s/<str:token>/", views.survey_answer, name="survey_answer"),
    path("pamphlets/", views.pamphlet_list, name="pamphlet_list"),
    path("pamphlets/<int:pamphlet_pk>/editions/new/", views.edition_new, name="edition_new"),
    path("editions/<int:edition_pk>/distributions/new/", views.distribution_new, name="distribution_new"),
    path("regional/", views.regional_list, name="regional_list"),
    path("regional/new/", views.regional_new, name="regional_new"),
]
