"""退院時看護サマリー／退院・退所情報記録書 (hospital → care manager, visiting nurse), with the discharge conference."""
from .base import ADL_LEVELS, HospitalContentForm, choice, choices, clins, day, flag, line, local, text

HOME_CARE_NEEDS = ["点滴", "酸素療法", "喀痰吸引", "気管切開", "胃ろう・経管栄養", "褥瘡", "尿道カテーテル", "ストーマ",
                   "疼痛管理", "インスリン", "透析", "服薬管理", "その他"]


class DischargeContent(HospitalContentForm):
    title = "退院時看護サマリー（退院・退所情報記録書）"
    date_field = "discharge_on"
    fresh_fields = ("admitted_on", "discharge_on", "course", "conference_held", "conference_on",
                    "conference_participants", "conference_decisions")  # about this event only: not carried over from the previous sheet

    hospital_name = line("医療機関名", required=True)
    ward_contact = line("病棟・記入者")
    admitted_on = day("入院日")
    discharge_on = day("退院（予定）日", required=True)
    discharge_to = choice("退院先", ["自宅", "施設", "転院", "その他"])
    diagnoses = text("診断名（主病名・副病名）", required=True, rows=2)
    course = text("入院中の経過", rows=4)
    current_state = text("現在の状態・治療", rows=3)
    home_care_needs = choices("在宅で必要な医療処置", HOME_CARE_NEEDS)
    home_care_details = text("医療処置の詳細（指示・物品・頻度）", rows=3)
    nursing_view = text("看護の視点（在宅で留意すること）", rows=3)
    rehab_view = text("リハビリテーションの視点", rows=3)
    contraindications = text("禁忌事項", rows=2)
    prognosis = text("予後・症状変化の見通し", rows=2)
    obstacles = text("退院に向けた課題・阻害要因", rows=2)
    patient_understanding = text("本人の病気・障害の理解と受け止め", rows=2)
    family_understanding = text("家族の理解と受け止め", rows=2)
    adl_mobility = choice("移動", ADL_LEVELS)
    adl_eating = choice("食事", ADL_LEVELS)
    adl_toileting = choice("排泄", ADL_LEVELS)
    adl_bathing = choice("入浴", ADL_LEVELS)
    meal_form = choice("食事形態", ["普通", "きざみ", "嚥下障害食", "ミキサー", "経管栄養"])
    medicines = text("退院時処方・服薬管理", rows=3)
    follow_up = text("退院後の受診・訪問診療の予定", rows=2)
    conference_held = flag("退院時カンファレンスを行った")
    conference_on = day("カンファレンス開催日")
    conference_participants = text("カンファレンス参加者（所属・職種・氏名）", rows=3)
    conference_decisions = text("カンファレンスでの決定事項", rows=3)

    sections = [
        clins("入院・退院", ["hospital_name", "ward_contact", "admitted_on", "discharge_on", "discharge_to"], "920"),
        clins("診断名", ["diagnoses"], "340"),
        clins("入院中の経過", ["course", "current_state"], "330"),
        local("在宅で必要な医療処置", ["home_care_needs", "home_care_details"], "home-care-needs"),
        local("看護・リハビリテーションの視点", ["nursing_view", "rehab_view", "contraindications"], "viewpoints"),
        local("予後・退院に向けた課題", ["prognosis", "obstacles", "patient_understanding", "family_understanding"],
              "prognosis"),
        local("退院時のADL", ["adl_mobility", "adl_eating", "adl_toileting", "adl_bathing", "meal_form"], "adl"),
        clins("退院時の投薬", ["medicines"], "430"),
        local("退院後の医療", ["follow_up"], "follow-up"),
        local("退院時カンファレンス記録", ["conference_held", "conference_on", "conference_participants",
                                      "conference_decisions"], "discharge-conference"),
    ]

    def clean(self):
        data = super().clean()
        if data.get("conference_held") and not data.get("conference_on"):
            self.add_error("conference_on", "カンファレンスを行った場合は開催日を入力してください。")
        if data.get("conference_held") and not data.get("conference_decisions"):
            self.add_error("conference_decisions", "カンファレンスでの決定事項を記録してください。")
        admitted, discharged = data.get("admitted_on"), data.get("discharge_on")
        if admitted and discharged and discharged < admitted:
            self.add_error("discharge_on", "退院日が入院日より前になっています。")
        return data


