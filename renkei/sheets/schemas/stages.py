"""The forms of route stages (stroke pathway, dementia sheet): each stage answers in turn with its own content."""
from django import forms

from renkei.core.fields import EMPTY_LABEL
from renkei.sheets import rules

from .admission import CARE_LEVELS
from .base import (
    INDEPENDENCE_DEMENTIA,
    INDEPENDENCE_PHYSICAL,
    SectionedForm,
    choice,
    choices,
    day,
    line,
    local,
    number,
    text,
)


def _score_select(label, allowed):
    """A score item as a select of its allowed points; the rule checks the range and names the item."""
    return forms.IntegerField(label=label, required=False,
                              widget=forms.Select(choices=[("", EMPTY_LABEL)] + [(v, f"{v} 点") for v in allowed]))


class StageForm(SectionedForm):
    """Base of a stage's content form."""


def _mrs_field(label):
    """mRS as a select of its grades; the rule checks the range."""
    return forms.IntegerField(label=label, required=True, widget=forms.Select(choices=[("", EMPTY_LABEL)] + rules.MRS_GRADES),
                              error_messages={"required": "mRS を入力してください。",
                                              "invalid": "mRS は 0〜6 の整数です。"})


def _refuse(form, field, score):
    """Put a rule's reasons on the form (on `field`, or on top when None)."""
    for reason in score.reasons:
        form.add_error(field, reason)


HIGHER_BRAIN = ["なし", "失語", "失行", "失認", "半側空間無視", "注意障害", "記憶障害", "遂行機能障害",
                "社会的行動障害", "その他"]
SWALLOWING = ["問題なし", "軽度の障害（食形態の工夫で経口摂取）", "中等度の障害（一部経口）", "重度の障害（経口摂取困難）"]
NUTRITION = ["経口", "経口と経管の併用", "経管（経鼻）", "経管（胃ろう・腸ろう）", "静脈栄養"]


def _stroke_measure_fields(nihss_when, when):
    """The measures of one stage, labelled with the stage and its time (「回復期 退院時 NIHSS」)."""
    fields = {
        "nihss": forms.IntegerField(label=f"{nihss_when} NIHSS", required=False, help_text="0〜42点",
                                    error_messages={"invalid": "NIHSS は整数で入力してください。"}),
        "mrs": _mrs_field(f"{when} mRS（modified Rankin Scale）"),
        "jcs": choice(f"{when} JCS（意識レベル）", rules.JCS_GRADES),
        "higher_brain": choices(f"{when} 高次脳機能障害", HIGHER_BRAIN),
        "higher_brain_detail": line(f"{when} 高次脳機能障害の内容・程度"),
        "swallowing": choice(f"{when} 嚥下", SWALLOWING),
        "nutrition": choice(f"{when} 栄養（経口／経管）", NUTRITION),
        "care_level": choice(f"{when} 要介護度", CARE_LEVELS),
        "independence_physical": choice(f"{when} 障害高齢者の日常生活自立度", INDEPENDENCE_PHYSICAL),
        "independence_dementia": choice(f"{when} 認知症高齢者の日常生活自立度", INDEPENDENCE_DEMENTIA),
    }
    for key, label, allowed in rules.BARTHEL_ITEMS:
        fields[f"barthel_{key}"] = _score_select(f"{when} BI {label}", allowed)
    for key, label in rules.FIM_MOTOR_ITEMS:
        fields[f"fim_{key}"] = _score_select(f"{when} FIM運動 {label}", range(rules.FIM_MIN, rules.FIM_MAX + 1))
    for key, label in rules.FIM_COGNITIVE_ITEMS:
        fields[f"fim_{key}"] = _score_select(f"{when} FIM認知 {label}", range(rules.FIM_MIN, rules.FIM_MAX + 1))
    return fields


def stroke_measures(name, nihss_when, when):
    """A stage's measures as a form class; generated from the rules' item lists so form and rule cannot drift."""
    return type(name, (forms.Form,), _stroke_measure_fields(nihss_when, when))


BARTHEL_FIELDS = tuple(f"barthel_{key}" for key, _, _ in rules.BARTHEL_ITEMS)
FIM_FIELDS = tuple(f"fim_{key}" for key, _ in rules.FIM_MOTOR_ITEMS + rules.FIM_COGNITIVE_ITEMS)


class StrokeStageForm(StageForm):
    """Base of 急性期・回復期・在宅／維持期: facility, dates, the stage's own measures, goals.

    Each stage keeps its own NIHSS, mRS, JCS, BI, FIM, 高次脳機能障害, 嚥下・栄養, 要介護度 and the two
    自立度 under the same keys, labelled with the stage; a stage stored before some of them existed
    simply shows those blocks empty (and the page and PDF leave an empty block out).
    """

    date_field = "started_on"
    facility_name = line("医療機関・事業所", required=True)
    started_on = day("入院・開始日", required=True, past=True)
    ended_on = day("退院・終了日")
    goals = text("目標", required=True, rows=2)
    course = text("経過・特記事項", rows=3)
    next_destination = line("次の移行先")

    sections = [
        local("施設・期間", ["facility_name", "started_on", "ended_on"], "stage"),
        local("評価", ["nihss", "mrs", "jcs"], "measures"),
        local("高次脳機能・嚥下・栄養", ["higher_brain", "higher_brain_detail", "swallowing", "nutrition"], "function"),
        local("要介護度・日常生活自立度", ["care_level", "independence_physical", "independence_dementia"], "care-level"),
        local("バーセルインデックス（BI）", BARTHEL_FIELDS, "barthel"),
        local("FIM", FIM_FIELDS, "fim"),
        local("目標・経過", ["goals", "course", "next_destination"], "goals"),
    ]
    field_order = [name for section in sections for name in section.fields]
    requires_nihss = False

    def clean(self):
        data = super().clean()
        if self.requires_nihss and data.get("nihss") is None and "nihss" not in self.errors:
            self.add_error("nihss", "急性期では入院時の NIHSS を入力してください。")
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "終了日が開始日より前になっています。")
        if data.get("nihss") is not None:
            _refuse(self, "nihss", rules.nihss(data["nihss"]))
        if data.get("mrs") is not None:
            _refuse(self, "mrs", rules.modified_rankin(data["mrs"]))
        if "なし" in (data.get("higher_brain") or []) and len(data["higher_brain"]) > 1:
            self.add_error("higher_brain", "高次脳機能障害は「なし」と他の障害を同時に選べません。")
        barthel = {key: data.get(f"barthel_{key}") for key, _, _ in rules.BARTHEL_ITEMS}
        _refuse(self, None, rules.barthel_index(barthel))
        fim_answers = {f[4:]: data.get(f) for f in FIM_FIELDS}
        if any(v is not None for v in fim_answers.values()):  # FIM is optional, but all items or none
            _refuse(self, None, rules.fim(fim_answers))
        return data

    def scores(self):
        data = self.cleaned_data
        result = {"mrs": data.get("mrs")}
        if data.get("nihss") is not None:
            result["nihss"] = data["nihss"]
        result["barthel"] = rules.barthel_index({k: data.get(f"barthel_{k}") for k, _, _ in rules.BARTHEL_ITEMS}).total
        fim_score = rules.fim({f[4:]: data.get(f) for f in FIM_FIELDS})
        if fim_score.valid:
            result |= {"fim_motor": fim_score.subtotals["motor"], "fim_cognitive": fim_score.subtotals["cognitive"],
                       "fim_total": fim_score.total}
        return result


AcuteMeasures = stroke_measures("AcuteMeasures", "急性期 入院時", "急性期 退院・転院時")
RecoveryMeasures = stroke_measures("RecoveryMeasures", "回復期 退院時", "回復期 退院時")
MaintenanceMeasures = stroke_measures("MaintenanceMeasures", "維持期・在宅 評価時", "維持期・在宅 評価時")


class StrokeAcuteForm(StrokeStageForm, AcuteMeasures):
    """急性期: the NIHSS on admission is required; the other measures are taken on leaving the acute ward."""

    requires_nihss = True


class StrokeRecoveryForm(StrokeStageForm, RecoveryMeasures):
    """回復期リハビリテーション: the measures on discharge from the recovery ward."""


class StrokeMaintenanceForm(StrokeStageForm, MaintenanceMeasures):
    """在宅・維持期: the measures when the home or long-term-care team assesses."""


class StrokeOutcomeForm(StageForm):
    """The outcome report back to the acute hospital."""

    date_field = "reported_on"
    reported_on = day("報告日", required=True, past=True)
    reported_to = line("報告先（急性期病院）", required=True)
    outcome = choice("転帰", ["在宅生活を継続", "施設入所", "再入院", "死亡", "その他"], required=True)
    mrs = _mrs_field("mRS（報告時）")
    report = text("報告内容（生活の状況・再発予防・課題）", required=True, rows=4)

    sections = [local("転帰報告", ["reported_on", "reported_to", "outcome", "mrs", "report"], "outcome")]

    def clean(self):
        data = super().clean()
        if data.get("mrs") is not None:
            _refuse(self, "mrs", rules.modified_rankin(data["mrs"]))
        return data

    def scores(self):
        return {"mrs": self.cleaned_data.get("mrs")}


DIAGNOSES = ["アルツハイマー型認知症", "血管性認知症", "レビー小体型認知症", "前頭側頭型認知症", "軽度認知障害（MCI）",
             "その他の認知症", "認知症ではない", "診断保留"]


class MemoryDoctorForm(StageForm):
    """もの忘れ相談医: findings, simple cognitive tests, whether a specialist is needed."""

    date_field = "examined_on"
    examined_on = day("診察日", required=True, past=True)
    doctor = line("もの忘れ相談医（医療機関・氏名）", required=True)
    findings = text("所見", required=True, rows=3)
    hdsr = number("HDS-R（長谷川式）", 0, 30)
    mmse = number("MMSE", 0, 30)
    assessment = text("見立て", rows=2)
    specialist_needed = choice("専門医療機関での精査", ["必要", "不要"], required=True)
    recommendations = text("助言・推奨事項", rows=3)

    sections = [local("もの忘れ相談医", ["examined_on", "doctor", "findings", "hdsr", "mmse", "assessment",
                                       "specialist_needed", "recommendations"], "memory-doctor")]


class SpecialistForm(StageForm):
    """Specialist hospital (認知症疾患医療センター等): examinations and the diagnosis."""

    date_field = "examined_on"
    examined_on = day("受診日", required=True, past=True)
    facility = line("専門医療機関・医師", required=True)
    examinations = text("実施した検査（画像・神経心理検査など）", rows=3)
    findings = text("所見", rows=3)
    diagnosis = choice("診断", DIAGNOSES, required=True)
    diagnosis_detail = line("診断の詳細")
    treatment = text("治療方針", rows=2)
    recommendations = text("かかりつけ医・介護への推奨事項", rows=3)

    sections = [local("専門医療機関", ["examined_on", "facility", "examinations", "findings", "diagnosis",
                                     "diagnosis_detail", "treatment", "recommendations"], "specialist")]


class FamilyDoctorForm(StageForm):
    """Family doctor: takes over with a plan and an opinion for care services."""

    date_field = "answered_on"
    answered_on = day("回答日", required=True, past=True)
    doctor = line("かかりつけ医（医療機関・氏名）", required=True)
    plan = text("今後の診療方針", required=True, rows=3)
    care_opinion = text("介護サービス・家族への意見", rows=3)
    recommendations = text("推奨事項", rows=2)

    sections = [local("かかりつけ医", ["answered_on", "doctor", "plan", "care_opinion", "recommendations"],
                      "family-doctor")]


