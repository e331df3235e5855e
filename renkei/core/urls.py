from django.urls import path

from .views import accounts, audit_log, facility, members, registration, tokens

app_name = "core"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/otp/", accounts.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", accounts.otp_setup, name="otp_setup"),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/password/change/", accounts.password_change, name="password_change"),
    path("accounts/register/", registration.register, name="register"),
    path("accounts/register/facilities/", registration.facility_options, name="facility_options"),
    path("accounts/register/done/", registration.register_done, name="register_done"),
    path("accounts/tokens/", tokens.token_list, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("staff/registrations/", registration.registration_list, name="registrations"),
    path("staff/registrations/<int:pk>/", registration.registration_detail, name="registration_detail"),
    path("staff/registrations/<int:pk>/approve/", registration.approve, name="registration_approve"),
    path("staff/registrations/<int:pk>/reject/", registration.reject, name="registration_reject"),
    path("staff/registrations/<int:pk>/withdraw/", registration.withdraw, name="registration_withdraw"),
    path("staff/registrations/<int:pk>/unlock/", registration.unlock, name="registration_unlock"),
    path("facility/people/", facility.people, name="facility_people"),
    path("facility/people/import/", facility.people_import, name="facility_import"),
    path("facility/people/<int:pk>/withdraw/", facility.person_withdraw, name="facility_withdraw"),
    path("facility/administrators/nominate/", facility.nominate, name="facility_nominate"),
    path("staff/facility-administrators/", facility.nominations, name="facility_nominations"),
    path("staff/facility-administrators/<int:pk>/decide/", facility.nomination_decide, name="facility_nomination_decide"),
    path("staff/members/", members.members, name="members"),
    path("staff/members/members.csv", members.members_csv, name="members_csv"),
    path("staff/audit/", audit_log.audit_log, name="audit_log"),
    path("staff/audit/export.csv", audit_log.audit_export, name="audit_export"),
]
