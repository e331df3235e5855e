from django.urls import path

from .views import backbed, conferences, dementia, safety, sheets

app_name = "sheets"

urlpatterns = [
    path("", sheets.index, name="index"),
    path("patients/<int:patient_id>/", sheets.patient_sheets, name="patient_sheets"),
    path("patients/<int:patient_id>/new/<str:kind>/", sheets.sheet_create, name="create"),
    path("<int:pk>/", sheets.sheet_detail, name="detail"),
    path("<int:pk>/edit/", sheets.sheet_edit, name="edit"),
    path("<int:pk>/finalise/", sheets.sheet_finalise, name="finalise"),
    path("<int:pk>/revise/", sheets.sheet_revise, name="revise"),
    path("<int:pk>/discard/", sheets.sheet_discard, name="discard"),
    path("<int:pk>/send/", sheets.sheet_send, name="send"),
    path("<int:pk>/receipt/", sheets.sheet_receipt, name="receipt"),
    path("<int:pk>/stage/", sheets.stage_answer, name="stage"),
    path("<int:pk>/pdf/", sheets.sheet_pdf, name="pdf"),
    path("<int:pk>/fhir/", sheets.sheet_fhir, name="fhir"),
    path("backbed/", backbed.index, name="backbed_index"),
    path("backbed/hospitals/", backbed.hospitals, name="backbed_hospitals"),
    path("backbed/hospitals/<int:pk>/", backbed.hospitals, name="backbed_hospital_edit"),
    path("backbed/patients/<int:patient_id>/new/", backbed.request_create, name="backbed_request"),
    path("backbed/<int:pk>/", backbed.detail, name="backbed_detail"),
    path("patients/<int:patient_id>/safety/", safety.patient_safety, name="patient_safety"),
    path("patients/<int:patient_id>/conferences/", conferences.patient_conferences, name="conferences"),
    path("patients/<int:patient_id>/conferences/new/", conferences.conference_create, name="conference_create"),
    path("conferences/<int:pk>/", conferences.conference_detail, name="conference_detail"),
    path("conferences/<int:pk>/answer/", conferences.conference_answer, name="conference_answer"),
    path("conferences/<int:pk>/cancel/", conferences.conference_cancel, name="conference_cancel"),
    path("conferences/<int:pk>/record/", conferences.conference_record, name="conference_record"),
    path("conferences/<int:pk>/actions/<int:action_id>/done/", conferences.action_done,
         name="conference_action_done"),
    path("dementia/", dementia.index, name="dementia_index"),
    path("dementia/patients/<int:patient_id>/new/", dementia.case_create, name="dementia_create"),
    path("dementia/<int:pk>/", dementia.case_detail, name="dementia_detail"),
]
