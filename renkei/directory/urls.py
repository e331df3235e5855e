from django.urls import path

from . import referral_views, views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
    path("print/", views.print_list, name="print"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("staff/changes/", views.staff_changes, name="staff_changes"),
    path("staff/changes/<int:change_id>/decide/", views.decide_change, name="decide_change"),
    path("windows/", referral_views.windows_list, name="windows"),
    path("windows/print/", referral_views.windows_print, name="windows_print"),
    path("referrals/", referral_views.referral_list, name="referrals"),
    path("referrals/new/", referral_views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/answers/<int:answer_id>/", referral_views.referral_answer, name="referral_answer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/windows/", referral_views.windows_edit, name="windows_edit"),
    path("<int:pk>/capacity/", referral_views.capacity_edit, name="capacity_edit"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
