"""脳卒中地域連携パス: one pathway per stroke episode; the stages follow as route answers."""
from .base import HospitalContentForm, choice, clins, day, line, local, text


class StrokeContent(HospitalContentForm):
    title = "脳卒中地域連携パス（地域連携診療計画書）"
    date_field = "onset_on"
    fresh_fields = ("onset_on", "stroke_type", "diagnosis", "paralysis", "acute_hospital", "treatment")  # about this event only: not carried over from the previous sheet

    onset_on = day("発症日", required=True)
    stroke_type = choice("病型", ["脳梗塞", "脳出血", "くも膜下出血", "その他"], required=True)
    diagnosis = line("診断名・病巣", required=True)
    paralysis = choice("麻痺", ["なし", "右片麻痺", "左片麻痺", "両側", "その他"])
    acute_hospital = line("急性期病院", required=True)
    treatment = text("急性期の主な治療", rows=2)
    risk_factors = text("危険因子・再発予防", rows=2)
    overall_goal = text("パス全体の目標", rows=2)

    sections = [
        clins("傷病名", ["onset_on", "stroke_type", "diagnosis", "paralysis"], "340"),
        clins("臨床経過", ["acute_hospital", "treatment", "risk_factors"], "330"),
        local("目標", ["overall_goal"], "goal"),
    ]
