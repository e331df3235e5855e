from django.urls import path

from .views import common, end_of_life, linkage, rescue, restart

app_name = "programs"

urlpatterns = [
    path("", common.index, name="index"),
    path("rescue-helper/", rescue.rescue_list, name="rescue_list"),
    path("rescue-helper/new/", rescue.rescue_new, name="rescue_new"),
    path("rescue-helper/billing/", rescue.rescue_billing, name="rescue_billing"),
    path("rescue-helper/billing/bills.csv", rescue.rescue_bills_csv, name="rescue_bills_csv"),
    path("rescue-helper/billing/payments.csv", rescue.rescue_payments_csv, name="rescue_payments_csv"),
    path("rescue-helper/billing/payment/", rescue.rescue_payment, name="rescue_payment"),
    path("rescue-helper/<int:pk>/", rescue.rescue_detail, name="rescue_detail"),
    path("rescue-helper/<int:pk>/bill/", rescue.rescue_bill, name="rescue_bill"),
    path("rescue-helper/<int:pk>/edit/", rescue.rescue_edit, name="rescue_edit"),
    path("rescue-helper/<int:pk>/decide/", rescue.rescue_decide, name="rescue_decide"),
    path("rescue-helper/<int:pk>/dispatch/", rescue.rescue_dispatch, name="rescue_dispatch"),
    path("rescue-helper/<int:pk>/visits/", rescue.rescue_visit, name="rescue_visit"),
    path("restart-grant/", restart.restart_list, name="restart_list"),
    path("restart-grant/new/", restart.restart_new, name="restart_new"),
    path("restart-grant/<int:pk>/", restart.restart_detail, name="restart_detail"),
    path("restart-grant/<int:pk>/edit/", restart.restart_edit, name="restart_edit"),
    path("restart-grant/<int:pk>/assess/", restart.restart_assess, name="restart_assess"),
    path("restart-grant/<int:pk>/confirm/", restart.restart_confirm, name="restart_confirm"),
    path("restart-grant/<int:pk>/pay/", restart.restart_pay, name="restart_pay"),
    path("restart-grant/<int:pk>/reject/", restart.restart_reject, name="restart_reject"),
    path("restart-grant/<int:pk>/documents/", restart.restart_upload, name="restart_upload"),
    path("restart-grant/<int:pk>/documents/<int:doc_pk>/", restart.restart_document, name="restart_document"),
    path("linkage-fee/", linkage.linkage_list, name="linkage_list"),
    path("linkage-fee/claims/new/", linkage.linkage_claim_new, name="linkage_claim_new"),
    path("linkage-fee/claims/<int:pk>/", linkage.linkage_claim, name="linkage_claim"),
    path("linkage-fee/claims/<int:pk>/provisions/", linkage.linkage_provision_add, name="linkage_provision_add"),
    path("linkage-fee/claims/<int:pk>/provisions/<int:provision_pk>/delete/", linkage.linkage_provision_delete,
         name="linkage_provision_delete"),
    path("linkage-fee/claims/<int:pk>/approve/", linkage.linkage_approve, name="linkage_approve"),
    path("linkage-fee/claims/<int:pk>/return/", linkage.linkage_return, name="linkage_return"),
    path("linkage-fee/claims/<int:pk>/statement.csv", linkage.linkage_claim_csv, name="linkage_claim_csv"),
    path("linkage-fee/payments.csv", linkage.linkage_payment_csv, name="linkage_payment_csv"),
    path("linkage-fee/totals/", linkage.linkage_totals, name="linkage_totals"),
    path("end-of-life/", end_of_life.end_of_life, name="end_of_life"),
    path("ending-note.pdf", end_of_life.ending_note, name="ending_note"),
]
