"""Reads of the care-team network. `patients_visible_to` is the one access rule to patient data."""
from django.db.models import Exists, OuterRef
from django.http import Http404

from .models import CareTeamMember, MemberStatus, Patient


def _is_signed_in(user):
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def active_membership(user):
    """Active care-team memberships of a user (a removed member has none from the next request on)."""
    return CareTeamMember.objects.filter(user=user, status=MemberStatus.ACTIVE)


def patients_visible_to(user):
    """Patients on whose care team the user is an ACTIVE member; nobody else sees a patient.

    Municipal staff, coordinators and superusers get no exception: they see a patient only as members.
    """
    if not _is_signed_in(user):
        return Patient.objects.none()
    member = CareTeamMember.objects.filter(patient=OuterRef("pk"), user=user, status=MemberStatus.ACTIVE)
    return Patient.objects.filter(Exists(member))


def get_visible_patient_or_404(user, patient_id):
    """The patient if the user may see it; Http404 exactly as for a missing patient otherwise."""
    try:
        patient_id = int(patient_id)
    except (TypeError, ValueError):
        raise Http404("見つかりません。")
    patient = patients_visible_to(user).filter(pk=patient_id).select_related("municipality").first()
    if patient is None:
        raise Http404("見つかりません。")
    return patient
