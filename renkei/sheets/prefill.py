"""What Renkei already knows, written into a new admission or discharge sheet: the care team (family doctor,
dentist, pharmacy, services before the admission), the latest sheet of the other kind of the same stay, and
the current medications read from the patient's お薬手帳 (renkei.medication) into the お薬 item `medicines`.

Called by services.prefill after the previous sheet of the same kind and the patient record; reads only
through the patient the caller reached via the access rule.
"""
from django import forms
from django.utils import timezone

from renkei.core.models import FacilityKind
from renkei.medication.selectors import current_medications, sheet_text
from renkei.network.models import CareTeamMember, MemberStatus, TeamRole

from . import selectors
from .models import SheetKind
from .schemas import CONTENT_FORMS

SERVICE_ROLES = (TeamRole.VISITING_NURSE, TeamRole.HOME_HELPER, TeamRole.THERAPIST)
# Items the hospital wrote at the last discharge that the care manager passes on at the next admission.
FROM_DISCHARGE = ("adl_mobility", "adl_eating", "adl_bathing", "meal_form", "udf", "dentures", "oral_hygiene",
                  "sleeping_pills", "medicines")


def _team(patient):
    """{role: [(user, facility or None)]} of the active team (two queries)."""
    members = (CareTeamMember.objects.filter(patient=patient, status=MemberStatus.ACTIVE)
               .select_related("user").prefetch_related("user__facilities").order_by("id"))
    team = {}  # role → [(user, facility)]
    for member in members:
        facility = next(iter(member.user.facilities.all()), None)
        team.setdefault(member.role, []).append((member.user, facility))
    return team


def _who(user, facility):
    return f"{facility.name} {user.name}" if facility else user.name


def _newer(sheet, than):
    return sheet is not None and (than is None or sheet.finalised_at > than.finalised_at)


def _valid_for(kind, name, value):
    """Whether a value taken from another kind's sheet is one this kind's field accepts."""
    field = CONTENT_FORMS[kind].base_fields[name]
    if isinstance(field, forms.ChoiceField):
        values = value if isinstance(value, list) else [value]
        return all(field.valid_value(v) for v in values)
    return True


def _medicines(patient, author, *, written):
    """The お薬 item from the medication list, when it has current medications dispensed on or after the day
    the sheet that gave the item its text was finalised (`written`; None: no such sheet)."""
    current = current_medications(author, patient)
    if not current or (written is not None and max(m.dispensing.dispensed_on for m in current) < timezone.localtime(written).date()):
        return {}, current
    return {"medicines": sheet_text(current)}, current


def admission(patient, content, *, previous, author):
    """Admission items from the team, from a discharge sheet written after the previous admission sheet, and
    the medications read from the お薬手帳 since."""
    team = _team(patient)
    known = {}
    if team.get(TeamRole.PHYSICIAN):
        user, facility = team[TeamRole.PHYSICIAN][0]
        known |= {"family_doctor": _who(user, facility)}
        if facility and facility.phone:
            known |= {"family_doctor_phone": facility.phone}
    if team.get(TeamRole.DENTIST):
        known |= {"dentist": _who(*team[TeamRole.DENTIST][0])}
    if team.get(TeamRole.PHARMACIST):
        user, facility = team[TeamRole.PHARMACIST][0]
        known |= {"pharmacy": facility.name if facility else user.name}
    services = [f"{role.label}（{facility.name if facility else user.name}）"
                for role in SERVICE_ROLES for user, facility in team.get(role, [])]
    if services and not content.get("services_before"):
        known |= {"services_before": "、".join(services)}
    discharge = selectors.previous_sheet(patient, SheetKind.DISCHARGE)
    if _newer(discharge, previous):
        known |= {name: discharge.content[name] for name in FROM_DISCHARGE
                  if discharge.content.get(name) and _valid_for(SheetKind.ADMISSION, name, discharge.content[name])}
    written = discharge if known.get("medicines") else previous
    medicines, current = _medicines(patient, author, written=written.finalised_at if written else None)
    known |= medicines
    if current and "pharmacy" not in known and not content.get("pharmacy"):
        known |= {"pharmacy": current[0].dispensing.pharmacy_name}
    return content | known


def discharge(patient, content, *, previous, author, facility):
    """Discharge items: the stay from the admission sheet written since the previous discharge sheet, the
    hospital and writer when a hospital's staff writes it, the follow-up doctor from the team, and the
    medications read from the お薬手帳 (the list before the stay, for the hospital to correct)."""
    known = {}
    stay = selectors.previous_sheet(patient, SheetKind.ADMISSION)
    if _newer(stay, previous):
        known |= {name: stay.content[name] for name in ("hospital_name", "admitted_on") if stay.content.get(name)}
        if stay.content.get("family_doctor_visits"):
            known |= {"follow_up_method": stay.content["family_doctor_visits"]}
    if facility is not None and facility.kind == FacilityKind.HOSPITAL:
        known |= {"hospital_name": facility.name, "ward_contact": author.name}
    physicians = _team(patient).get(TeamRole.PHYSICIAN)
    if physicians:
        known |= {"follow_up_institution": _who(*physicians[0])}
    known |= _medicines(patient, author, written=previous.finalised_at if previous else None)[0]
    return content | known
