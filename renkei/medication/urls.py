from django.urls import path

from . import views

app_name = "medication"

urlpatterns = [
    path("patients/<int:patient_id>/", views.patient_medications, name="patient_medications"),
    path("patients/<int:patient_id>/read/", views.medications_read, name="read"),
]
