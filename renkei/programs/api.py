"""The three assessment endpoints of CONTRACT.md. They compute from the body only (nothing is
stored) but still need a bearer token of an approved user of any role, as every non-public call.

Each takes an optional `municipality` (the code of any city of the area: the rules are public; default
the caller's city, `access.default_municipality`) and applies that city's rule version in force on the
date concerned (`as_of`, `hired_on`, `month`). An unknown code, or a city without the program on that
date, is a 422 saying so."""
import dataclasses
import datetime
import re

from ninja import Field, Router, Schema

from renkei.core.access import area_municipalities, default_municipality
from renkei.core.apibase import invalid
from renkei.core.errors import AppError
from renkei.core.idempotency import idempotent

from . import rules
from .models import Program
from .selectors import rule_in_force

router = Router(tags=["programs"])


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
    municipality: str | None = Field(
        None, description="code of a city of the area (5 or 6 digits, e.g. 13203); default: the caller's city")


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
    municipality: str | None = Field(
        None, description="code of a city of the area (5 or 6 digits, e.g. 13203); default: the caller's city")


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
    municipality: str | None = Field(
        None, description="code of a city of the area (5 or 6 digits, e.g. 13203); default: the caller's city")


class FeeLineOut(Schema):
    # One patient's line of the fee: the fields of the rules' FeeLine, as they are.
    __annotations__ = {f.name: f.type for f in dataclasses.fields(rules.FeeLine)}


class LinkageFeeOut(Schema):
    month: str
    total_yen: int
    lines: list[FeeLineOut]


CITY_LOC = ["body", "payload", "municipality"]


def _city(request, code):
    """The city whose rules apply: the one named (any city of the area), else the caller's."""
    if code is None:
        try:
            return default_municipality(request.auth or request.user)
        except AppError as refused:
            raise invalid(*refused.problems, loc=CITY_LOC)
    code = str(code).strip()
    if not re.fullmatch(r"[0-9]{5,6}", code):
        raise invalid(f"市区町村コード「{code[:20]}」は5桁または6桁の数字で入力してください。", loc=CITY_LOC)
    for city in area_municipalities():
        if city.code == code or (len(code) == 6 and city.code == code[:5]):
            return city
    raise invalid(f"市区町村コード「{code}」は圏域の市区町村ではありません。", loc=CITY_LOC)


def _rule(request, code, program, on_date):
    """The parameters of the city's version of `program` in force on `on_date` (422 when there is none)."""
    try:
        return rule_in_force(_city(request, code), program, on_date).params
    except AppError as refused:
        raise invalid(*refused.problems, loc=CITY_LOC)


def _criteria(result):
    return [{"key": c.key, "label": c.label, "met": c.met, "reason": c.reason} for c in result.criteria]


def _assess(request, payload, program, on_date, assess, facts_type):
    """`assess(facts, rule)` on the body's facts with the city's rules of `program` in force on `on_date`."""
    facts = payload.dict()
    rule = _rule(request, facts.pop("municipality"), program, on_date)
    try:
        return assess(facts_type(**facts), rule)
    except rules.InvalidFacts as bad:
        raise invalid(*bad.problems, loc=["body", "payload"])


@router.post("/rescue-helper/assess", response={200: RescueHelperOut}, summary="Rescue-helper eligibility")
@idempotent
def assess_rescue_helper(request, payload: RescueHelperIn):
    """Criteria ①–③, the long-term-care exclusion and the service limits of the city's rules (Musashino:
    4 h a week, 14 days), in force on `as_of`.

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    result = _assess(request, payload, Program.RESCUE_HELPER, payload.as_of, rules.assess_rescue_helper,
                     rules.RescueHelperFacts)
    return {"eligible": result.eligible, "reasons": result.reasons,
            "needs_staff_decision": result.needs_staff_decision, "criteria": _criteria(result)}


@router.post("/restart-grant/assess", response={200: RestartGrantOut}, summary="Restart-grant eligibility")
@idempotent
def assess_restart_grant(request, payload: RestartGrantIn):
    """All conditions of the city's grant in force on `hired_on` and its amount (Musashino: 150,000 or
    50,000 yen; 0 when ineligible).

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    result = _assess(request, payload, Program.RESTART_GRANT, payload.hired_on, rules.assess_restart_grant,
                     rules.RestartGrantFacts)
    return {"eligible": result.eligible, "amount_yen": result.amount_yen, "reasons": result.reasons,
            "criteria": _criteria(result)}


@router.post("/linkage-fee/calculate", response={200: LinkageFeeOut}, summary="Linkage fee of a month")
@idempotent
def calculate_linkage_fee(request, payload: LinkageFeeIn):
    """Per patient once a month, the city's fees in force that month (Musashino: 2,000 yen with the 24-hour
    add-on, else 1,000 yen); 0 without the unified form.

    Needs a bearer token of an approved user (any role); computes from the body only, stores nothing.
    """
    try:
        month = rules.parse_month(payload.month)
    except rules.InvalidFacts as bad:
        raise invalid(*bad.problems, loc=["body", "payload"])
    rule = _rule(request, payload.municipality, Program.LINKAGE_FEE, month)
    try:
        provisions = [rules.Provision(**p.dict()) for p in payload.provisions]
        result = rules.calculate_linkage_fee(month, provisions, rule)
    except rules.InvalidFacts as bad:
        raise invalid(*bad.problems, loc=["body", "payload"])
    return {"month": f"{month:%Y-%m}", "total_yen": result.total_yen,
            "lines": [line.__dict__ for line in result.lines]}
