"""Care plan pages: the patient's ケアプラン (補足情報, 第1表・第2表・第3表 and one month's 第6表・第7表), import, CSV export."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from renkei.core import access
from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.errors import AppError, audit_refusal, show_error
from renkei.core.idempotency import once_per_submission
from renkei.network.views.common import visible_patient

from . import selectors, services
from .forms import ImportForm
from .layout import HOSOKU, TABLES


@verified_required
def patient_plan(request, patient_id):
    patient = visible_patient(request, patient_id)
    view = selectors.plan_view(user=request.user, patient=patient, month=request.GET.get("month", ""),
                               only_mine=request.GET.get("mine") == "1")
    record(action=Action.READ, request=request, obj=view.plan or patient, patient=patient, detail="care plan")
    return render(request, "careplans/plan.html", {
        "patient": patient, "view": view, "tables": TABLES, "hosoku": TABLES[HOSOKU], "history": selectors.history(request.user, patient),
        "schedule": [(row, row.day_counts(view.days)) for row in view.schedule],
        "can_import": access.is_team_care_manager(request.user, patient)})


@verified_required
@once_per_submission
def plan_import(request, patient_id):
    patient = visible_patient(request, patient_id)
    if not access.is_team_care_manager(request.user, patient):
        raise PermissionDenied("ケアプランを取り込めるのは、この患者のチームのケアマネジャーだけです。")
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        uploads = [services.Upload(name=f.name, content=f.read()) for f in form.cleaned_data["csv_files"]]
        try:
            plan = services.import_plan(user=request.user, patient=patient, uploads=uploads, request=request)
        except services.CsvRejected as rejected:
            audit_refusal(request, status=422, reason=rejected.message[:500], patient=patient)
            problems = rejected.lines
        except AppError as error:
            show_error(request, error, form, patient=patient)
        else:
            messages.success(request, f"ケアプラン（第{plan.version}版）を取り込みました。")
            return redirect("careplans:plan", patient.pk)
    return render(request, "careplans/import.html", {"patient": patient, "form": form, "problems": problems},
                  status=422 if problems else 200)


@verified_required
def plan_csv(request, patient_id, table):
    patient = visible_patient(request, patient_id)
    try:
        export = selectors.export_table(user=request.user, patient=patient, table=table,
                                        month=request.GET.get("month", ""),
                                        encoding=request.GET.get("encoding", "shift_jis"),
                                        only_mine=request.GET.get("mine") == "1")
    except AppError as error:  # a table or encoding the page never links to
        show_error(request, error, patient=patient)
        return redirect("careplans:plan", patient.pk)
    record(action=Action.EXPORT, request=request, patient=patient, object_type="careplans.careplantable",
           detail=f"care plan csv table {export.table} {export.month} {export.rows} rows")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
