"""Pure rules of the coordination sheets: clinical scores, routes, the dementia-team support period.

No database access here; forms, services, PDF/FHIR rendering and the API all call these.
Each score function takes the item answers and returns a `Score` (total, subtotals, reasons);
an answer outside the scale's range is refused with a Japanese reason naming the item.
"""
import datetime
import re
from dataclasses import dataclass, field

# --- Barthel Index (Mahoney & Barthel 1965): ten items, allowed points per item, total 0–100.
BARTHEL_ITEMS = [
    ("feeding", "食事", (0, 5, 10)),
    ("transfer", "車椅子からベッドへの移乗", (0, 5, 10, 15)),
    ("grooming", "整容", (0, 5)),
    ("toilet", "トイレ動作", (0, 5, 10)),
    ("bathing", "入浴", (0, 5)),
    ("mobility", "歩行（車椅子）", (0, 5, 10, 15)),
    ("stairs", "階段昇降", (0, 5, 10)),
    ("dressing", "着替え", (0, 5, 10)),
    ("bowels", "排便コントロール", (0, 5, 10)),
    ("bladder", "排尿コントロール", (0, 5, 10)),
]

# --- FIM (Functional Independence Measure): 13 motor + 5 cognitive items, each 1–7.
FIM_MOTOR_ITEMS = [
    ("eating", "食事"),
    ("grooming", "整容"),
    ("bathing", "清拭"),
    ("dressing_upper", "更衣（上半身）"),
    ("dressing_lower", "更衣（下半身）"),
    ("toileting", "トイレ動作"),
    ("bladder", "排尿管理"),
    ("bowel", "排便管理"),
    ("transfer_bed", "移乗（ベッド・椅子・車椅子）"),
    ("transfer_toilet", "移乗（トイレ）"),
    ("transfer_tub", "移乗（浴槽・シャワー）"),
    ("locomotion", "移動（歩行・車椅子）"),
    ("stairs", "階段"),
]
FIM_COGNITIVE_ITEMS = [
    ("comprehension", "理解"),
    ("expression", "表出"),
    ("social_interaction", "社会的交流"),
    ("problem_solving", "問題解決"),
    ("memory", "記憶"),
]
FIM_MIN, FIM_MAX = 1, 7

# --- Modified Rankin Scale 0–6 and NIHSS 0–42.
MRS_GRADES = [
    (0, "0 まったく症候がない"),
    (1, "1 症候はあっても明らかな障害はない"),
    (2, "2 軽度の障害"),
    (3, "3 中等度の障害"),
    (4, "4 中等度から重度の障害"),
    (5, "5 重度の障害"),
    (6, "6 死亡"),
]
NIHSS_MIN, NIHSS_MAX = 0, 42

# --- Japan Coma Scale: stored as its wording (0 = 意識清明).
JCS_GRADES = ["0（意識清明）", "Ⅰ-1", "Ⅰ-2", "Ⅰ-3", "Ⅱ-10", "Ⅱ-20", "Ⅱ-30", "Ⅲ-100", "Ⅲ-200", "Ⅲ-300"]

# --- DASC-21 (地域包括ケアシステムにおける認知症アセスメントシート, 粟田主一; dasc.jp).
# Questions A and B open the interview: asked of the informant, answered on their own four steps, not scored.
# Items 1–21 score 1–4 (total 21–84). Items 1–6 are answered by how often (まったくない…いつもそうだ), items 7–21
# by what the person can do (問題なくできる…まったくできない). The wording below is that of the published sheet as it
# is commonly reproduced by municipalities and training material; it may differ from the original in small details
# of punctuation (no copy of the original sheet was at hand), so the assessor should still use the official manual.
DASC_INTRO_SCALE = ["感じない", "少し感じる", "感じる", "とても感じる"]
DASC_INTRO = [("a", "もの忘れが多いと感じますか"),
              ("b", "1年前と比べて、もの忘れが増えたと感じますか")]
DASC_FREQUENCY_SCALE = [(1, "1 まったくない"), (2, "2 ときどきある"), (3, "3 頻繁にある"), (4, "4 いつもそうだ")]
DASC_ABILITY_SCALE = [(1, "1 問題なくできる"), (2, "2 だいたいできる"), (3, "3 あまりできない"), (4, "4 まったくできない")]
DASC_QUESTIONS = {
    1: "財布や鍵など、物を置いた場所がわからなくなることがありますか",
    2: "5分前に聞いた話を思い出せないことがありますか",
    3: "自分の生年月日がわからなくなることがありますか",
    4: "今日が何月何日かわからないときがありますか",
    5: "自分のいる場所がどこだかわからなくなることはありますか",
    6: "道に迷って家に帰ってこられなくなることはありますか",
    7: "電気やガスや水道が止まってしまったときに、自分で適切に対処できますか",
    8: "一日の計画を自分で立てることができますか",
    9: "季節や状況に合った服を自分で選ぶことができますか",
    10: "一人で買い物はできますか",
    11: "バスや電車、自家用車などを使って一人で外出できますか",
    12: "貯金の出し入れや、家賃や公共料金の支払いは一人でできますか",
    13: "電話をかけることができますか",
    14: "自分で食事の準備はできますか",
    15: "自分で、薬を決まった時間に決まった分量を飲むことはできますか",
    16: "入浴は一人でできますか",
    17: "着替えは一人でできますか",
    18: "トイレは一人でできますか",
    19: "身だしなみを整えることは一人でできますか",
    20: "食事は一人でできますか",
    21: "家のなかでの移動は一人でできますか",
}
DASC_DOMAINS = [
    ("memory", "記憶", [(1, "近時記憶"), (2, "近時記憶"), (3, "遠隔記憶")]),
    ("orientation", "見当識", [(4, "時間"), (5, "場所"), (6, "道順")]),
    ("judgement", "問題解決・判断力", [(7, "問題解決"), (8, "問題解決"), (9, "社会的判断力")]),
    ("iadl_outside", "家庭外のIADL", [(10, "買い物"), (11, "交通機関"), (12, "金銭管理")]),
    ("iadl_home", "家庭内のIADL", [(13, "電話"), (14, "食事の準備"), (15, "服薬管理")]),
    ("adl_1", "身体的ADL①", [(16, "入浴"), (17, "着替え"), (18, "排泄")]),
    ("adl_2", "身体的ADL②", [(19, "整容"), (20, "食事"), (21, "移動")]),
]
DASC_ITEM_COUNT = 21
DASC_CUTOFF = 31  # 31 points or more: dementia is suspected (screening, not a diagnosis)
DASC_MIN, DASC_MAX = 1, 4


def dasc_scale(number):
    """The answer scale of DASC-21 item `number`: how often (items 1–6) or how well (items 7–21)."""
    return DASC_FREQUENCY_SCALE if number <= 6 else DASC_ABILITY_SCALE


@dataclass(frozen=True)
class Score:
    """A computed score: its total, named subtotals, and reasons (empty when valid)."""

    total: int | None
    subtotals: dict = field(default_factory=dict)
    reasons: list = field(default_factory=list)
    note: str = ""

    @property
    def valid(self):
        return not self.reasons


def _as_int(value):
    """An integer answer, or None when missing or not a whole number (booleans are not numbers)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def barthel_index(answers: dict) -> Score:
    """Barthel Index from its ten items (keys of BARTHEL_ITEMS); every item must be answered."""
    reasons, total = [], 0
    for key, label, allowed in BARTHEL_ITEMS:
        value = _as_int(answers.get(key))
        if value is None:
            reasons.append(f"バーセルインデックス「{label}」が未入力です。")
        elif value not in allowed:
            reasons.append(f"バーセルインデックス「{label}」は {'・'.join(map(str, allowed))} 点のいずれかです（{value} 点は範囲外）。")
        else:
            total += value
    if reasons:
        return Score(None, reasons=reasons)
    return Score(total, note=_barthel_note(total))


def _barthel_note(total):
    if total == 100:
        return "自立"
    if total >= 60:
        return "部分介助"
    if total >= 40:
        return "大部分介助"
    return "全介助"


def fim(answers: dict) -> Score:
    """FIM from its 13 motor and 5 cognitive items (1–7 each): motor 13–91, cognitive 5–35, total 18–126."""
    reasons, motor, cognitive = [], 0, 0
    for items, domain in ((FIM_MOTOR_ITEMS, "motor"), (FIM_COGNITIVE_ITEMS, "cognitive")):
        for key, label in items:
            value = _as_int(answers.get(key))
            if value is None:
                reasons.append(f"FIM「{label}」が未入力です。")
            elif not FIM_MIN <= value <= FIM_MAX:
                reasons.append(f"FIM「{label}」は {FIM_MIN}〜{FIM_MAX} 点です（{value} 点は範囲外）。")
            elif domain == "motor":
                motor += value
            else:
                cognitive += value
    if reasons:
        return Score(None, reasons=reasons)
    return Score(motor + cognitive, subtotals={"motor": motor, "cognitive": cognitive})


def modified_rankin(value) -> Score:
    """The modified Rankin Scale grade, 0 (no symptoms) to 6 (dead)."""
    grade = _as_int(value)
    if grade is None:
        return Score(None, reasons=["mRS が未入力です。"])
    if not 0 <= grade <= 6:
        return Score(None, reasons=[f"mRS は 0〜6 です（{grade} は範囲外）。"])
    return Score(grade, note=dict(MRS_GRADES)[grade])


def nihss(value) -> Score:
    """The NIH Stroke Scale total, 0–42."""
    total = _as_int(value)
    if total is None:
        return Score(None, reasons=["NIHSS が未入力です。"])
    if not NIHSS_MIN <= total <= NIHSS_MAX:
        return Score(None, reasons=[f"NIHSS は {NIHSS_MIN}〜{NIHSS_MAX} 点です（{total} 点は範囲外）。"])
    return Score(total)


def _dasc_answer(answers, number):
    return _as_int(answers.get(str(number), answers.get(number)))


def dasc21(answers: dict, *, require_all=True) -> Score:
    """DASC-21 from items 1–21 (keys "1".."21" or ints, 1–4 each): total 21–84, cognition 1–9, function 10–21.

    Questions A and B are not items: they never count. With `require_all=False` (a draft) unanswered items
    are no fault, but the total is left out until all 21 are answered; an answer out of range is always refused.
    """
    reasons, subtotals, missing = [], {}, []
    for domain, label, items in DASC_DOMAINS:
        subtotal = 0
        for number, item_label in items:
            value = _dasc_answer(answers, number)
            if value is None:
                missing.append(number)
            elif not DASC_MIN <= value <= DASC_MAX:
                reasons.append(f"DASC-21 問{number}（{label}・{item_label}）は 1〜4 点です（{value} 点は範囲外）。")
            else:
                subtotal += value
        subtotals[domain] = subtotal
    if missing and require_all:
        reasons.insert(0, "DASC-21 の未回答の項目があります（" + "、".join(f"問{n}" for n in missing)
                       + "）。21項目すべてに回答してから確定してください。")
    if reasons or missing:
        return Score(None, reasons=reasons)
    total = sum(subtotals.values())
    cognition = subtotals["memory"] + subtotals["orientation"] + subtotals["judgement"]
    subtotals = subtotals | {"cognition": cognition, "function": total - cognition}
    note = "認知症の可能性あり（31点以上）" if total >= DASC_CUTOFF else "31点未満"
    return Score(total, subtotals=subtotals, note=note)


@dataclass(frozen=True)
class DomainScore:
    """One DASC-21 domain of the profile: its sum (None until all its items are answered) out of its maximum."""

    key: str
    label: str
    first: int
    last: int
    score: int | None
    maximum: int
    answered: int
    items: int


def dasc_profile(answers: dict) -> list[DomainScore]:
    """The DASC-21 profile: each domain's sum and maximum, so the assessor sees where the difficulties lie."""
    profile = []
    for key, label, items in DASC_DOMAINS:
        values = [_dasc_answer(answers, number) for number, _ in items]
        valid = [v for v in values if v is not None and DASC_MIN <= v <= DASC_MAX]
        complete = len(valid) == len(items)
        profile.append(DomainScore(key, label, items[0][0], items[-1][0], sum(valid) if complete else None,
                                   DASC_MAX * len(items), len(valid), len(items)))
    return profile


# --- Routes: the stages a pathway sheet passes through, each answered in turn.
STROKE_ROUTE = [
    ("acute", "急性期"),
    ("recovery", "回復期リハビリテーション"),
    ("maintenance", "在宅・維持期"),
    ("outcome", "急性期病院への転帰報告"),
]
DEMENTIA_ROUTE = [
    ("memory_doctor", "もの忘れ相談医"),
    ("specialist", "専門医療機関"),
    ("family_doctor", "かかりつけ医"),
]


@dataclass(frozen=True)
class RouteStep:
    """Where a route stands: the next stage to answer (None when complete)."""

    next_stage: str | None
    next_label: str
    position: int
    complete: bool


def route_step(route, answered_keys) -> RouteStep:
    """The next stage of `route` after the stages already answered, in order."""
    answered = list(answered_keys)
    expected = [key for key, _ in route[: len(answered)]]
    if answered != expected:
        raise ValueError("stages answered out of order")
    if len(answered) >= len(route):
        return RouteStep(None, "", len(answered), True)
    key, label = route[len(answered)]
    return RouteStep(key, label, len(answered), False)


# --- 退院・退所加算 (居宅介護支援): which level the hearings recorded on a discharge sheet support.
@dataclass(frozen=True)
class Hearing:
    """One hearing of the hospital's (facility's) staff by the care manager, as the 退院・退所情報記録書 logs it."""

    on: datetime.date
    profession: str
    at_conference: bool


@dataclass(frozen=True)
class DischargeAddition:
    """The level the hearings support (None when none), its units per month, and why."""

    level: str | None
    units: int
    reasons: list = field(default_factory=list)


DISCHARGE_ADDITION_NOTE = "目安です。入院・入所期間中に1回、初回加算を算定する月は算定できません。"


def discharge_addition(hearings) -> DischargeAddition:
    """The 退院・退所加算 level supported by the hearings.

    Source: 令和3年度介護報酬改定 居宅介護支援費 退院・退所加算 (指定居宅サービスに要する費用の額の算定に関する
    基準 別表 ニ, 留意事項 老企第36号 第三の14):
    (Ⅰ)イ 1回・カンファレンス以外 450単位, (Ⅰ)ロ 1回・カンファレンス 600単位,
    (Ⅱ)イ 2回以上・カンファレンス以外 600単位, (Ⅱ)ロ 2回・うち1回以上カンファレンス 750単位,
    (Ⅲ) 3回以上・うち1回以上カンファレンス 900単位.
    Several hearings on the same day count once (留意事項: 同一日に複数回受けた場合でも1回として算定).
    """
    days: dict = {}
    for hearing in hearings:
        days[hearing.on] = days.get(hearing.on, False) or bool(hearing.at_conference)
    times, conferences = len(days), sum(days.values())
    if not times:
        return DischargeAddition(None, 0, ["聞き取りの記録がありません。"])
    reasons = [f"聞き取り{times}回（うちカンファレンス{conferences}回）"]
    if len(hearings) > times:
        reasons.append("同じ日の聞き取りは1回と数えます。")
    if times == 1:
        level, units = ("（Ⅰ）ロ", 600) if conferences else ("（Ⅰ）イ", 450)
    elif times == 2 or not conferences:
        level, units = ("（Ⅱ）ロ", 750) if conferences else ("（Ⅱ）イ", 600)
        if times > 2:
            reasons.append("3回以上でもカンファレンスでの聞き取りがないため（Ⅲ）にはなりません。")
    else:
        level, units = "（Ⅲ）", 900
    return DischargeAddition(f"退院・退所加算{level}", units, reasons)


# --- Dementia initial-intensive-support team: support lasts at most six months.
SUPPORT_MONTHS = 6
SUPPORT_WARNING_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class SupportPeriod:
    """The state of a dementia-team case's support period on a date."""

    ends_on: datetime.date | None
    days_left: int | None
    warning: bool
    overdue: bool
    message: str


def support_period(started_on, closed_on, today) -> SupportPeriod:
    """Support runs at most six months from its start; warn in its last 30 days, flag it when passed."""
    if started_on is None:
        return SupportPeriod(None, None, False, False, "支援はまだ開始していません。")
    ends_on = add_months(started_on, SUPPORT_MONTHS)
    if closed_on is not None:
        return SupportPeriod(ends_on, None, False, False, "支援は終了しています。")
    days_left = (ends_on - today).days
    if days_left < 0:
        return SupportPeriod(ends_on, days_left, True, True, f"支援期間（6か月）を {-days_left} 日超えています。終了の記録をしてください。")
    if days_left <= SUPPORT_WARNING_DAYS:
        return SupportPeriod(ends_on, days_left, True, False, f"支援期間の終了まであと {days_left} 日です。")
    return SupportPeriod(ends_on, days_left, False, False, f"支援期間の終了まで {days_left} 日。")


# --- Facility names as people say them -----------------------------------------------------------

CORPORATE_FORMS = (  # longest first: 医療法人社団 before 医療法人
    "地方独立行政法人", "独立行政法人", "特定非営利活動法人", "国家公務員共済組合連合会", "社会医療法人財団",
    "社会医療法人社団", "社会医療法人", "特定医療法人社団", "特定医療法人財団", "特定医療法人",
    "医療法人社団", "医療法人財団", "医療法人", "社会福祉法人", "一般社団法人", "一般財団法人",
    "公益社団法人", "公益財団法人", "学校法人", "宗教法人", "日本赤十字社", "株式会社", "有限会社", "合同会社",
)
_FICTIONAL = "（架空）"
_CORPORATE = re.compile("^(?:" + "|".join(CORPORATE_FORMS) + ")")
_SPACE = re.compile(r"[\s\u3000]+")
_CORPORATION_NAME = re.compile(r"^(.+?(?:会|学園|財団|社団))(.+)$")


def common_name(name):
    """A facility's name without its leading corporation (「医療法人社団成友会　小森病院」→「小森病院」).

    The corporate form and, when one follows, the corporation's own name are dropped: the name after
    the first space, or after the corporation's 〜会 / 〜学園 when there is no space. A name that
    would come out empty, or that has no corporate form, is returned as it is.
    """
    name = (name or "").strip()
    marker = _FICTIONAL if name.startswith(_FICTIONAL) else ""
    rest = name[len(marker):].lstrip()
    form = _CORPORATE.match(rest)
    if not form:
        return name
    after_form = rest[form.end():]
    if after_form[:1].isspace():  # 「医療法人社団　平和歯科医院」: the form alone, then the facility
        after_form = after_form.lstrip()
        parts = _SPACE.split(after_form, maxsplit=1)
        short = parts[1] if len(parts) == 2 and parts[1] else after_form
    else:
        parts = _SPACE.split(after_form, maxsplit=1)
        if len(parts) == 2 and parts[1]:
            short = parts[1]
        else:
            joined = _CORPORATION_NAME.match(after_form)
            short = joined.group(2) if joined else after_form
    short = short.strip()
    return marker + short if short else name
