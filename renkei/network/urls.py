from django.urls import path

from .views import other, patients, timeline

app_name = "network"

urlpatterns = [
    path("", patients.patient_list, name="patient_list"),
    path("new/", patients.patient_create, name="patient_create"),
    path("<int:pk>/", timeline.timeline, name="timeline"),
    path("<int:pk>/poll/", timeline.timeline_poll, name="poll"),
    path("<int:pk>/posts/", timeline.post_create, name="post_create"),
    path("<int:pk>/vitals/", timeline.vitals_create, name="vitals_create"),
    path("<int:pk>/profile/", patients.patient_profile, name="profile"),
    path("<int:pk>/consent/", patients.consent, name="consent"),
    path("<int:pk>/consent/<int:consent_id>/withdraw/", patients.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/team/", patients.team, name="team"),
    path("<int:pk>/team/invite/", patients.team_invite, name="team_invite"),
    path("<int:pk>/team/<int:member_id>/remove/", patients.team_remove, name="team_remove"),
    path("<int:pk>/team/<int:member_id>/manager/", patients.team_manager, name="team_manager"),
    path("<int:pk>/family/", timeline.family_timeline, name="family_timeline"),
    path("<int:pk>/family/poll/", timeline.family_poll, name="family_poll"),
    path("<int:pk>/family/posts/", timeline.family_post_create, name="family_post_create"),
    path("<int:pk>/family/accounts/", patients.family_account_create, name="family_account_create"),
    path("<int:pk>/family/accounts/<int:access_id>/revoke/", patients.family_account_revoke,
         name="family_account_revoke"),
    path("invitations/<int:member_id>/", patients.invitation_respond, name="invitation_respond"),
    path("posts/<int:post_id>/edit/", timeline.post_edit, name="post_edit"),
    path("posts/<int:post_id>/retract/", timeline.post_retract, name="post_retract"),
    path("posts/<int:post_id>/history/", timeline.post_history, name="post_history"),
    path("files/<int:attachment_id>/", other.attachment_download, name="attachment"),
    path("files/<int:attachment_id>/thumbnail/", other.attachment_thumbnail, name="attachment_thumbnail"),
    path("notifications/", other.notifications, name="notifications"),
    path("notifications/badge/", other.notification_badge, name="notification_badge"),
    path("groups/", other.groups, name="groups"),
    path("groups/<int:pk>/", timeline.group_timeline, name="group_timeline"),
    path("groups/<int:pk>/poll/", timeline.group_poll, name="group_poll"),
    path("groups/<int:pk>/posts/", timeline.group_post_create, name="group_post_create"),
    path("groups/<int:pk>/members/", other.group_members, name="group_members"),
    path("groups/<int:pk>/invite/", other.group_invite, name="group_invite"),
    path("groups/invitations/<int:member_id>/", other.group_invitation_respond, name="group_invitation_respond"),
    path("family/", other.family_home, name="family_home"),
]
