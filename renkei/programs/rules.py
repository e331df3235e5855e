"""The cities' rules for their programs, as pure functions: facts and the city's rule version in, a result
with reasons out.

No database access here: the pages, the API and the annual figures all call these functions. What a
city decides (amounts, limits, facility types, qualifications, ages, fees) is not a constant of this
module but a parameters object (`RescueHelperRule`, `RestartGrantRule`, `LinkageFeeRule`,
`EndOfLifeRule`) built from a dated `programs.ProgramRule` row (`parse_rule`); every caller passes the
version in force for the city on the date concerned (`selectors.rule_in_force`).
Every rule quoted comes from the 2023 talk 「武蔵野市の福祉施策の歴史と地域包括ケアシステムの特徴
—在宅医療介護連携編—」 (笹井肇, 武蔵野地域包括ケア研究会, 2023-02-14); see docs/domain.md, "Municipal programs".

Definitions the talk leaves open, fixed here (and in docs/domain.md, "Municipal programs"):
- Age is counted in completed years on `as_of`; a person whose 65th birthday is `as_of` is 65.
  Someone born on 29 February has their birthday on 1 March in common years.
- Rescue helper weeks are 7-day windows counted from the first day of service
  (days 1–7, 8–14); the service period is days 1–14 (the first day is day 1).
- `months_since_last_care_job` is the number of whole months between the day the last job at a
  care facility ended and the hiring date (see `whole_months_between`); None means never employed
  by one. "Not employed in the 3 months before" means >= 3.
"""
import datetime
import math
from dataclasses import dataclass, field

from renkei.core.errors import AppError

# --- shared result shapes ---------------------------------------------------------------


InvalidFacts = AppError  # facts missing or contradictory; `problems` lists each one (Japanese)


@dataclass(frozen=True)
class Criterion:
    """One criterion of an assessment and why it holds or not."""

    key: str
    label: str
    met: bool
    reason: str


@dataclass(frozen=True)
class Assessment:
    """Eligible or not, with one criterion per rule; `reasons` are the criteria's reasons in order."""

    eligible: bool
    criteria: list[Criterion]
    needs_staff_decision: bool = False
    amount_yen: int = 0

    @property
    def reasons(self):
        return [c.reason for c in self.criteria]


def age_on(birth_date, as_of):
    """Completed years of age on `as_of` (the birthday itself counts)."""
    return as_of.year - birth_date.year - ((as_of.month, as_of.day) < (birth_date.month, birth_date.day))


# --- the programs and their parameters (one version of one city's rules) ------------------------

PROGRAMS = {
    "rescue_helper": "高齢者等緊急訪問介護（レスキューヘルパー）",
    "restart_grant": "介護職・看護職Reスタート支援金",
    "linkage_fee": "訪問看護と介護の連携強化事業（連携費）",
    "end_of_life": "エンディング（終活）支援事業",
}

HOUSEHOLDS = {
    "alone": "ひとり暮らし",
    "elderly_only": "高齢者のみの世帯",
    "with_under_65": "65歳未満の同居家族がいる世帯",
}
CAUSES = {
    "own_sudden_illness": "本人の急病",
    "own_injury": "本人のけが",
    "covid_home_recovery": "新型コロナウイルス感染症の自宅療養",
    "carer_infected": "家族介護者の感染による介護者不在",
    "other": "その他",
}


@dataclass(frozen=True)
class RescueHelperRule:
    """A city's rescue-helper rules: who may use it, how much, and the user fee."""

    min_age: int
    max_minutes_per_week: int
    max_days: int
    unit_minutes: int
    fee_per_unit_yen: int
    eligible_causes: tuple[str, ...]


@dataclass(frozen=True)
class RestartGrantRule:
    """A city's restart-grant rules: the first hiring date, the conditions, the amounts and the lists."""

    earliest_hire: datetime.date
    min_expected_months: int
    min_months_away: int
    amount_qualified_yen: int
    amount_unqualified_yen: int
    care_facility_types: tuple[str, ...]
    disability_facility_types: tuple[str, ...]
    # qualification → the one facility type it is limited to (None = any listed type)
    qualifications: dict[str, str | None]

    @property
    def facility_types(self):
        return list(self.care_facility_types) + list(self.disability_facility_types)


@dataclass(frozen=True)
class LinkageFeeRule:
    """A city's linkage fee per patient and month."""

    fee_24h_yen: int
    fee_standard_yen: int


@dataclass(frozen=True)
class EndOfLifeRule:
    """End-of-life support has no amounts: a version in force means the city runs the program."""


def _int(data, key, problems, *, minimum=0):
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problems.append(f"「{key}」は{minimum}以上の整数で入力してください。")
        return minimum
    return value


def _names(data, key, problems, *, allowed=None, required=True):
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"「{key}」は文字列の一覧で入力してください。")
        return ()
    if required and not value:
        problems.append(f"「{key}」を1つ以上入力してください。")
    if len(set(value)) != len(value):
        problems.append(f"「{key}」に同じ項目が重複しています。")
    for v in value:
        if allowed is not None and v not in allowed:
            problems.append(f"「{key}」の「{v}」は不明です（{', '.join(allowed)} のいずれか）。")
    return tuple(v.strip() for v in value)


PARAMETER_KEYS = {
    "rescue_helper": ["min_age", "max_minutes_per_week", "max_days", "unit_minutes", "fee_per_unit_yen",
                      "eligible_causes"],
    "restart_grant": ["earliest_hire", "min_expected_months", "min_months_away", "amount_qualified_yen",
                      "amount_unqualified_yen", "care_facility_types", "disability_facility_types", "qualifications"],
    "linkage_fee": ["fee_24h_yen", "fee_standard_yen"],
    "end_of_life": [],
}


def parse_rule(program, data):
    """The parameters object of `program` from a version's JSON; InvalidFacts lists every problem."""
    if program not in PROGRAMS:
        raise InvalidFacts([f"事業「{program}」は不明です（{', '.join(PROGRAMS)} のいずれか）。"])
    if not isinstance(data, dict):
        raise InvalidFacts(["規程のパラメータは JSON のオブジェクト（{...}）で入力してください。"])
    problems = []
    keys = PARAMETER_KEYS[program]
    problems += [f"「{k}」は{PROGRAMS[program]}の規程の項目ではありません。" for k in data if k not in keys]
    problems += [f"「{k}」がありません。" for k in keys if k not in data]
    if problems:
        raise InvalidFacts(problems)
    if program == "rescue_helper":
        rule = RescueHelperRule(
            min_age=_int(data, "min_age", problems), max_minutes_per_week=_int(data, "max_minutes_per_week", problems,
                                                                                minimum=1),
            max_days=_int(data, "max_days", problems, minimum=1), unit_minutes=_int(data, "unit_minutes", problems,
                                                                                    minimum=1),
            fee_per_unit_yen=_int(data, "fee_per_unit_yen", problems),
            eligible_causes=_names(data, "eligible_causes", problems, allowed=list(CAUSES)),
        )
    elif program == "restart_grant":
        try:
            earliest = datetime.date.fromisoformat(str(data.get("earliest_hire")))
        except ValueError:
            problems.append("「earliest_hire」は YYYY-MM-DD の日付で入力してください。")
            earliest = datetime.date.min
        care = _names(data, "care_facility_types", problems, required=False)
        disability = _names(data, "disability_facility_types", problems, required=False)
        if not care and not disability:
            problems.append("対象の施設等の種別を1つ以上入力してください。")
        if set(care) & set(disability):
            problems.append("同じ種別が介護と障害の両方にあります。")
        quals = data.get("qualifications")
        if not isinstance(quals, dict) or not all(isinstance(q, str) and q.strip() for q in quals):
            problems.append("「qualifications」は {資格: 限定する種別または null} の形で入力してください。")
            quals = {}
        for q, only in quals.items():
            if only is not None and only not in care + disability:
                problems.append(f"資格「{q}」を限定する種別「{only}」は対象の種別にありません。")
        rule = RestartGrantRule(
            earliest_hire=earliest, min_expected_months=_int(data, "min_expected_months", problems),
            min_months_away=_int(data, "min_months_away", problems),
            amount_qualified_yen=_int(data, "amount_qualified_yen", problems),
            amount_unqualified_yen=_int(data, "amount_unqualified_yen", problems),
            care_facility_types=care, disability_facility_types=disability, qualifications=dict(quals),
        )
    elif program == "linkage_fee":
        rule = LinkageFeeRule(fee_24h_yen=_int(data, "fee_24h_yen", problems),
                              fee_standard_yen=_int(data, "fee_standard_yen", problems))
    else:
        rule = EndOfLifeRule()
    if problems:
        raise InvalidFacts(problems)
    return rule


def _period(days):
    """'2週間' for 14 days, '10日間' for 10: how the talk words the service period."""
    return f"{days // 7}週間" if days % 7 == 0 else f"{days}日間"


def _duration(minutes):
    """'4時間' for 240 minutes, '90分' for 90."""
    return f"{minutes // 60}時間" if minutes % 60 == 0 else f"{minutes}分"


def _japanese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _causes_text(causes):
    """The eligible causes in the talk's words: '本人の急病・けが、自宅療養、家族介護者の感染'."""
    parts = []
    own = [c for c in ("own_sudden_illness", "own_injury") if c in causes]
    if len(own) == 2:
        parts.append("本人の急病・けが")
    elif own:
        parts.append(CAUSES[own[0]])
    short = {"covid_home_recovery": "自宅療養", "carer_infected": "家族介護者の感染", "other": "その他の理由"}
    parts += [short[c] for c in short if c in causes]
    return "、".join(parts)


# --- 高齢者等緊急訪問介護（レスキューヘルパー） ------------------------------------------------


@dataclass(frozen=True)
class RescueHelperFacts:
    """What an application says; the two *_override_reason fields are staff decisions (blank = none)."""

    birth_date: datetime.date
    as_of: datetime.date
    household: str
    under_65_member_can_help: bool | None  # needed only for with_under_65
    cause: str
    ltc_certified: bool
    uses_ltc_services: bool
    hours_per_week: float
    days: int
    age_override_reason: str = ""
    household_override_reason: str = ""


def _rescue_problems(f):
    problems = []
    if f.birth_date > f.as_of:
        problems.append("生年月日が判定日より後になっています。")
    if f.household not in HOUSEHOLDS:
        problems.append(f"世帯の区分「{f.household}」は不明です（alone, elderly_only, with_under_65 のいずれか）。")
    if f.household == "with_under_65" and f.under_65_member_can_help is None:
        problems.append("65歳未満の同居家族が支援できるかどうか（under_65_member_can_help）を入力してください。")
    if f.cause not in CAUSES:
        problems.append(f"支援が必要な理由「{f.cause}」は不明です。")
    if f.hours_per_week is None or not math.isfinite(f.hours_per_week) or f.hours_per_week < 0:
        problems.append("1週あたりの利用時間は0以上の数で入力してください。")
    if f.days is None or f.days < 0:
        problems.append("利用日数は0以上の整数で入力してください。")
    return problems


def assess_rescue_helper(f: RescueHelperFacts, rule: RescueHelperRule) -> Assessment:
    """Criteria ①–③, the long-term-care exclusion and the service limits of the city's rule; all must hold."""
    problems = _rescue_problems(f)
    if problems:
        raise InvalidFacts(problems)
    criteria = []
    needs_staff = False

    age = age_on(f.birth_date, f.as_of)
    if age >= rule.min_age:
        criteria.append(Criterion("age", "年齢", True, f"{age}歳で、おおむね{rule.min_age}歳以上に該当します。"))
    elif f.age_override_reason.strip():
        criteria.append(Criterion(
            "age", "年齢", True,
            f"{age}歳（{rule.min_age}歳未満）ですが、市職員の判断により対象とします（理由: {f.age_override_reason.strip()}）。",
        ))
    else:
        criteria.append(Criterion(
            "age", "年齢", False,
            f"{age}歳で{rule.min_age}歳未満のため対象外です（市職員が理由を記録して認める場合を除く）。"
        ))

    if f.household in ("alone", "elderly_only"):
        criteria.append(Criterion("household", "世帯", True, f"{HOUSEHOLDS[f.household]}に該当します。"))
    elif f.under_65_member_can_help:
        criteria.append(Criterion(
            "household", "世帯", False, "65歳未満の同居家族が支援できるため、ひとり暮らし・高齢者のみの世帯に該当しません。"
        ))
    elif f.household_override_reason.strip():
        criteria.append(Criterion(
            "household", "世帯", True,
            "65歳未満の同居家族が支援できない事情があり、市職員の判断により対象とします"
            f"（理由: {f.household_override_reason.strip()}）。",
        ))
    else:
        needs_staff = True
        criteria.append(Criterion(
            "household", "世帯", False,
            "65歳未満の同居家族が支援できない事情（障害など）が記録されています。対象とするかは市職員の判断が必要です。",
        ))

    if f.cause in rule.eligible_causes:
        criteria.append(Criterion("cause", "理由", True, f"{CAUSES[f.cause]}により一時的に支援が必要です。"))
    else:
        criteria.append(Criterion(
            "cause", "理由", False, f"{_causes_text(rule.eligible_causes)}のいずれにも当たらないため対象外です。"
        ))

    if f.ltc_certified or f.uses_ltc_services:
        which = "要介護・要支援の認定を受けている" if f.ltc_certified else "介護保険サービスを利用している"
        criteria.append(Criterion("ltc", "介護保険", False, f"{which}ため対象外です（介護保険サービスをご利用ください）。"))
    else:
        criteria.append(Criterion("ltc", "介護保険", True, "介護保険の認定・サービス利用はありません。"))

    max_hours = rule.max_minutes_per_week / 60
    limit = _duration(rule.max_minutes_per_week)
    if f.hours_per_week <= max_hours:
        criteria.append(Criterion("hours", "利用時間", True, f"1週あたり{f.hours_per_week:g}時間で、{limit}以内です。"))
    else:
        criteria.append(Criterion("hours", "利用時間", False,
                                  f"1週あたり{f.hours_per_week:g}時間で、上限の{limit}を超えます。"))

    period = f"初日から{_period(rule.max_days)}（{rule.max_days}日）"
    if f.days <= rule.max_days:
        criteria.append(Criterion("days", "利用期間", True, f"{f.days}日間で、{period}以内です。"))
    else:
        criteria.append(Criterion("days", "利用期間", False, f"{f.days}日間で、{period}を超えます。"))

    return Assessment(eligible=all(c.met for c in criteria), criteria=criteria, needs_staff_decision=needs_staff)


def rescue_visit_units(minutes: int, rule: RescueHelperRule) -> int:
    """Started units (30 minutes in Musashino) of one visit (the basis of fees and provider payments)."""
    return math.ceil(minutes / rule.unit_minutes)


def rescue_visit_fee(minutes: int, rule: RescueHelperRule) -> int:
    """User fee of one visit: the fee per started unit (Musashino: 250 yen per started 30 minutes)."""
    if minutes <= 0:
        raise InvalidFacts(["訪問時間は1分以上で入力してください。"])
    return rescue_visit_units(minutes, rule) * rule.fee_per_unit_yen


@dataclass(frozen=True)
class Visit:
    visited_on: datetime.date
    minutes: int


def rescue_week_index(first_day, day):
    """0 for days 1–7 of service, 1 for days 8–14, ... (7-day windows from the first day)."""
    return (day - first_day).days // 7


def rescue_weeks(rule: RescueHelperRule) -> int:
    """How many 7-day windows the service period spans (2 for 14 days)."""
    return math.ceil(rule.max_days / 7)


def rescue_last_day(first_day, rule: RescueHelperRule):
    return first_day + datetime.timedelta(days=rule.max_days - 1)


def check_rescue_visit(*, first_day: datetime.date, existing: list[Visit], new: Visit,
                       rule: RescueHelperRule) -> list[str]:
    """Reasons a new visit would break a service limit (empty list = it may be recorded)."""
    if new.minutes <= 0:
        return ["訪問時間は1分以上で入力してください。"]
    reasons = []
    last_day = rescue_last_day(first_day, rule)
    if new.visited_on < first_day:
        reasons.append(f"利用開始日（{first_day.isoformat()}）より前の訪問は記録できません。")
    elif new.visited_on > last_day:
        day_no = (new.visited_on - first_day).days + 1
        reasons.append(
            f"初日から{day_no}日目の訪問です。利用は初日から{_period(rule.max_days)}（{last_day.isoformat()}まで）に限られます。"
        )
    else:
        week = rescue_week_index(first_day, new.visited_on)
        used = sum(v.minutes for v in existing if rescue_week_index(first_day, v.visited_on) == week
                   and first_day <= v.visited_on <= last_day)
        if used + new.minutes > rule.max_minutes_per_week:
            start = first_day + datetime.timedelta(days=7 * week)
            end = min(start + datetime.timedelta(days=6), last_day)
            reasons.append(
                f"第{week + 1}週（{start.isoformat()}〜{end.isoformat()}）は既に{used}分利用しており、"
                f"この{new.minutes}分を加えると1週あたり{_duration(rule.max_minutes_per_week)}"
                f"（{rule.max_minutes_per_week}分）を超えます。"
            )
    return reasons


# --- 介護職・看護職Reスタート支援金 -----------------------------------------------------------


def normalize_qualification(name):
    """'保育士（障害児通所のみ）' as printed in the talk → '保育士'."""
    name = (name or "").strip()
    for opening, closing in (("（", "）"), ("(", ")")):
        if name.endswith(f"のみ{closing}") and opening in name:
            name = name[: name.rindex(opening)]
    return name


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start` to `end`: 2020-01-15 → 2020-04-14 is 2, → 2020-04-15 is 3.

    A month is complete when `end` reaches the same day of the month as `start`, or that month's
    last day when the day does not exist (2020-01-31 → 2020-04-30 is 3).
    """
    if end < start:
        raise InvalidFacts(["前職の離職日が就職日より後になっています。"])
    months = (end.year - start.year) * 12 + (end.month - start.month)
    last_day = month_end(datetime.date(end.year, end.month, 1)).day
    if months > 0 and end.day < min(start.day, last_day):
        months -= 1
    return months


@dataclass(frozen=True)
class RestartGrantFacts:
    hired_on: datetime.date
    facility_type: str
    facility_in_city: bool
    full_time: bool
    direct_employment: bool
    expected_months: int
    months_since_last_care_job: int | None
    qualifications: list[str] = field(default_factory=list)
    birth_date: datetime.date | None = None


def assess_restart_grant(f: RestartGrantFacts, rule: RestartGrantRule) -> Assessment:
    """All six conditions of the city's rule; the qualified amount with a listed qualification, else the other."""
    problems = []
    if f.birth_date is not None and f.hired_on <= f.birth_date:
        problems.append("就職日が生年月日より前になっています。")
    if f.facility_type not in rule.facility_types:
        problems.append(f"施設等の種別「{f.facility_type}」は対象一覧にありません。")
    if f.expected_months is None or f.expected_months < 0:
        problems.append("見込み勤務期間（月数）は0以上の整数で入力してください。")
    if f.months_since_last_care_job is not None and f.months_since_last_care_job < 0:
        problems.append("前職（介護施設等）の離職からの月数は0以上で入力してください（在籍歴がなければ空欄）。")
    unknown = [q for q in f.qualifications if normalize_qualification(q) not in rule.qualifications]
    for q in unknown:
        problems.append(f"資格「{q}」は対象の資格一覧にありません。")
    if problems:
        raise InvalidFacts(problems)

    criteria = []
    earliest = _japanese_date(rule.earliest_hire)
    if f.hired_on >= rule.earliest_hire:
        criteria.append(Criterion("hired_on", "就職日", True, f"{f.hired_on.isoformat()}の就職で、{earliest}以降です。"))
    else:
        criteria.append(Criterion("hired_on", "就職日", False, f"{f.hired_on.isoformat()}の就職で、{earliest}より前です。"))
    kind = "障害福祉サービス" if f.facility_type in rule.disability_facility_types else "介護サービス"
    if f.facility_in_city:
        criteria.append(Criterion("facility", "就職先", True, f"市内の{f.facility_type}（{kind}）で、対象の施設等です。"))
    else:
        criteria.append(Criterion("facility", "就職先", False, "就職先が市外の施設等のため対象外です。"))
    criteria.append(Criterion(
        "full_time", "常勤", f.full_time, "常勤職員です。" if f.full_time else "常勤職員ではないため対象外です。"
    ))
    need = rule.min_expected_months
    if f.expected_months >= need:
        criteria.append(Criterion("expected", "継続勤務の見込み", True,
                                  f"{f.expected_months}か月の継続勤務が見込まれ、{need}か月以上です。"))
    else:
        criteria.append(Criterion("expected", "継続勤務の見込み", False,
                                  f"見込みが{f.expected_months}か月で、{need}か月未満です。"))
    away = rule.min_months_away
    label = f"直前{away}か月の在籍"
    if f.months_since_last_care_job is None:
        criteria.append(Criterion("previous", label, True, "介護施設等への在籍歴はありません。"))
    elif f.months_since_last_care_job >= away:
        criteria.append(Criterion(
            "previous", label, True,
            f"介護施設等を離職して{f.months_since_last_care_job}か月で、就職前{away}か月以内の在籍はありません。",
        ))
    else:
        criteria.append(Criterion(
            "previous", label, False,
            f"介護施設等を離職して{f.months_since_last_care_job}か月で、就職前{away}か月以内に在籍していたため対象外です。",
        ))
    criteria.append(Criterion(
        "direct", "直接雇用", f.direct_employment,
        "運営法人に直接雇用されています。" if f.direct_employment else "運営法人の直接雇用ではない（派遣など）ため対象外です。",
    ))
    eligible = all(c.met for c in criteria)

    names = [normalize_qualification(x) for x in f.qualifications]
    counted = [q for q in names if rule.qualifications[q] in (None, f.facility_type)]
    limited = [q for q in names if rule.qualifications[q] not in (None, f.facility_type)]
    if counted:
        amount = rule.amount_qualified_yen
        text = f"対象の資格（{'・'.join(dict.fromkeys(counted))}）を有するため{amount:,}円です。"
    else:
        amount = rule.amount_unqualified_yen
        text = f"対象の資格を有しないため{amount:,}円です。"
        if limited:
            only = "・".join(dict.fromkeys(rule.qualifications[q] for q in limited))
            text = f"{'・'.join(dict.fromkeys(limited))}は{only}の場合のみ対象の資格のため、{amount:,}円です。"
    if not eligible:
        text = "要件を満たさないため支給額は0円です。"
    criteria.append(Criterion("amount", "支給額", eligible, text))
    return Assessment(eligible=eligible, criteria=criteria, amount_yen=amount if eligible else 0)


# --- 訪問看護と介護の連携強化事業（連携費） ---------------------------------------------------


@dataclass(frozen=True)
class Provision:
    """One provision of medical information by a visiting-nursing station to a care manager."""

    patient_id: str
    provided_on: datetime.date
    unified_form: bool
    twenty_four_hour: bool


@dataclass(frozen=True)
class FeeLine:
    patient_id: str
    provisions: int
    unified_form: bool
    twenty_four_hour: bool
    amount_yen: int
    reason: str


@dataclass(frozen=True)
class LinkageFeeMonth:
    month: datetime.date
    total_yen: int
    lines: list[FeeLine]


def parse_month(value):
    """'2025-04' → date(2025, 4, 1); raises InvalidFacts on anything else."""
    try:
        year, month = str(value).split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return datetime.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise InvalidFacts([f"対象月「{value}」は YYYY-MM の形式で入力してください。"])


def month_end(first):
    return datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1) - datetime.timedelta(days=1)


def calculate_linkage_fee(month: datetime.date, provisions: list[Provision], rule: LinkageFeeRule) -> LinkageFeeMonth:
    """The month's fee: per patient once, the 24-hour fee (Musashino 2,000 yen) with the add-on that month,
    else the standard fee (1,000 yen), nothing unless at least one provision that month was on the unified form."""
    problems = []
    if not provisions:
        problems.append("対象月の情報提供が1件もありません。")
    last = month_end(month)
    for i, p in enumerate(provisions, start=1):
        if not str(p.patient_id or "").strip():
            problems.append(f"{i}件目: 利用者の識別子がありません。")
        if not (month <= p.provided_on <= last):
            problems.append(f"{i}件目: 提供日 {p.provided_on.isoformat()} は対象月（{month:%Y-%m}）の日付ではありません。")
    if problems:
        raise InvalidFacts(problems)

    by_patient = {}
    for p in provisions:
        by_patient.setdefault(str(p.patient_id).strip(), []).append(p)
    lines = []
    for patient_id, ps in by_patient.items():
        form = any(p.unified_form for p in ps)
        h24 = any(p.twenty_four_hour for p in ps)
        if not form:
            amount, reason = 0, "市の統一様式による情報提供がないため、連携費は支給されません。"
        elif h24:
            amount = rule.fee_24h_yen
            reason = f"統一様式による情報提供あり・24時間体制の加算対象のため月1回{amount:,}円です。"
        else:
            amount = rule.fee_standard_yen
            reason = f"統一様式による情報提供ありのため月1回{amount:,}円です。"
        if len(ps) > 1 and form:
            reason += f"（同月{len(ps)}回の提供も1人につき月1回の支給です）"
        lines.append(FeeLine(patient_id, len(ps), form, h24, amount, reason))
    return LinkageFeeMonth(month=month, total_yen=sum(line.amount_yen for line in lines), lines=lines)
