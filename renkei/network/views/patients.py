"""Patient pages: my patients, registration, profile and contacts, consent, care team, family accounts."""
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.errors import attempt, posted, save_posted, show_error
from renkei.core.models import User
from renkei.core.paging import paginate

from .. import selectors, services
from ..forms import (
    ConsentForm,
    ContactForm,
    FamilyAccountForm,
    InviteForm,
    NewPatientForm,
    PatientForm,
    WithdrawConsentForm,
)
from ..models import CareTeamMember, Consent, FamilyAccess, Patient
from ..requests import SignedInRequest
from .common import M, answer_invitation, first_or_denied, visible_patient

PATIENTS_PER_PAGE = 30


@verified_required
def patient_list(request: SignedInRequest) -> HttpResponse:
    """My patients, newest activity first, with unread counts; my pending invitations."""
    if selectors.is_family_account(request.user):  # never the list: its own family page
        return redirect("network:family_home")
    query = request.GET.get("q", "").strip()
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.patient_list(request.user, query=query, unread_only=unread_only),
                    PATIENTS_PER_PAGE)
    record(action=Action.READ, request=request, object_type="network.patient", detail=f"patient list q={query[:50]}")
    context = {
        "page": page,
        "query": query,
        "unread_only": unread_only,
        "invitations": selectors.invitations_for(request.user),
        "group_invitations": selectors.group_invitations_for(request.user),
    }
    return render(request, "network/patient_list.html", context)


@verified_required
def patient_create(request: SignedInRequest) -> HttpResponse:
    form = NewPatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.create_patient(by=request.user, request=request, **form.cleaned_data)
        except services.Refused as refused:
            show_error(request, refused, form)
        else:
            messages.success(request, f"{patient.name} さんを登録しました。次に情報共有の同意を記録し、チームを招待してください。")
            return redirect("network:consent", pk=patient.pk)
    return render(request, "network/patient_form.html", {"form": form}, status=400 if form.errors else 200)


@verified_required
def patient_profile(request: SignedInRequest, pk: int) -> HttpResponse:
    """Basic information, status and family contacts; any active member may edit them."""
    patient = visible_patient(request, pk)
    initial = {f: getattr(patient, f) for f in PatientForm.base_fields}
    form = PatientForm(posted(request, "patient"), initial=initial)
    contact_form = ContactForm(posted(request, "contact"))
    if request.method == "POST":
        if save_posted(request, [
            (form, lambda data: services.update_patient(patient=patient, by=request.user, request=request, **data),
             "基本情報を更新しました。"),
            (contact_form, lambda data: services.add_contact(patient=patient, by=request.user, request=request, **data),
             "連絡先を追加しました。"),
        ], patient=patient):
            return redirect("network:profile", pk=patient.pk)
    else:
        record(action=Action.READ, request=request, obj=patient, patient=patient, detail="profile")
    context = {"patient": patient, "form": form, "contact_form": contact_form, "contacts": patient.contacts.all()}
    return render(request, "network/profile.html", context, status=400 if request.method == "POST" else 200)


@verified_required
def consent(request: SignedInRequest, pk: int) -> HttpResponse:
    """The consent record of a patient: add one (with a scanned document), see and withdraw them."""
    patient = visible_patient(request, pk)
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(patient=patient, by=request.user, request=request, **form.cleaned_data)
        except services.Refused as refused:
            show_error(request, refused, form, patient=patient)
        else:
            messages.success(request, "情報共有の同意を記録しました。タイムラインで情報を共有できます。")
            return redirect("network:timeline", pk=patient.pk)
    if request.method == "GET":
        record(action=Action.READ, request=request, obj=patient, patient=patient, detail="consents")
    context = {"patient": patient, "form": form, "consents": selectors.consents_of(patient),
               "withdraw_form": WithdrawConsentForm(), "state": services.consent_state(patient)}
    return render(request, "network/consent.html", context, status=400 if form.errors else 200)


@verified_required
@require_POST
def consent_withdraw(request: SignedInRequest, pk: int, consent_id: int) -> HttpResponse:
    patient, item = _patients_row(request, pk, Consent.objects.all(), consent_id, "consent")
    form = WithdrawConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回の記録（いつ・誰から撤回の申し出があったか）を入力してください。")
        return redirect("network:consent", pk=patient.pk)
    attempt(request, lambda: services.withdraw_consent(consent=item, by=request.user, note=form.cleaned_data["note"],
                                                       request=request),
            "同意の撤回を記録しました。タイムラインへの新しい投稿はできなくなります。")
    return redirect("network:consent", pk=patient.pk)


@verified_required
def team(request: SignedInRequest, pk: int) -> HttpResponse:
    """The care team: members and roles; managers search professionals and invite them."""
    patient = visible_patient(request, pk)
    members = list(selectors.team_of(patient))
    me = next((m for m in members if m.user_id == request.user.pk), None)
    query = request.GET.get("q", "").strip()
    candidates: QuerySet[User] | list[User] = []
    if query and me and me.is_manager:
        taken = [m.user_id for m in members]
        candidates = selectors.professional_candidates(query, exclude_ids=taken)
    record(action=Action.READ, request=request, obj=patient, patient=patient, detail="team")
    context = {"patient": patient, "members": members, "me": me, "query": query, "candidates": candidates,
               "invite_form": InviteForm(), "family": selectors.family_accesses_of(patient),
               "family_form": FamilyAccountForm()}
    return render(request, "network/team.html", context)


@verified_required
@require_POST
def team_invite(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = visible_patient(request, pk)
    form = InviteForm(request.POST)
    # pk=None matches no row (an invalid form); django-stubs types the lookup as str | int only.
    invitee = User.objects.filter(pk=form.data.get("user") if form.is_valid() else None).first()  # type: ignore[misc]
    if invitee is None:
        messages.error(request, "招待する相手を検索して選んでください。")
        return redirect("network:team", pk=patient.pk)
    try:
        services.invite_member(patient=patient, by=request.user, user=invitee, role=form.cleaned_data["role"],
                               is_manager=form.cleaned_data["is_manager"], request=request)
    except services.Refused as refused:
        show_error(request, refused, patient=patient)
    else:
        messages.success(request, f"{invitee} さんを招待しました。承諾されるとチームに加わります。")
    return redirect("network:team", pk=patient.pk)


def _patients_row(request: SignedInRequest, pk: int, rows: QuerySet[M], row_id: int, what: str) -> tuple[Patient, M]:
    """The visible patient `pk` and its row `row_id` of `rows` (a consent, a member, a family account);
    another patient's row is an audited 404 (`what`)."""
    patient = visible_patient(request, pk)
    return patient, first_or_denied(request, rows.filter(patient=patient, pk=row_id), f"{what} {row_id}")


@verified_required
@require_POST
def team_remove(request: SignedInRequest, pk: int, member_id: int) -> HttpResponse:
    patient, member = _patients_row(request, pk, CareTeamMember.objects.select_related("user"), member_id, "member")
    try:
        services.remove_member(member=member, by=request.user, request=request)
    except services.Refused as refused:
        show_error(request, refused, patient=patient)
    else:
        messages.success(request, f"{member.user} さんをチームから外しました。")
    return redirect("network:team", pk=patient.pk)


@verified_required
@require_POST
def team_manager(request: SignedInRequest, pk: int, member_id: int) -> HttpResponse:
    patient, member = _patients_row(request, pk, CareTeamMember.objects.select_related("user"), member_id, "member")
    try:
        services.set_manager(member=member, by=request.user, is_manager=request.POST.get("is_manager") == "1",
                             request=request)
    except services.Refused as refused:
        show_error(request, refused)
    return redirect("network:team", pk=patient.pk)


@verified_required
@require_POST
def invitation_respond(request: SignedInRequest, member_id: int) -> HttpResponse:
    """The invitee accepts or declines; someone else's invitation is a 404."""
    member, accept = answer_invitation(request, CareTeamMember.objects.filter(pk=member_id),
                                       services.respond_invitation, f"invitation {member_id}")
    if accept:
        messages.success(request, "招待を承諾しました。")
        return redirect("network:timeline", pk=member.patient_id)
    messages.info(request, "招待を辞退しました。")
    return redirect("network:patient_list")


@verified_required
@require_POST
def family_account_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """A manager opens a family account; its first password is shown once, to hand over in person."""
    patient = visible_patient(request, pk)
    form = FamilyAccountForm(request.POST)
    if form.is_valid():
        try:
            access, password = services.grant_family_access(patient=patient, by=request.user, request=request,
                                                            **form.cleaned_data)
        except services.Refused as refused:
            show_error(request, refused)
        else:
            return render(request, "network/family_account_created.html",
                          {"patient": patient, "access": access, "password": password,
                           "login_url": request.build_absolute_uri(reverse("core:login"))})
    else:
        messages.error(request, "氏名・続柄・ユーザー名を入力してください。")
    return redirect("network:team", pk=patient.pk)


@verified_required
@require_POST
def family_account_revoke(request: SignedInRequest, pk: int, access_id: int) -> HttpResponse:
    patient, access = _patients_row(request, pk, FamilyAccess.objects.all(), access_id, "family access")
    attempt(request, lambda: services.revoke_family_access(access=access, by=request.user, request=request),
            "家族アカウントの利用を停止しました。")
    return redirect("network:team", pk=patient.pk)
