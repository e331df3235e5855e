"""Back-bed pages (医療機関一時入院連携制度): hospitals, requests, the hospital's answer, stay dates."""
from django.contrib import messages
from django.shortcuts import redirect, render

from renkei.core.audit import Action, record
from renkei.core.auth import professional_required, role_required, verified_required
from renkei.core.errors import posted, save_posted
from renkei.core.paging import paginate

from .. import backbed, selectors
from ..forms import BackBedAnswerForm, BackBedHospitalForm, BackBedRequestForm, BackBedStayForm
from ..models import BackBedHospital, BackBedStatus
from .common import patient_form_page, visible_back_bed_request, visible_patient


@professional_required
def index(request):
    """Participating hospitals, and the requests I may see (my patients' and my liaison office's)."""
    requests = selectors.back_bed_requests_visible_to(request.user).order_by("-requested_at", "-id")
    page = paginate(request, requests, 30)
    record(action=Action.READ, request=request, object_type="sheets.backbedrequest", detail="back-bed list")
    return render(request, "sheets/backbed_index.html",
                  {"hospitals": selectors.active_back_bed_hospitals(), "page": page})


@verified_required
def request_create(request, patient_id):
    patient = visible_patient(request, patient_id)
    form = BackBedRequestForm(request.POST or None, hospitals=selectors.active_back_bed_hospitals())
    return patient_form_page(
        request, patient, form,
        lambda data: backbed.request_admission(patient=patient, user=request.user, request=request, **data),
        template="sheets/backbed_request.html", done="sheets:backbed_detail",
        success="一時入院を依頼しました。医療機関の回答をお待ちください。",
    )


@verified_required
def detail(request, pk):
    found = visible_back_bed_request(request, pk)
    is_hospital = selectors.is_liaison_of(request.user, found.hospital.facility_id)
    answer_form = BackBedAnswerForm(posted(request, "answer"))
    stay_form = BackBedStayForm(posted(request, "stay"), initial={"admitted_on": found.admitted_on or found.desired_on,
                                                                  "discharged_on": found.discharged_on})
    if request.method == "POST" and save_posted(request, [
        (answer_form, lambda data: backbed.answer(bed_request=found, user=request.user, request=request,
                                                  accept=data["decision"] == "accept", note=data["note"]),
         "回答しました。依頼した医師のチームに通知されます。"),
        (stay_form, lambda data: backbed.record_stay(bed_request=found, user=request.user, request=request, **data),
         "入退院日を記録しました。"),
    ], patient=found.patient):
        return redirect("sheets:backbed_detail", pk=found.pk)
    record(action=Action.READ, request=request, obj=found, patient=found.patient_id)
    context = {"found": found, "is_hospital": is_hospital, "answer_form": answer_form, "stay_form": stay_form,
               "open": found.status == BackBedStatus.REQUESTED, "accepted": found.status == BackBedStatus.ACCEPTED}
    errors = answer_form.errors or stay_form.errors
    return render(request, "sheets/backbed_detail.html", context, status=400 if errors else 200)


@role_required("staff")
def hospitals(request, pk=None):
    """Municipal staff keep the list of participating hospitals and their back-bed capacity."""
    instance = BackBedHospital.objects.filter(pk=pk).first() if pk else None
    form = BackBedHospitalForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record(action=Action.UPDATE if instance else Action.CREATE, request=request, obj=saved, detail="back-bed hospital")
        messages.success(request, f"{saved} を保存しました。")
        return redirect("sheets:backbed_hospitals")
    context = {"form": form, "instance": instance,
               "hospitals": BackBedHospital.objects.select_related("facility").order_by("facility__name_kana")}
    return render(request, "sheets/backbed_hospitals.html", context, status=400 if form.errors else 200)
