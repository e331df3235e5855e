from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.index, name="index"),
    path("rescue-helper/", views.rescue_list, name="rescue_list"),
    path("rescue-helper/new/", views.rescue_new, name="rescue_new"),
    path("rescue-helper/billing/", views.rescue_billing, name="rescue_billing"),
    path("rescue-helper/billing/bills.csv", views.rescue_bills_csv, name="rescue_bills_csv"),
    path("rescue-helper/billing/payments.csv", views.rescue_payments_csv, name="rescue_payments_csv"),
    path("rescue-helper/billing/payment/", views.rescue_payment, name="rescue_payment"),
    path("rescue-helper/<int:pk>/", views.rescue_detail, name="rescue_detail"),
    path("rescue-helper/<int:pk>/edit/", views.rescue_edit, name="rescue_edit"),
    path("rescue-helper/<int:pk>/decide/", views.rescue_decide, name="rescue_decide"),
    path("rescue-helper/<int:pk>/dispatch/", views.rescue_dispatch, name="rescue_dispatch"),
    path("rescue-helper/<int:pk>/visits/", views.rescue_visit, name="rescue_visit"),
    path("restart-grant/", views.restart_list, name="restart_list"),
    path("restart-grant/new/", views.restart_new, name="restart_new"),
    path("restart-grant/<int:pk>/", views.restart_detail, name="restart_detail"),
    path("restart-grant/<int:pk>/edit/", views.restart_edit, name="restart_edit"),
    path("restart-grant/<int:pk>/assess/", views.restart_assess, name="restart_assess"),
    path("restart-grant/<int:pk>/confirm/", views.restart_confirm, name="restart_confirm"),
    path("restart-grant/<int:pk>/pay/", views.restart_pay, name="restart_pay"),
    path("restart-grant/<int:pk>/reject/", views.restart_reject, name="restart_reject"),
    path("restart-grant/<int:pk>/documents/", views.restart_upload, name="restart_upload"),
    path("restart-grant/<int:pk>/documents/<int:doc_pk>/", views.restart_document, name="restart_document"),
    path("linkage-fee/", views.linkage_list, name="linkage_list"),
    path("linkage-fee/claims/new/", views.linkage_claim_new, name="linkage_claim_new"),
    path("linkage-fee/claims/<int:pk>/", views.linkage_claim, name="linkage_claim"),
    path("linkage-fee/claims/<int:pk>/provisions/", views.linkage_provision_add, name="linkage_provision_add"),
    path("linkage-fee/claims/<int:pk>/provisions/<int:provision_pk>/delete/", views.linkage_provision_delete,
         name="linkage_provision_delete"),
    path("linkage-fee/claims/<int:pk>/approve/", views.linkage_approve, name="linkage_approve"),
    path("linkage-fee/claims/<int:pk>/return/", views.linkage_return, name="linkage_return"),
    path("linkage-fee/claims/<int:pk>/statement.csv", views.linkage_claim_csv, name="linkage_claim_csv"),
    path("linkage-fee/payments.csv", views.linkage_payment_csv, name="linkage_payment_csv"),
    path("linkage-fee/totals/", views.linkage_totals, name="linkage_totals"),
    path("end-of-life/", views.end_of_life, name="end_of_life"),
    path("ending-note.pdf", views.ending_note, name="ending_note"),
]
