"""脳卒中地域連携パス: one pathway per stroke episode; the stages follow as route answers.

The sheet holds what belongs to the episode (病型, 麻痺, 発症前 mRS, 再発予防); each stage holds its own
measures (see stages.StrokeStageForm).
"""
from django import forms

from renkei.core.fields import EMPTY_LABEL
from renkei.sheets import rules

from .base import HospitalContentForm, choice, choices, clins, day, line, local, text

RISK_FACTORS = ["高血圧", "糖尿病", "脂質異常症", "心房細動", "喫煙", "多量飲酒", "肥満", "慢性腎臓病",
                "脳卒中の既往", "その他"]
PREVENTION_DRUGS = ["抗血小板薬", "抗凝固薬", "降圧薬", "脂質異常症治療薬（スタチン等）", "糖尿病治療薬", "その他"]


class StrokeContent(HospitalContentForm):
    title = "脳卒中地域連携パス（地域連携診療計画書）"
    date_field = "onset_on"
    fresh_fields = ("onset_on", "stroke_type", "diagnosis", "paralysis", "premorbid_mrs", "acute_hospital",
                    "treatment")  # about this event only: not carried over from the previous sheet

    onset_on = day("発症日", required=True, past=True)
    stroke_type = choice("病型", ["脳梗塞", "脳出血", "くも膜下出血", "その他"], required=True)
    diagnosis = line("診断名・病巣", required=True)
    paralysis = choice("麻痺", ["なし", "右片麻痺", "左片麻痺", "両側", "その他"])
    premorbid_mrs = forms.IntegerField(
        label="発症前 mRS", required=False, help_text="発症前の生活の状態（0〜5）",
        widget=forms.Select(choices=[("", EMPTY_LABEL)] + rules.MRS_GRADES[:6]), min_value=0, max_value=5,
        error_messages={"invalid": "発症前 mRS は 0〜5 の整数です。", "min_value": "発症前 mRS は 0〜5 です。",
                        "max_value": "発症前 mRS は 0〜5 です。"})
    acute_hospital = line("急性期病院", required=True)
    treatment = text("急性期の主な治療", rows=2)
    risk_factor_items = choices("危険因子", RISK_FACTORS)
    prevention_drugs = choices("再発予防の服薬", PREVENTION_DRUGS)
    risk_factors = text("再発予防の内容・備考（危険因子の管理・服薬）", rows=2)
    overall_goal = text("パス全体の目標", rows=2)

    sections = [
        clins("傷病名", ["onset_on", "stroke_type", "diagnosis", "paralysis"], "340"),
        local("発症前の状態", ["premorbid_mrs"], "premorbid"),
        clins("臨床経過", ["acute_hospital", "treatment"], "330"),
        local("再発予防（危険因子・服薬）", ["risk_factor_items", "prevention_drugs", "risk_factors"], "prevention"),
        local("目標", ["overall_goal"], "goal"),
    ]
