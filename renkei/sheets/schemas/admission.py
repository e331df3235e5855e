"""入院時情報連携シート: every item of the ministry's sample 入院時情報提供書 (care manager → hospital).

The sample form is the 様式例 of 居宅介護支援の入院時情報連携加算; sections follow its numbering (1 基本情報 …
9 かかりつけ医) and choices use its tick-box wording.
"""
from .base import (
    ADL_LEVELS,
    DENTURES,
    INDEPENDENCE_DEMENTIA,
    INDEPENDENCE_PHYSICAL,
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

CARE_LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5", "申請中", "区分変更申請中", "未申請", "非該当"]
ADL_ITEMS = [("adl_mobility", "移動"), ("adl_transfer", "移乗"), ("adl_dressing", "更衣"), ("adl_rising", "起居"),
             ("adl_grooming", "整容"), ("adl_bathing", "入浴"), ("adl_eating", "食事")]
BPSD = ["幻視・幻聴", "興奮", "焦燥・不穏", "妄想", "暴力・攻撃性", "介護への抵抗", "不眠", "昼夜逆転",
        "徘徊", "危険行為", "不潔行為", "その他"]
ILLNESSES = ["悪性腫瘍", "認知症", "急性呼吸器感染症", "脳血管障害", "骨折", "その他"]
MOBILITY_AIDS = ["杖", "歩行器", "車いす", "その他"]
HOUSEHOLDS = ["独居", "高齢者世帯", "子と同居", "その他"]
ABILITY = ["問題なし", "やや難あり", "困難"]
YES_NO = ["なし", "あり"]
YES_NO_UNKNOWN = ["なし", "あり", "不明"]


class AdmissionContent(HospitalContentForm):
    title = "入院時情報提供書（入院時情報連携シート）"
    date_field = "provided_on"
    tick_boxes = True
    fresh_fields = ("provided_on", "admitted_on", "hospital_name", "hospital_department")  # about this event only: not carried over from the previous sheet

    # 提供先・提供元
    provided_on = day("情報提供日", required=True, past=True)
    admitted_on = day("入院日", past=True)
    hospital_name = line("医療機関名", required=True)
    hospital_department = line("病棟・担当者")
    office_name = line("居宅介護支援事業所名")
    care_manager_name = line("ケアマネジャー氏名")
    care_manager_phone = line("ケアマネジャー連絡先（TEL）", max_length=30)
    care_manager_fax = line("FAX", max_length=30)
    # 1 基本情報: 住環境
    housing_type = choice("住居の種類", ["戸建て", "集合住宅"])
    housing_floor = line("建物の階数・居室の階", help_text="例：3階建ての3階")
    housing_elevator = choice("エレベーター", YES_NO)
    housing_notes = text("住環境の特記事項", rows=2, help_text="可能ならば写真などを添付してください。")
    # 1 基本情報: 要介護度・自立度・負担割合・認定・年金
    care_level = choice("入院時の要介護度", CARE_LEVELS)
    care_level_valid_from = day("有効期間（開始日）")
    care_level_valid_until = day("有効期間（終了日）")
    independence_physical = choice("障害高齢者の日常生活自立度", INDEPENDENCE_PHYSICAL)
    independence_dementia = choice("認知症高齢者の日常生活自立度", INDEPENDENCE_DEMENTIA)
    independence_judged_by = choice("日常生活自立度の判断者", ["医師の判断", "ケアマネジャーの判断"])
    copayment = choice("介護保険の自己負担割合", ["1割", "2割", "3割", "不明"])
    disability_certificates = choices("障害など認定", ["なし", "身体", "精神", "知的"])
    pensions = choices("年金などの種類", ["国民年金", "厚生年金", "障害年金", "生活保護", "その他"])
    # 2 家族構成・連絡先
    household = choice("世帯構成", HOUSEHOLDS)
    daytime_alone = flag("日中独居")
    main_carer = line("主介護者（氏名・続柄・年齢・同居／別居）")
    key_person = line("キーパーソン（氏名・続柄）")
    key_person_phone = line("キーパーソン連絡先", max_length=30)
    # 3 本人／家族の意向
    hobbies = text("趣味・関心（本人の趣味・興味・関心領域など）", rows=2)
    life_history = text("生活歴", rows=3)
    wishes_patient = text("本人の意向（入院前の生活に対する意向）")
    wishes_family = text("家族の意向（入院前の生活に対する意向）")
    # 4 入院前の介護サービス
    services_before = text("入院前の介護サービスの利用状況")
    care_plan_attached = flag("居宅サービス計画書1〜3表を添付")
    # 5 今後の在宅生活の展望
    outlook_requirements = text("在宅生活に必要な要件（ケアマネジャーとしての意見）")
    household_after = choice("退院後の世帯状況", [*HOUSEHOLDS[:3], "日中独居", "その他"],
                             legacy=["入院前と変わらない", "変わる", "未定"])
    household_consideration = choice("世帯に対する配慮", ["不要", "必要"])
    household_consideration_note = line("世帯に対する配慮の内容")
    main_carer_after = line("退院後の主介護者（氏名・続柄・年齢）", help_text="2 家族構成の主介護者と同じなら「同じ」")
    care_capacity = choice("介護力", ["介護力が見込める", "家族や支援者はいるが介護力は見込めない", "家族や支援者がいない"])
    abuse_suspected = flag("家族や同居者等による虐待の疑い")
    abuse_note = line("虐待の疑いの内容")
    outlook_notes = text("今後の在宅生活の展望の特記事項", rows=2)
    # 6 カンファレンス等について
    ward_conference_wish = flag("院内の多職種カンファレンスへの参加希望")
    conference_wish = flag("退院前カンファレンスへの参加希望")
    home_visit_wish = flag("退院前訪問指導を行う場合の同行希望")
    # 7 身体・生活機能の状況
    paralysis = choice("麻痺の状況", ["なし", "軽度", "中度", "重度"])
    pressure_ulcer = choice("褥瘡の有無", YES_NO)
    adl_mobility = choice("移動", ADL_LEVELS)
    mobility_aids = choices("移動（室内）", MOBILITY_AIDS)
    mobility_outdoor = choices("移動（屋外）", MOBILITY_AIDS)
    adl_transfer = choice("移乗", ADL_LEVELS)
    adl_dressing = choice("更衣", ADL_LEVELS)
    adl_rising = choice("起居", ADL_LEVELS)
    adl_grooming = choice("整容", ADL_LEVELS)
    adl_bathing = choice("入浴", ADL_LEVELS)
    adl_eating = choice("食事", ADL_LEVELS)
    meals_per_day = line("食事回数", help_text="例：1日3回（朝7時・昼12時・夜18時）")
    meal_restriction = choice("食事制限", YES_NO_UNKNOWN)
    meal_restriction_note = line("食事制限の内容", help_text="例：減塩 6g/日")
    meal_form = choice("食事形態", ["普通", "きざみ", "嚥下障害食", "ミキサー"])
    udf = choice("UDF等の食形態区分", UDF_LEVELS)
    intake_route = choice("摂取方法", ["経口", "経管栄養"])
    thickened_liquids = choice("水分とろみ", YES_NO)
    fluid_restriction = choice("水分制限", YES_NO_UNKNOWN)
    fluid_restriction_amount = line("水分制限の量", help_text="例：1日1,000mL まで")
    swallowing = choice("嚥下機能", ["むせない", "時々むせる", "常にむせる"])
    dentures = choice("義歯", DENTURES)
    oral_hygiene = choice("口腔清潔", ORAL_HYGIENE)
    bad_breath = choice("口臭", YES_NO)
    toileting = choice("排泄", ADL_LEVELS)
    urination = choice("排尿", ADL_LEVELS)
    defecation = choice("排便", ADL_LEVELS)
    toileting_notes = line("排尿・排便の特記事項", help_text="例：夜間頻尿 3回、便秘傾向で下剤使用")
    portable_toilet = choice("ポータブルトイレ", ["なし", "夜間", "常時"])
    diapers = choice("オムツ・パッド", ["なし", "夜間", "常時"])
    sleep = choice("睡眠の状態", ["良", "不良"])
    sleep_notes = line("睡眠の状態（不良の内容）")
    sleeping_pills = choice("眠剤の使用", YES_NO)
    smoking = choice("喫煙", YES_NO)
    smoking_amount = line("喫煙量（本／日）", max_length=30)
    drinking = choice("飲酒", YES_NO)
    drinking_amount = line("飲酒量（合／日あたり）", max_length=30)
    vision = choice("視力", ABILITY)
    glasses_hearing_aid = choices("眼鏡・補聴器", ["眼鏡", "補聴器"])
    hearing = choice("聴力", ABILITY)
    language = choice("言語", ABILITY)
    communication = choice("意思疎通", ["会話に支障がない", "複雑な会話はできない", "普通に会話はできない"])
    bpsd = choices("精神面における療養上の問題（行動・心理症状）", ["なし", *BPSD])
    bpsd_notes = text("行動・心理症状の特記事項", rows=2)
    illnesses = choices("疾患歴", ["なし", *ILLNESSES])
    illness_notes = text("疾患の詳細", rows=2)
    recent_admission = choice("最近半年間での入院", YES_NO_UNKNOWN)
    recent_admissions = text("最近半年間での入院の理由・期間", rows=2)
    admission_frequency = choice("入院頻度", ["頻度は高い・繰り返している", "頻度は低いが、これまでにもある", "今回が初めて"])
    procedures = choices("入院前に実施している医療処置", ["なし", *PROCEDURES])
    procedure_notes = line("医療処置の詳細（自己注射の薬剤・その他）")
    # 8 お薬について
    medicines = text("内服薬", rows=3)
    home_medication_guidance = line("居宅療養管理指導（職種）", help_text="受けていない場合は「なし」")
    medicine_manager = choice("薬剤管理", ["自己管理", "家族が管理", "訪問看護が管理", "その他の他者が管理"])
    medicine_manager_note = line("管理者・管理方法")
    adherence = choice("服薬状況", ["処方通り服用", "時々飲み忘れ", "飲み忘れが多い・処方が守られていない", "服薬拒否"])
    medicine_notes = text("お薬に関する特記事項", rows=2)
    # 9 かかりつけ医について
    family_doctor = line("かかりつけ医療機関・医師名")
    family_doctor_phone = line("かかりつけ医の電話番号", max_length=30)
    family_doctor_visits = choice("診察方法", ["通院", "訪問診療"])
    family_doctor_frequency = line("診察頻度", help_text="例：月2回")
    dentist = line("かかりつけ歯科")
    pharmacy = line("かかりつけ薬局")

    sections = [
        clins("提供先（紹介先）", ["hospital_name", "hospital_department", "admitted_on"], "910"),
        clins("提供元（紹介元）", ["provided_on", "office_name", "care_manager_name", "care_manager_phone",
                             "care_manager_fax"], "920"),
        local("1 住環境", ["housing_type", "housing_floor", "housing_elevator", "housing_notes"], "housing"),
        local("1 要介護度・日常生活自立度・認定", ["care_level", "care_level_valid_from", "care_level_valid_until",
                                         "independence_physical", "independence_dementia", "independence_judged_by",
                                         "copayment", "disability_certificates", "pensions"], "care-level"),
        local("2 家族構成／連絡先", ["household", "daytime_alone", "main_carer", "key_person", "key_person_phone"],
              "household"),
        local("3 本人／家族の意向", ["hobbies", "life_history", "wishes_patient", "wishes_family"], "wishes"),
        local("4 入院前の介護サービスの利用状況", ["services_before", "care_plan_attached"], "services"),
        local("5 今後の在宅生活の展望", ["outlook_requirements", "household_after", "household_consideration",
                                    "household_consideration_note", "main_carer_after", "care_capacity",
                                    "abuse_suspected", "abuse_note", "outlook_notes"], "outlook"),
        local("6 カンファレンス等について", ["ward_conference_wish", "conference_wish", "home_visit_wish"],
              "conference-wishes"),
        local("7 身体・生活機能の状況：麻痺・褥瘡・ADL",
              ["paralysis", "pressure_ulcer", "adl_mobility", "mobility_aids", "mobility_outdoor", "adl_transfer",
               "adl_dressing", "adl_rising", "adl_grooming", "adl_bathing", "adl_eating"], "adl"),
        local("7 食事内容・口腔", ["meals_per_day", "meal_restriction", "meal_restriction_note", "meal_form", "udf",
                                "intake_route", "thickened_liquids", "fluid_restriction", "fluid_restriction_amount",
                                "swallowing", "dentures", "oral_hygiene", "bad_breath"], "eating"),
        local("7 排泄・睡眠・喫煙・飲酒", ["toileting", "urination", "defecation", "toileting_notes", "portable_toilet",
                                       "diapers", "sleep", "sleep_notes", "sleeping_pills", "smoking",
                                       "smoking_amount", "drinking", "drinking_amount"], "toileting"),
        local("7 コミュニケーション能力", ["vision", "glasses_hearing_aid", "hearing", "language", "communication"],
              "communication"),
        local("7 精神面における療養上の問題", ["bpsd", "bpsd_notes"], "bpsd"),
        clins("7 疾患歴・入院歴・医療処置", ["illnesses", "illness_notes", "recent_admission", "recent_admissions",
                                        "admission_frequency", "procedures", "procedure_notes"], "370"),
        clins("8 お薬について", ["medicines", "home_medication_guidance", "medicine_manager", "medicine_manager_note",
                             "adherence", "medicine_notes"], "430"),
        local("9 かかりつけ医について", ["family_doctor", "family_doctor_phone", "family_doctor_visits",
                                    "family_doctor_frequency", "dentist", "pharmacy"], "family-doctor"),
    ]

    def clean(self):
        data = super().clean()
        for name in ("bpsd", "illnesses", "procedures", "disability_certificates"):
            if "なし" in (data.get(name) or []) and len(data[name]) > 1:
                self.add_error(name, "「なし」と他の項目を同時には選べません。")
        if data.get("recent_admission") == "あり" and not data.get("recent_admissions"):
            self.add_error("recent_admissions", "最近半年間での入院が「あり」の場合は理由と期間を記入してください。")
        return data
