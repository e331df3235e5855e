from django.urls import path

from . import views

app_name = "careplans"

urlpatterns = [
    path("patients/<int:patient_id>/", views.patient_plan, name="plan"),
    path("patients/<int:patient_id>/import/", views.plan_import, name="import"),
    path("patients/<int:patient_id>/csv/<int:table>/", views.plan_csv, name="csv"),
]
