"""The three assessment endpoints of CONTRACT.md. They compute from the body only (nothing is
stored) but still need a bearer token of an approved user of any role, as every non-public call."""
import datetime

from ninja import Field, Router, Schema
from ninja.responses import Status

from renkei.core.idempotency import idempotent

from . import rules

router = Router(tags=["programs"])


class Problems(Schema):
    detail: list[str]


class CriterionOut(Schema):
    key: str
    label: str
    met: bool
    reason: str


class RescueHelperIn(Schema):
    birth_date: datetime.date
    as_of: datetime.date
    household: str = Field(description="alone | elderly_only | with_under_65")
    under_65_member_can_help: bool | None = Field(None, description="required when household is with_under_65")
    cause: str = Field(description="own_sudden_illness | own_injury | covid_home_recovery | carer_infected | other")
    ltc_certified: bool
    uses_ltc_services: bool
    hours_per_week: float
    days: int
    age_override_reason: str = Field("", description="staff: why someone under 65 is admitted")
    household_override_reason: str = Field("", description="staff: why a household with a member under 65 is admitted")


class RescueHelperOut(Schema):
    eligible: bool
    reasons: list[str]
    needs_staff_decision: bool
    criteria: list[CriterionOut]


class RestartGrantIn(Schema):
    hired_on: datetime.date
    facility_type: str = Field(description="one of the talk's facility types, in Japanese (e.g. 訪問介護)")
    facility_in_city: bool
    full_time: bool
    direct_employment: bool
    expected_months: int
    months_since_last_care_job: int | None = Field(
        description="whole months from leaving the last care-facility job to hired_on; null = never employed by one"
    )
    qualifications: list[str] = Field(default_factory=list, description="in Japanese, e.g. 介護福祉士")
    birth_date: datetime.date | None = None


class RestartGrantOut(Schema):
    eligible: bool
    amount_yen: int
    reasons: list[str]
    criteria: list[CriterionOut]


class ProvisionIn(Schema):
    patient_id: str
    provided_on: datetime.date
    unified_form: bool
    twenty_four_hour: bool


class LinkageFeeIn(Schema):
    month: str = Field(description="YYYY-MM")
    provisions: list[ProvisionIn]


class FeeLineOut(Schema):
    patient_id: str
    provisions: int
    unified_form: bool
    twenty_four_hour: bool
    amount_yen: int
    reason: str


class LinkageFeeOut(Schema):
    month: str
    total_yen: int
    lines: list[FeeLineOut]


def _criteria(result):
    return [{"key": c.key, "label": c.label, "met": c.met, "reason": c.reason} for c in result.criteria]


@router.post("/rescue-helper/assess", response={200: RescueHelperOut, 422: Problems}, summary="Rescue-helper eligibility")
@idempotent
def assess_rescue_helper(request, payload: RescueHelperIn):
    """Criteria ①–③, the long-term-care exclusion and the service limits (4 h a week, 14 days).

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    try:
        result = rules.assess_rescue_helper(rules.RescueHelperFacts(**payload.dict()))
    except rules.InvalidFacts as bad:
        return Status(422, {"detail": bad.problems})
    return {"eligible": result.eligible, "reasons": result.reasons,
            "needs_staff_decision": result.needs_staff_decision, "criteria": _criteria(result)}


@router.post("/restart-grant/assess", response={200: RestartGrantOut, 422: Problems}, summary="Restart-grant eligibility")
@idempotent
def assess_restart_grant(request, payload: RestartGrantIn):
    """All conditions of the grant and its amount (150,000 or 50,000 yen; 0 when ineligible).

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    try:
        result = rules.assess_restart_grant(rules.RestartGrantFacts(**payload.dict()))
    except rules.InvalidFacts as bad:
        return Status(422, {"detail": bad.problems})
    return {"eligible": result.eligible, "amount_yen": result.amount_yen, "reasons": result.reasons,
            "criteria": _criteria(result)}


@router.post("/linkage-fee/calculate", response={200: LinkageFeeOut, 422: Problems}, summary="Linkage fee of a month")
@idempotent
def calculate_linkage_fee(request, payload: LinkageFeeIn):
    """Per patient once a month: 2,000 yen with the 24-hour add-on, else 1,000 yen; 0 without the unified form.

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    try:
        month = rules.parse_month(payload.month)
        provisions = [rules.Provision(**p.dict()) for p in payload.provisions]
        result = rules.calculate_linkage_fee(month, provisions)
    except rules.InvalidFacts as bad:
        return Status(422, {"detail": bad.problems})
    return {"month": f"{month:%Y-%m}", "total_yen": result.total_yen,
            "lines": [line.__dict__ for line in result.lines]}
