"""退院時看護サマリー／退院・退所情報記録書 (hospital → care manager, visiting nurse), with the discharge conference.

Holds every item of the ministry's sample 退院・退所情報記録書 (様式例 of 居宅介護支援の退院・退所加算), including
its hearing log: who at the hospital told the care manager what, when, and whether at a conference — the
number of hearings and the conferences decide the level of the addition (rules.discharge_addition).
"""
import datetime

from django import forms
from django.utils import timezone

from renkei.core.wareki import format_era_date
from renkei.sheets import rules

from .base import (
    ADL_LEVELS,
    DENTURES,
    ORAL_HYGIENE,
    PROCEDURES,
    UDF_LEVELS,
    HospitalContentForm,
    choice,
    choices,
    clins,
    day,
    flag,
    line,
    local,
    text,
)

LEGACY_HOME_CARE_NEEDS = ["胃ろう・経管栄養", "ストーマ", "疼痛管理", "インスリン", "透析", "服薬管理"]  # before the ministry's list
NURSING_POINTS = ["血圧", "水分制限", "食事制限", "食形態", "嚥下", "口腔ケア", "清潔ケア", "血糖コントロール", "排泄",
                  "皮膚状態", "睡眠", "認知機能・精神面", "服薬指導", "療養上の指導（食事・水分・睡眠・清潔ケア・排泄など）",
                  "ターミナル", "その他"]
REHAB_POINTS = ["本人指導", "家族指導", "関節可動域練習（ストレッチ含む）", "筋力増強練習", "バランス練習",
                "麻痺・筋緊張改善練習", "起居／立位等基本動作練習", "摂食・嚥下訓練", "言語訓練",
                "ADL練習（歩行／入浴／トイレ動作／移乗等）", "IADL練習（買い物、調理等）", "疼痛管理（痛みコントロール）",
                "更生装具・福祉用具等管理", "運動耐容能練習", "地域活動支援", "社会参加支援", "就労支援", "その他"]
COGNITION = ["認知機能低下", "せん妄", "徘徊", "焦燥・不穏", "攻撃性", "その他"]
HEARING_ROWS = 4  # rows on the page; the paper form has three
HEARING_PARTS = (("date", "聞き取り日"), ("profession", "情報提供を受けた職種"), ("name", "氏名"),
                 ("conference", "会議（カンファレンス）への出席"))
HEARING_HEADER = ["回目", "聞き取り日", "情報提供を受けた職種（氏名）", "会議（カンファレンス）への出席"]


def _hearing_fields():
    fields = {}
    for n in range(1, HEARING_ROWS + 1):
        fields[f"hearing_{n}_date"] = day(f"{n}回目 聞き取り日")
        fields[f"hearing_{n}_profession"] = line(f"{n}回目 情報提供を受けた職種", max_length=60,
                                                 help_text="例：病棟看護師、MSW、理学療法士" if n == 1 else "")
        fields[f"hearing_{n}_name"] = line(f"{n}回目 氏名", max_length=100)
        fields[f"hearing_{n}_conference"] = flag(f"{n}回目 会議（カンファレンス）への出席")
    return fields


HearingRows = type("HearingRows", (forms.Form,), _hearing_fields())
HEARING_FIELDS = tuple(f"hearing_{n}_{part}" for n in range(1, HEARING_ROWS + 1) for part, _ in HEARING_PARTS)


def hearings_of(content):
    """The hearing log of stored content as rules.Hearing entries (entries without a valid date are skipped)."""
    found = []
    for entry in content.get("hearings") or []:
        try:
            on = datetime.date.fromisoformat(str(entry.get("date")))
        except (AttributeError, ValueError):
            continue
        found.append(rules.Hearing(on, str(entry.get("profession") or ""), bool(entry.get("conference"))))
    return found


def addition_text(content):
    """The 退院・退所加算 hint of the hearing log, in one line."""
    addition = rules.discharge_addition(hearings_of(content))
    if addition.level is None:
        return "・".join(addition.reasons)
    return f"{addition.level} {addition.units}単位（{'・'.join(addition.reasons)}）{rules.DISCHARGE_ADDITION_NOTE}"


class DischargeContent(HospitalContentForm, HearingRows):
    title = "退院時看護サマリー（退院・退所情報記録書）"
    date_field = "discharge_on"
    tick_boxes = True
    fresh_fields = ("admitted_on", "discharge_on", "course", "conference_held", "conference_on",
                    "conference_participants", "conference_decisions", "hearings")  # about this event only: not carried over from the previous sheet

    # 入院（所）概要
    hospital_name = line("入院（所）先 施設名", required=True)
    ward = line("入院（所）先 棟・室", help_text="例：4階東病棟 412号室")
    ward_contact = line("記入者（病棟・職種・氏名）")
    admitted_on = day("入院（所）日", past=True)
    discharge_on = day("退院（所）予定日", required=True)
    discharge_to = choice("退院先", ["自宅", "施設", "転院", "その他"])
    diagnoses = text("入院原因疾患（入所目的等）・診断名", required=True, rows=2)
    follow_up_institution = line("今後の医学管理（医療機関名）")
    follow_up_method = choice("今後の医学管理（方法）", ["通院", "訪問診療"])
    follow_up = text("今後の医学管理（受診・訪問診療の予定）", rows=2)
    # ① 疾患と入院（所）中の状況
    current_diseases = text("現在治療中の疾患", rows=2)
    disease_stability = choice("疾患の状況（安定性）", ["安定", "不安定"])
    disease_stability_note = line("不安定な疾患・その状況")
    course = text("入院中の経過", rows=4)
    current_state = text("現在の状態・治療", rows=3)
    mobility_means = choices("移動手段", ["自立", "杖", "歩行器", "車いす", "その他"])
    adl_mobility = choice("移動", ADL_LEVELS)
    toileting_method = choices("排泄方法", ["トイレ", "ポータブルトイレ", "おむつ", "カテーテル・パウチ"])
    adl_toileting = choice("排泄", ADL_LEVELS)
    bathing_method = choice("入浴方法", ["自立", "シャワー浴", "一般浴", "機械浴", "行わず"])
    adl_bathing = choice("入浴", ADL_LEVELS)
    adl_eating = choice("食事", ADL_LEVELS)
    meal_form = choice("食事形態", ["普通", "きざみ", "嚥下障害食", "ミキサー", "経管栄養", "その他"])
    udf = choice("UDF等の食形態区分", UDF_LEVELS)
    swallowing = choice("嚥下機能（むせ）", ["なし", "時々", "常に"])
    dentures = choice("義歯", DENTURES)
    dentures_in_use = choice("入院（所）中の義歯の使用", ["なし", "あり"])
    oral_hygiene = choice("口腔清潔", ORAL_HYGIENE)
    oral_care = choice("口腔ケア", ["自立", "一部介助", "全介助"])
    sleep = choice("睡眠", ["良好", "不良"])
    sleep_notes = line("睡眠不良の内容")
    sleeping_pills = choice("眠剤の使用", ["なし", "あり"])
    cognition = choices("認知・精神", COGNITION)
    cognition_notes = text("認知・精神の状況（せん妄・BPSD など）", rows=2)
    # ② 受け止め／意向
    patient_understanding = text("本人の受け止め（病気・障害・後遺症等）", rows=2)
    patient_wishes = text("本人の退院後の生活に関する意向", rows=2)
    family_understanding = text("家族の受け止め（病気・障害・後遺症等）", rows=2)
    family_wishes = text("家族の退院後の生活に関する意向", rows=2)
    # ③ 退院後に必要な事柄
    home_care_needs = choices("退院後に必要な医療処置", ["なし", *PROCEDURES], legacy=LEGACY_HOME_CARE_NEEDS)
    home_care_details = text("医療処置の詳細（指示・物品・頻度）", rows=3)
    nursing_points = choices("看護の視点", ["なし", *NURSING_POINTS])
    nursing_view = text("看護の視点（在宅で留意すること）", rows=3)
    rehab_points = choices("リハビリの視点", ["なし", *REHAB_POINTS])
    rehab_view = text("リハビリの視点（詳細）", rows=3)
    contraindication_any = choice("禁忌の有無", ["なし", "あり"])
    contraindications = text("禁忌事項（禁忌の内容・留意点）", rows=2)
    prognosis = text("症状・病状の予後・予測", rows=2)
    obstacles = text("退院に際しての日常生活の阻害要因（心身状況・環境等）", rows=2)
    home_requirements = text("在宅復帰のために整えなければならない要件", rows=2)
    medicines = text("退院時処方・服薬管理", rows=3)
    # 退院時カンファレンス
    conference_held = flag("退院時カンファレンスを行った")
    conference_on = day("カンファレンス開催日")
    conference_participants = text("カンファレンス参加者（所属・職種・氏名）", rows=3)
    conference_decisions = text("カンファレンスでの決定事項", rows=3)

    basics = local("属性（基本情報）", ["patient_name", "patient_kana", "patient_birth_date", "patient_sex",
                                     "patient_address", "patient_phone"], "basics")
    hearing_section = local("聞き取り記録（退院・退所加算）", HEARING_FIELDS, "hearings")
    sections = [
        clins("入院（所）概要", ["hospital_name", "ward", "ward_contact", "admitted_on", "discharge_on", "discharge_to"],
              "920"),
        clins("入院原因疾患", ["diagnoses"], "340"),
        local("今後の医学管理", ["follow_up_institution", "follow_up_method", "follow_up"], "follow-up"),
        clins("① 疾患と入院（所）中の状況", ["current_diseases", "disease_stability", "disease_stability_note", "course",
                                        "current_state"], "330"),
        local("① 移動・排泄・入浴", ["mobility_means", "adl_mobility", "toileting_method", "adl_toileting",
                                  "bathing_method", "adl_bathing"], "adl"),
        local("① 食事・嚥下・口腔・睡眠", ["adl_eating", "meal_form", "udf", "swallowing", "dentures", "dentures_in_use",
                                       "oral_hygiene", "oral_care", "sleep", "sleep_notes", "sleeping_pills"], "eating"),
        local("① 認知・精神", ["cognition", "cognition_notes"], "cognition"),
        local("② 受け止め／意向", ["patient_understanding", "patient_wishes", "family_understanding", "family_wishes"],
              "wishes"),
        local("③ 退院後に必要な事柄：医療処置", ["home_care_needs", "home_care_details"], "home-care-needs"),
        local("③ 看護の視点・リハビリの視点・禁忌事項", ["nursing_points", "nursing_view", "rehab_points", "rehab_view",
                                               "contraindication_any", "contraindications"], "viewpoints"),
        local("予後・阻害要因・在宅復帰のための要件", ["prognosis", "obstacles", "home_requirements"], "prognosis"),
        clins("退院時の投薬", ["medicines"], "430"),
        local("退院時カンファレンス記録", ["conference_held", "conference_on", "conference_participants",
                                      "conference_decisions"], "discharge-conference"),
        hearing_section,
    ]

    @classmethod
    def as_fields(cls, content):
        """The stored hearing log (a list) as the rows of the page; a log that does not fit is marked."""
        if "hearings" not in content:
            return content
        fields = {name: value for name, value in content.items() if name != "hearings"}
        entries = content.get("hearings") or []
        if not isinstance(entries, list) or len(entries) > HEARING_ROWS or not all(isinstance(e, dict) for e in entries):
            return fields | {"hearings_unreadable": "1"}
        for n, entry in enumerate(entries, start=1):
            fields |= {f"hearing_{n}_{part}": entry.get(part) for part, _ in HEARING_PARTS}
        return fields

    def clean(self):
        data = super().clean()
        if self.data.get("hearings_unreadable"):
            self.add_error(None, f"聞き取り記録は {HEARING_ROWS} 件までの、日付・職種・氏名・会議出席の組で記録してください。")
        if data.get("conference_held") and not data.get("conference_on"):
            self.add_error("conference_on", "カンファレンスを行った場合は開催日を入力してください。")
        if data.get("conference_held") and not data.get("conference_decisions"):
            self.add_error("conference_decisions", "カンファレンスでの決定事項を記録してください。")
        admitted, discharged = data.get("admitted_on"), data.get("discharge_on")
        if admitted and discharged and discharged < admitted:
            self.add_error("discharge_on", "退院日が入院日より前になっています。")
        if "なし" in (data.get("home_care_needs") or []) and len(data["home_care_needs"]) > 1:
            self.add_error("home_care_needs", "「なし」と他の医療処置を同時には選べません。")
        self._clean_hearings(data, admitted)
        return data

    def _clean_hearings(self, data, admitted):
        today = timezone.localdate()
        for n in range(1, HEARING_ROWS + 1):
            on, profession = data.get(f"hearing_{n}_date"), data.get(f"hearing_{n}_profession")
            others = profession or data.get(f"hearing_{n}_name") or data.get(f"hearing_{n}_conference")
            if not on:
                if others:
                    self.add_error(f"hearing_{n}_date", f"{n}回目の聞き取り日を入力してください。")
                continue
            if on > today:
                self.add_error(f"hearing_{n}_date", f"{n}回目の聞き取り日が未来の日付になっています。")
            elif admitted and on < admitted:
                self.add_error(f"hearing_{n}_date", f"{n}回目の聞き取り日が入院日より前になっています。")
            if not profession:
                self.add_error(f"hearing_{n}_profession", f"{n}回目の情報提供を受けた職種を入力してください。")

    def to_content(self):
        """The content with the page's hearing rows compiled into `hearings`, in date order."""
        content = super().to_content()
        rows = [{part: content.pop(f"hearing_{n}_{part}") for part, _ in HEARING_PARTS}
                for n in range(1, HEARING_ROWS + 1)]
        content["hearings"] = sorted((row for row in rows if row["date"]), key=lambda row: row["date"])
        return content

    @classmethod
    def section_rows(cls, section, content, *, paper=False):
        if section is not cls.hearing_section:
            return super().section_rows(section, content, paper=paper)
        return [("退院・退所加算の目安", addition_text(content) if content.get("hearings") else "")]

    @classmethod
    def section_table(cls, section, content):
        if section is not cls.hearing_section:
            return None
        entries = [e for e in content.get("hearings") or [] if isinstance(e, dict)]
        rows = [[f"{n}", _era(e.get("date")), f"{e.get('profession') or ''}（{e.get('name') or ''}）",
                 "有" if e.get("conference") else "無"] for n, e in enumerate(entries, start=1)]
        rows += [[f"{n}", "", "", ""] for n in range(len(rows) + 1, HEARING_ROWS + 1)]
        return HEARING_HEADER, rows


def _era(value):
    try:
        return format_era_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")
