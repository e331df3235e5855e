from django.urls import path

from . import views

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
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
