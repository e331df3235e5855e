"""Sheet pages: my sheets, a patient's sheets, write / edit / finalise / revise / send, receipt, route stages."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import professional_required, verified_required
from renkei.core.errors import show_error
from renkei.core.idempotency import once_per_submission
from renkei.core.models import Facility, FacilityKind
from renkei.core.paging import paginate
from renkei.network.services import Refused

from .. import selectors, services
from ..exports import fhir_response, pdf_response
from ..forms import NextFacilityForm, SendForm
from ..models import SheetKind
from ..presentation import sheet_sections
from ..safety import safety_of
from ..schemas import CONTENT_FORMS, ROUTES, STAGE_FORMS
from .common import denied, fieldsets, visible_patient, visible_sheet

PER_PAGE = 30
MY_PATIENTS_SHOWN = 100  # the patient picker on the index; the network list has search for more


@professional_required
def index(request):
    """My sheets: drafts I am writing, recent sheets of my patients, and sheets my liaison office received."""
    unopened_only = request.GET.get("unopened") == "1"
    visible = (selectors.unopened_addressed_sheets(request.user) if unopened_only
               else selectors.sheets_visible_to(request.user))
    mine = selectors.with_unread_flag(selectors.with_latest_flag(
        visible.filter(patient__in=selectors.patients_visible_to(request.user))
    ), request.user).select_related("patient", "author").prefetch_related("deliveries__facility").order_by("-created_at", "-id")
    page = paginate(request, mine, PER_PAGE)
    unconfirmed_only = request.GET.get("unconfirmed") == "1"
    received = []
    if selectors.is_liaison(request.user):
        received = selectors.unconfirmed_received_sheets(request.user) if unconfirmed_only else selectors.received_sheets(request.user)
        received = received[:PER_PAGE]
    patients = selectors.patients_visible_to(request.user).order_by("name_kana", "id")[:MY_PATIENTS_SHOWN]
    record(action=Action.READ, request=request, object_type="sheets.sheet", detail="my sheets")
    context = {"page": page, "received": received, "unconfirmed_only": unconfirmed_only,
               "unopened_only": unopened_only, "patients": patients, "kinds": SheetKind.choices}
    return render(request, "sheets/index.html", context)


@verified_required
def patient_sheets(request, patient_id):
    patient = visible_patient(request, patient_id)
    sheets = selectors.with_unread_flag(selectors.sheets_of_patient(patient), request.user).prefetch_related(
        "deliveries__facility")
    page = paginate(request, sheets, PER_PAGE)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="sheets list")
    return render(request, "sheets/patient_sheets.html", {"patient": patient, "page": page, "kinds": SheetKind.choices,
                                                          "safety": safety_of(patient)})


def _content_page(request, *, patient, kind, form, sheet=None, status=200):
    context = {"patient": patient, "kind": kind, "kind_label": SheetKind(kind).label, "form": form, "sheet": sheet,
               "fieldsets": fieldsets(form, CONTENT_FORMS[kind].all_sections())}
    return render(request, "sheets/sheet_form.html", context, status=status)


@verified_required
@once_per_submission
def sheet_create(request, patient_id, kind):
    patient = visible_patient(request, patient_id)
    if kind not in CONTENT_FORMS:
        raise Http404
    form_class = CONTENT_FORMS[kind]
    if request.method != "POST":
        initial = services.prefill(patient=patient, kind=kind, author=request.user)
        record(action=Action.READ, request=request, obj=patient, patient=patient, detail=f"prefill {kind}")
        return _content_page(request, patient=patient, kind=kind, form=form_class(initial=initial))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            sheet = services.create_sheet(patient=patient, author=request.user, kind=kind,
                                          content=form.to_content(), request=request)
        except Refused as refused:
            show_error(request, refused, form, patient=patient)
        else:
            messages.success(request, "下書きを保存しました。内容を確認して「確定」してください。")
            return redirect("sheets:detail", pk=sheet.pk)
    return _content_page(request, patient=patient, kind=kind, form=form, status=400)


@verified_required
def sheet_edit(request, pk):
    sheet = visible_sheet(request, pk)
    form_class = CONTENT_FORMS[sheet.kind]
    if sheet.is_finalised:
        messages.error(request, services.FINALISED_IS_READ_ONLY)
        return redirect("sheets:detail", pk=sheet.pk)
    if request.method != "POST":
        services.record_read(request=request, sheet=sheet, detail="edit page")
        return _content_page(request, patient=sheet.patient, kind=sheet.kind, sheet=sheet,
                             form=form_class(initial=sheet.content))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            services.update_draft(sheet=sheet, user=request.user, content=form.to_content(), request=request)
        except Refused as refused:
            show_error(request, refused, form, patient=sheet.patient)
        else:
            messages.success(request, "下書きを更新しました。")
            return redirect("sheets:detail", pk=sheet.pk)
    return _content_page(request, patient=sheet.patient, kind=sheet.kind, form=form, sheet=sheet, status=400)


@verified_required
def sheet_detail(request, pk):
    sheet = visible_sheet(request, pk)
    stages = selectors.stages_of(sheet)
    deliveries = selectors.deliveries_of(sheet)
    on_team = selectors.is_team_member(request.user, sheet.patient)
    my_facilities = set(selectors.liaison_facility_ids(request.user).values_list("facility_id", flat=True))
    step = services.next_stage(sheet) if sheet.kind in ROUTES else None
    services.record_read(request=request, sheet=sheet, detail="page")
    addressees = selectors.addressees_of(sheet) if on_team else []
    me = next((u for u in addressees if u.pk == request.user.pk), None)
    if me is not None and me.sheet_marked and me.sheet_read_at is None:  # the addressee opens it: read
        services.mark_read(sheet=sheet, user=request.user)
        me.sheet_read_at = timezone.now()
    versions = list(selectors.versions_of(sheet, request.user))
    context = {
        "sheet": sheet,
        "presented": sheet_sections(sheet, stages=stages),
        "deliveries": deliveries,
        "versions": versions,
        "review_due": services.review_due(sheet, latest=versions[-1].pk == sheet.pk, today=timezone.localdate()),
        "on_team": on_team,
        "addressees": addressees,
        "my_delivery": next((d for d in deliveries if d.facility_id in my_facilities), None),
        "step": step,
        "may_answer": bool(step and not step.complete and sheet.is_finalised
                           and (on_team or any(d.facility_id in my_facilities for d in deliveries))),
    }
    return render(request, "sheets/sheet_detail.html", context)


def _sheet_action(service, success):
    """A POST on one sheet: service(sheet=, user=, request=), then the page of the sheet (or of the version or
    the delivery's sheet it returns) with `success`; a refusal is shown on the sheet's page."""

    @require_POST
    @verified_required
    def view(request, pk):
        sheet = visible_sheet(request, pk)
        try:
            result = service(sheet=sheet, user=request.user, request=request)
        except Refused as refused:
            show_error(request, refused, obj=sheet, patient=sheet.patient_id)
            return redirect("sheets:detail", pk=sheet.pk)
        messages.success(request, success)
        return redirect("sheets:detail", pk=getattr(result, "sheet_id", None) or result.pk)

    return view


sheet_finalise = _sheet_action(services.finalise, "確定しました。以後この版は編集できません。送付先を選んで送付してください。")
sheet_revise = _sheet_action(services.revise, "訂正版（下書き）を作成しました。元の版はそのまま残ります。")
sheet_receipt = _sheet_action(services.confirm_receipt, "受領を確認しました。送付元に通知されます。")


@require_POST
@verified_required
def sheet_discard(request, pk):
    sheet = visible_sheet(request, pk)
    try:
        services.discard_draft(sheet=sheet, user=request.user, request=request)
    except Refused as refused:
        show_error(request, refused)
        return redirect("sheets:detail", pk=sheet.pk)
    messages.success(request, "下書きを削除しました。")
    return redirect("sheets:patient_sheets", patient_id=sheet.patient_id)


@verified_required
def sheet_send(request, pk):
    sheet = visible_sheet(request, pk)
    if not selectors.is_team_member(request.user, sheet.patient):  # the page lists the care team
        denied(request, "send page off the team")
        raise Http404
    facilities = (selectors.facilities_with_liaison() | Facility.objects.filter(kind=FacilityKind.HOSPITAL)).distinct()
    initial = {} if request.method == "POST" else selectors.send_defaults(sheet, request.user, facilities)
    form = SendForm(request.POST or None, team_users=selectors.send_addressees(sheet, request.user),
                    facilities=facilities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.send(sheet=sheet, user=request.user, addressees=form.cleaned_data["addressees"],
                          facility=form.cleaned_data["facility"], request=request)
        except Refused as refused:
            show_error(request, refused, form, patient=sheet.patient)
        else:
            messages.success(request, "送付しました。タイムラインにお知らせを掲載しました。")
            return redirect("sheets:detail", pk=sheet.pk)
    services.record_read(request=request, sheet=sheet, detail="send page")
    return render(request, "sheets/send.html", {"sheet": sheet, "form": form}, status=400 if form.errors else 200)


@verified_required
def stage_answer(request, pk):
    sheet = visible_sheet(request, pk)
    if sheet.kind not in ROUTES or not services.may_answer_stage(request.user, sheet):
        denied(request, "stage page")
        raise Http404
    step = services.next_stage(sheet)
    if step.complete:
        messages.info(request, "この連携はすべての段階の回答が済んでいます。")
        return redirect("sheets:detail", pk=sheet.pk)
    form_class = STAGE_FORMS[step.next_stage]
    form = form_class(request.POST or None)
    facilities = selectors.facilities_with_liaison()
    next_form = NextFacilityForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and form.is_valid() and next_form.is_valid():
        try:
            services.answer_stage(sheet=sheet, user=request.user, content=form.to_content(),
                                  next_facility=next_form.cleaned_data["next_facility"], request=request)
        except Refused as refused:
            show_error(request, refused, form, patient=sheet.patient)
        else:
            messages.success(request, f"「{step.next_label}」の記録を保存しました。")
            return redirect("sheets:detail", pk=sheet.pk)
    services.record_read(request=request, sheet=sheet, detail="stage page")
    context = {"sheet": sheet, "step": step, "form": form, "next_form": next_form,
               "fieldsets": fieldsets(form, form_class.sections)}
    return render(request, "sheets/stage_form.html", context, status=400 if form.errors else 200)


@verified_required
def sheet_pdf(request, pk):
    return pdf_response(request, visible_sheet(request, pk), disposition="inline")


@verified_required
def sheet_fhir(request, pk):
    return fhir_response(request, visible_sheet(request, pk))
