"""入院時情報連携シート: the items of the ministry's sample 入院時情報提供書 (care manager → hospital)."""
from .base import ADL_LEVELS, HospitalContentForm, choice, choices, clins, day, flag, line, local, text

CARE_LEVELS = ["要支援1", "要支援2", "要介護1", "要介護2", "要介護3", "要介護4", "要介護5", "申請中", "区分変更申請中", "未申請", "非該当"]
ADL_ITEMS = [("adl_mobility", "移動"), ("adl_transfer", "移乗"), ("adl_dressing", "更衣"), ("adl_rising", "起居"),
             ("adl_grooming", "整容"), ("adl_bathing", "入浴"), ("adl_eating", "食事")]
BPSD = ["幻視・幻聴", "興奮", "焦燥・不穏", "妄想", "暴力・攻撃性", "介護への抵抗", "不眠", "昼夜逆転",
        "徘徊", "危険行為", "不潔行為", "その他"]
ILLNESSES = ["悪性腫瘍", "認知症", "急性呼吸器感染症", "脳血管障害", "骨折", "その他"]
PROCEDURES = ["点滴", "酸素療法", "喀痰吸引", "気管切開", "胃ろう", "経鼻栄養", "経腸栄養", "褥瘡", "尿道カテーテル",
              "尿路ストーマ", "消化管ストーマ", "痛みコントロール", "排便コントロール", "自己注射", "その他"]


class AdmissionContent(HospitalContentForm):
    title = "入院時情報提供書（入院時情報連携シート）"
    date_field = "provided_on"
    fresh_fields = ("provided_on", "admitted_on", "hospital_name", "hospital_department")  # about this event only: not carried over from the previous sheet

    # 基本情報・提供先
    provided_on = day("情報提供日", required=True)
    admitted_on = day("入院日")
    hospital_name = line("医療機関名", required=True)
    hospital_department = line("病棟・担当者")
    office_name = line("居宅介護支援事業所名")
    care_manager_name = line("ケアマネジャー氏名")
    care_manager_phone = line("ケアマネジャー連絡先", max_length=30)
    # 住環境
    housing_type = choice("住居の種類", ["戸建て", "集合住宅"])
    housing_floor = line("居室の階・エレベーター", help_text="例：3階・エレベーターなし")
    housing_notes = text("住環境の特記事項", rows=2)
    # 要介護度・自立度
    care_level = choice("入院時の要介護度", CARE_LEVELS)
    care_level_valid_until = day("認定有効期間（終了日）")
    independence_physical = choice("障害高齢者の日常生活自立度", ["自立", "J1", "J2", "A1", "A2", "B1", "B2", "C1", "C2"])
    independence_dementia = choice("認知症高齢者の日常生活自立度", ["自立", "Ⅰ", "Ⅱa", "Ⅱb", "Ⅲa", "Ⅲb", "Ⅳ", "M"])
    copayment = choice("介護保険の自己負担割合", ["1割", "2割", "3割", "不明"])
    disability_certificates = choices("障害等の認定", ["身体", "精神", "知的"])
    # 世帯・キーパーソン
    household = choice("世帯構成", ["独居", "高齢者世帯", "子と同居", "その他"])
    main_carer = line("主介護者（氏名・続柄・同居／別居）")
    key_person = line("キーパーソン（氏名・続柄）")
    key_person_phone = line("キーパーソン連絡先", max_length=30)
    # 意向・サービス
    wishes_patient = text("本人の生活に対する意向")
    wishes_family = text("家族の生活に対する意向")
    services_before = text("入院前の介護サービスの利用状況")
    # 今後の在宅生活の展望
    outlook_requirements = text("在宅生活に必要な要件（ケアマネジャーとしての意見）")
    household_after = choice("退院後の世帯状況", ["入院前と変わらない", "変わる", "未定"])
    care_capacity = choice("介護力", ["介護力が見込める", "家族や支援者はいるが介護力は見込めない", "家族や支援者がいない"])
    abuse_suspected = flag("家族や同居者等による虐待の疑い")
    conference_wish = flag("退院前カンファレンスへの参加を希望する")
    home_visit_wish = flag("退院前訪問指導を行う場合の同行を希望する")
    # 身体・生活機能
    paralysis = choice("麻痺の状況", ["なし", "軽度", "中度", "重度"])
    pressure_ulcer = choice("褥瘡", ["なし", "あり"])
    adl_mobility = choice("移動", ADL_LEVELS)
    mobility_aids = choices("移動の用具", ["杖", "歩行器", "車いす", "その他"])
    adl_transfer = choice("移乗", ADL_LEVELS)
    adl_dressing = choice("更衣", ADL_LEVELS)
    adl_rising = choice("起居", ADL_LEVELS)
    adl_grooming = choice("整容", ADL_LEVELS)
    adl_bathing = choice("入浴", ADL_LEVELS)
    adl_eating = choice("食事", ADL_LEVELS)
    meals_per_day = line("食事回数・制限", help_text="例：1日3回・減塩")
    meal_form = choice("食事形態", ["普通", "きざみ", "嚥下障害食", "ミキサー"])
    intake_route = choice("摂取方法", ["経口", "経管栄養"])
    thickened_liquids = choice("水分とろみ", ["なし", "あり"])
    swallowing = choice("嚥下機能", ["むせない", "時々むせる", "常にむせる"])
    dentures = choice("義歯", ["なし", "部分", "総"])
    oral_hygiene = choice("口腔清潔", ["良", "不良", "著しく不良"])
    bad_breath = choice("口臭", ["なし", "あり"])
    toileting = choice("排泄", ADL_LEVELS)
    portable_toilet = choice("ポータブルトイレ", ["なし", "夜間", "常時"])
    diapers = choice("オムツ・パッド", ["なし", "夜間", "常時"])
    sleep = choice("睡眠の状態", ["良", "不良"])
    sleeping_pills = choice("眠剤の使用", ["なし", "あり"])
    smoking = choice("喫煙", ["なし", "あり"])
    drinking = choice("飲酒", ["なし", "あり"])
    vision = choice("視力", ["問題なし", "やや難あり", "困難"])
    hearing = choice("聴力", ["問題なし", "やや難あり", "困難"])
    glasses_hearing_aid = choices("眼鏡・補聴器", ["眼鏡", "補聴器"])
    communication = choice("意思疎通", ["会話に支障がない", "複雑な会話はできない", "普通に会話はできない"])
    bpsd = choices("精神面における療養上の問題（行動・心理症状）", BPSD)
    bpsd_notes = text("行動・心理症状の特記事項", rows=2)
    # 疾患・入院歴・医療処置
    illnesses = choices("疾患歴", ILLNESSES)
    illness_notes = text("疾患の詳細", rows=2)
    recent_admissions = text("最近半年間の入院（理由・期間）", rows=2)
    admission_frequency = choice("入院頻度", ["頻度は高い・繰り返している", "頻度は低いが、これまでにもある", "今回が初めて"])
    procedures = choices("入院前に実施している医療処置", PROCEDURES)
    # 薬
    medicines = text("内服薬", rows=3)
    home_medication_guidance = line("居宅療養管理指導（職種）")
    medicine_manager = choice("薬剤管理", ["自己管理", "家族が管理", "訪問看護が管理", "その他の他者が管理"])
    medicine_manager_note = line("管理者・管理方法")
    adherence = choice("服薬状況", ["処方通り服用", "時々飲み忘れ", "飲み忘れが多い・処方が守られていない", "服薬拒否"])
    medicine_notes = text("お薬に関する特記事項", rows=2)
    # かかりつけ医
    family_doctor = line("かかりつけ医療機関・医師名")
    family_doctor_visits = choice("診察方法", ["通院", "訪問診療"])
    family_doctor_frequency = line("診察頻度")
    dentist = line("かかりつけ歯科")
    pharmacy = line("かかりつけ薬局")

    sections = [
        clins("提供先（紹介先）", ["hospital_name", "hospital_department", "admitted_on"], "910"),
        clins("提供元（紹介元）", ["provided_on", "office_name", "care_manager_name", "care_manager_phone"], "920"),
        local("住環境", ["housing_type", "housing_floor", "housing_notes"], "housing"),
        local("要介護度・日常生活自立度", ["care_level", "care_level_valid_until", "independence_physical",
                                     "independence_dementia", "copayment", "disability_certificates"], "care-level"),
        local("世帯構成・キーパーソン", ["household", "main_carer", "key_person", "key_person_phone"], "household"),
        local("本人・家族の意向", ["wishes_patient", "wishes_family"], "wishes"),
        local("入院前の介護サービスの利用状況", ["services_before"], "services"),
        local("今後の在宅生活の展望", ["outlook_requirements", "household_after", "care_capacity", "abuse_suspected",
                                  "conference_wish", "home_visit_wish"], "outlook"),
        local("ADL", ["paralysis", "pressure_ulcer", "adl_mobility", "mobility_aids", "adl_transfer", "adl_dressing",
                      "adl_rising", "adl_grooming", "adl_bathing", "adl_eating"], "adl"),
        local("食事・嚥下・口腔", ["meals_per_day", "meal_form", "intake_route", "thickened_liquids", "swallowing",
                                "dentures", "oral_hygiene", "bad_breath"], "eating"),
        local("排泄・睡眠・嗜好", ["toileting", "portable_toilet", "diapers", "sleep", "sleeping_pills", "smoking",
                                "drinking"], "toileting"),
        local("コミュニケーション", ["vision", "hearing", "glasses_hearing_aid", "communication"], "communication"),
        local("行動・心理症状", ["bpsd", "bpsd_notes"], "bpsd"),
        clins("疾患歴・入院歴・医療処置", ["illnesses", "illness_notes", "recent_admissions", "admission_frequency",
                                      "procedures"], "370"),
        clins("お薬", ["medicines", "home_medication_guidance", "medicine_manager", "medicine_manager_note",
                     "adherence", "medicine_notes"], "430"),
        local("かかりつけ医", ["family_doctor", "family_doctor_visits", "family_doctor_frequency", "dentist",
                            "pharmacy"], "family-doctor"),
    ]
