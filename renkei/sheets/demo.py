"""Demo data of the sheets part (RENKEI_DEMO=1, after the network demo): one finalised sheet of each kind,
completed stroke and dementia routes, a back-bed use, dementia-team cases and a hospital liaison account.

Idempotent: each demo document has a fixed natural key (a fixed sheet series, a request's patient and
date, a case's patient and referral date); when it exists it is left alone, so a second run changes nothing.
"""
import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.models import (
    Facility,
    FacilityKind,
    Municipality,
    Profession,
    User,
)
from renkei.network.selectors import patients_visible_to

from . import backbed, clins_examples, conferences, dementia, received, services
from .models import (
    Attendance,
    BackBedHospital,
    BackBedRequest,
    CaseConference,
    CaseOutcome,
    ConferenceKind,
    DementiaCase,
    ReferralSource,
    Sheet,
    SheetKind,
)

DEMO_NAMESPACE = uuid.UUID("0f5d8a8e-6f0e-4c2b-9f57-7c1d2b3e4a50")
HOSPITAL_NAME = "（架空）むさしの中央病院"
LIAISON = ("liaison", "連携室 受子", "レンケイシツ ウケコ")


def _say(stdout, text):
    if stdout:
        stdout.write(text)


def _hospital():
    musashino = Municipality.objects.get(code="13203")
    hospital, _ = Facility.objects.update_or_create(
        name=HOSPITAL_NAME,
        defaults={"name_kana": "カクウ ムサシノチュウオウビョウイン", "kind": FacilityKind.HOSPITAL,
                  "municipality": musashino, "address": "東京都武蔵野市（架空の所在地）", "lat": 35.7101,
                  "lon": 139.5702, "is_fictional": True},
    )
    BackBedHospital.objects.update_or_create(
        facility=hospital, defaults={"beds": 2, "joined_on": datetime.date(2014, 4, 1), "is_active": True,
                                     "note": "デモ用の架空の医療機関"})
    return hospital


def _liaison(hospital):
    username, name, kana = LIAISON
    return demo_account(username, name, kana, Profession.HOSPITAL_LIAISON, hospital,
                        reason="デモ用アカウント（病院 医療連携室）")


def _series(patient, key):
    return uuid.uuid5(DEMO_NAMESPACE, f"{patient.pk}:{key}")


def _sheet(patient, key, kind, author, content):
    """The demo sheet of this key: created (draft → finalised) once; None when it already exists."""
    series = _series(patient, key)
    if Sheet.objects.filter(series=series).exists():
        return None
    base = services.prefill(patient=patient, kind=kind, author=author)
    sheet = services.create_sheet(patient=patient, author=author, kind=kind, content=base | content)
    Sheet.objects.filter(pk=sheet.pk).update(series=series)
    sheet.refresh_from_db()
    return services.finalise(sheet=sheet, user=author)


def _barthel(values):
    keys = ["feeding", "transfer", "grooming", "toilet", "bathing", "mobility", "stairs", "dressing", "bowels", "bladder"]
    return {f"barthel_{k}": v for k, v in zip(keys, values, strict=True)}


def _fim(motor, cognitive):
    from .rules import FIM_COGNITIVE_ITEMS, FIM_MOTOR_ITEMS

    return {f"fim_{k}": motor for k, _ in FIM_MOTOR_ITEMS} | {f"fim_{k}": cognitive for k, _ in FIM_COGNITIVE_ITEMS}


def load(stdout=None):
    """Create the sheets demo for the demo patients of the network demo."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    users = {u.username: u for u in User.objects.filter(username__in=["doctor", "nurse", "caremanager"])}
    if len(users) < 3:
        _say(stdout, "sheets demo skipped: the core demo accounts are missing")
        return
    doctor, nurse, cm = users["doctor"], users["nurse"], users["caremanager"]
    patients = list(
        patients_visible_to(cm).filter(is_fictional=True, pk__in=patients_visible_to(doctor))
        .filter(pk__in=patients_visible_to(nurse)).order_by("id")[:2]
    )
    hospital = _hospital()
    liaison = _liaison(hospital)
    if not patients:
        _say(stdout, "sheets demo: no demo patients shared by doctor, nurse and caremanager; only the liaison account")
        return
    first, second = patients[0], patients[-1]
    today = timezone.localdate()
    _sheets_of_first(first, doctor, nurse, cm, hospital, liaison, today)
    _routes(second, doctor, cm, hospital, liaison, today)
    _back_bed(first, doctor, hospital, liaison, today)
    _received_summary(first, liaison, today)
    _dementia_cases(second, doctor, cm, today)
    _say(stdout, f"sheets demo: sheets of each kind for {first} / {second}; liaison account 'liaison' at {hospital}")


def _sheets_of_first(patient, doctor, nurse, cm, hospital, liaison, today):
    admission = _sheet(patient, "admission", SheetKind.ADMISSION, cm, {
        "provided_on": (today - datetime.timedelta(days=30)).isoformat(),
        "admitted_on": (today - datetime.timedelta(days=31)).isoformat(),
        "hospital_name": HOSPITAL_NAME, "hospital_department": "4階東病棟", "housing_type": "集合住宅",
        "housing_floor": "3階・エレベーターあり", "independence_physical": "A2", "independence_dementia": "Ⅱa",
        "copayment": "1割", "household": "独居", "care_capacity": "家族や支援者はいるが介護力は見込めない",
        "wishes_patient": "早く家に帰って、好きな園芸を続けたい。", "wishes_family": "自宅での生活を続けさせたいが、夜間が心配。",
        "services_before": "訪問介護 週3回、通所介護 週2回、訪問看護 週1回", "conference_wish": True,
        "outlook_requirements": "夜間の排泄の見守り体制と服薬管理が整えば在宅復帰が可能。",
        "paralysis": "なし", "pressure_ulcer": "なし", "adl_mobility": "見守り", "mobility_aids": ["杖"],
        "adl_transfer": "自立", "adl_dressing": "一部介助", "adl_rising": "自立", "adl_grooming": "自立",
        "adl_bathing": "一部介助", "adl_eating": "自立", "meal_form": "普通", "intake_route": "経口",
        "swallowing": "時々むせる", "dentures": "部分", "oral_hygiene": "良", "toileting": "見守り",
        "diapers": "夜間", "sleep": "良", "communication": "会話に支障がない", "vision": "問題なし", "hearing": "やや難あり",
        "illnesses": ["認知症"], "illness_notes": "高血圧症、軽度のアルツハイマー型認知症", "admission_frequency": "今回が初めて",
        "medicines": "アムロジピン錠5mg 1日1回 朝食後\nドネペジル塩酸塩錠5mg 1日1回 朝食後",
        "medicine_manager": "訪問看護が管理", "adherence": "時々飲み忘れ", "family_doctor": "（架空）みどりの森在宅クリニック 往診 一郎",
        "family_doctor_visits": "訪問診療", "family_doctor_frequency": "月2回",
        "care_manager_fax": "0422-00-0001", "housing_elevator": "あり", "independence_judged_by": "医師の判断",
        "disability_certificates": ["なし"], "pensions": ["厚生年金"], "main_carer": "（架空）長男 52歳（別居・車で20分）",
        "hobbies": "園芸（ベランダのプランター）、ラジオの落語", "daytime_alone": True,
        "life_history": "武蔵野市で生まれ育つ。小学校教諭として定年まで勤め、夫を10年前に亡くしてから独居。",
        "care_plan_attached": True, "household_after": "独居", "household_consideration": "必要",
        "household_consideration_note": "夜間の見守り（長男が週末に泊まる）", "main_carer_after": "入院前と同じ（長男）",
        "ward_conference_wish": True, "home_visit_wish": True, "mobility_outdoor": ["杖", "車いす"],
        "meals_per_day": "1日3回（朝7時・昼12時・夜18時）", "meal_restriction": "あり", "meal_restriction_note": "減塩 6g/日",
        "udf": "区分1 容易にかめる", "thickened_liquids": "なし", "fluid_restriction": "なし", "bad_breath": "なし",
        "urination": "見守り", "defecation": "自立", "toileting_notes": "夜間トイレ 2回", "portable_toilet": "なし",
        "sleeping_pills": "なし", "smoking": "なし", "drinking": "なし", "glasses_hearing_aid": ["眼鏡"],
        "language": "問題なし", "bpsd": ["なし"], "recent_admission": "なし", "procedures": ["なし"],
        "home_medication_guidance": "薬剤師（月2回）", "family_doctor_phone": "0422-00-0002",
    })
    if admission:
        services.send(sheet=admission, user=cm, facility=hospital)
        services.confirm_receipt(sheet=admission, user=liaison)
    discharge = _sheet(patient, "discharge", SheetKind.DISCHARGE, cm, {
        "hospital_name": HOSPITAL_NAME, "ward_contact": "4階東病棟 退院支援看護師",
        "admitted_on": (today - datetime.timedelta(days=31)).isoformat(),
        "discharge_on": (today - datetime.timedelta(days=10)).isoformat(), "discharge_to": "自宅",
        "diagnoses": "誤嚥性肺炎（主病名）、高血圧症、アルツハイマー型認知症",
        "course": "抗菌薬の点滴で肺炎は改善。嚥下評価の結果、とろみ付きの食事で経口摂取を継続。",
        "home_care_needs": ["なし"], "nursing_view": "食事時の姿勢とむせの観察をお願いします。",
        "rehab_view": "屋内は杖で見守り歩行。転倒に注意。", "prognosis": "再度の誤嚥のおそれあり。",
        "patient_understanding": "退院をとても楽しみにしている。", "adl_mobility": "見守り", "adl_eating": "自立",
        "meal_form": "きざみ", "ward": "4階東病棟 412号室", "follow_up_method": "訪問診療",
        "follow_up": "退院3日後に訪問診療（以後 月2回）",
        "current_diseases": "①誤嚥性肺炎（治療終了） ②高血圧症 ③アルツハイマー型認知症", "disease_stability": "安定",
        "mobility_means": ["杖"], "toileting_method": ["トイレ", "ポータブルトイレ"], "adl_toileting": "見守り",
        "bathing_method": "シャワー浴", "adl_bathing": "一部介助", "udf": "区分2 歯ぐきでつぶせる", "swallowing": "時々",
        "dentures": "部分", "dentures_in_use": "あり", "oral_hygiene": "良", "oral_care": "一部介助", "sleep": "良好",
        "sleeping_pills": "なし", "cognition": ["認知機能低下", "せん妄"],
        "cognition_notes": "入院3日目の夜間にせん妄あり。現在は消失。",
        "patient_wishes": "家で猫と暮らしたい。園芸を再開したい。",
        "family_understanding": "長男：誤嚥を繰り返すことを心配している。",
        "family_wishes": "長男：自宅に戻す。週末は泊まって様子を見る。",
        "nursing_points": ["嚥下", "口腔ケア", "服薬指導"],
        "rehab_points": ["バランス練習", "ADL練習（歩行／入浴／トイレ動作／移乗等）"], "contraindication_any": "なし",
        "obstacles": "夜間の排泄時の転倒リスク、服薬の飲み忘れ。",
        "home_requirements": "ポータブルトイレと介護ベッドの導入、お薬カレンダーと訪問看護による服薬確認。",
        "hearings": [
            {"date": (today - datetime.timedelta(days=14)).isoformat(), "profession": "退院支援看護師",
             "name": "（架空）病棟 看護美", "conference": True},
            {"date": (today - datetime.timedelta(days=12)).isoformat(), "profession": "医療ソーシャルワーカー",
             "name": "（架空）相談 員子", "conference": False},
        ],
        "conference_held": True,
        "conference_on": (today - datetime.timedelta(days=14)).isoformat(),
        "conference_participants": "病棟看護師、MSW、主治医（在宅）、訪問看護、ケアマネジャー、長男",
        "conference_decisions": "訪問看護を週2回に増やす。夜間はポータブルトイレを使用。",
    })
    _discharge_conference(patient, doctor, nurse, cm, admission, today)
    if discharge:
        services.send(sheet=discharge, user=cm, addressees=[nurse, doctor])
    month = today.replace(day=1) - datetime.timedelta(days=1)
    info = _sheet(patient, "nursing_info", SheetKind.NURSING_INFO, nurse, {
        "month": month.strftime("%Y-%m"), "provided_on": month.replace(day=25).isoformat(),
        "care_manager_name": str(cm), "physician": str(doctor), "visits": 8,
        "condition": "退院後、体温・血圧とも安定。食事中のむせは減っている。",
        "care_given": "バイタル測定、服薬管理（お薬カレンダー）、嚥下状態の観察、家族への食事介助の助言",
        "care_plan_points": "水分摂取量の確保と、夜間の排泄時の転倒予防を計画に入れてください。",
        "emergency": "発熱時は訪問看護ステーションへ（24時間対応）", "twenty_four_hour": True, "adl_change": "改善",
    })
    if info:
        services.send(sheet=info, user=nurse, addressees=[cm])
    acp = _sheet(patient, "acp", SheetKind.ACP, doctor, {
        "discussed_on": (today - datetime.timedelta(days=60)).isoformat(),
        "participants": "本人、長男、往診医、訪問看護師、ケアマネジャー", "capacity": "できる",
        "values": "自分の家で、猫と一緒に過ごしたい。", "treatment_wishes": "つらい治療は望まない。",
        "resuscitation": "未決定", "place_of_care": "自宅", "place_of_death": "未定",
        "proxy_name": "（架空）長男", "proxy_relationship": "長男",
        "review_on": (today - datetime.timedelta(days=5)).isoformat(),
    })
    if acp:
        # Revisited after the admission: a new version of the same record.
        revised = services.revise(sheet=acp, user=doctor)
        content = dict(revised.content) | {
            "discussed_on": (today - datetime.timedelta(days=5)).isoformat(), "resuscitation": "希望しない",
            "place_of_death": "自宅", "review_on": (today + datetime.timedelta(days=90)).isoformat(),
            "notes": "入院を経て、本人が最期まで自宅で過ごしたいと明言。長男も同意。",
        }
        services.update_draft(sheet=revised, user=doctor, content=content)
        services.finalise(sheet=revised, user=doctor)
        services.send(sheet=revised, user=doctor, addressees=[cm])


def _discharge_conference(patient, doctor, nurse, cm, admission, today):
    """The discharge conference held four days before the discharge sheet (once: skipped on a re-run)."""
    if CaseConference.objects.filter(patient=patient).exists():
        return
    held = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=14), datetime.time(14)))
    conference = conferences.schedule(
        user=cm, patient=patient, kind=ConferenceKind.DISCHARGE, scheduled_at=held,
        place=f"{HOSPITAL_NAME} 4階東病棟 面談室", agenda="退院日と退院後の支援体制（夜間の排泄、服薬、食事形態）",
        invitees=[doctor, nurse], sheets=[admission] if admission else [],
        outsiders=[conferences.Outsider("（架空）病棟 看護美", "4階東病棟 退院支援看護師"),
                   conferences.Outsider("（架空）相談 員子", "医療ソーシャルワーカー"),
                   conferences.Outsider("（架空）長男", "家族")])
    conferences.answer(user=nurse, conference=conference, accept=True)
    conferences.answer(user=doctor, conference=conference, accept=True)
    modes = {a.user_id: Attendance.IN_PERSON for a in conference.attendees.all()}
    modes[doctor.pk] = Attendance.ONLINE
    conferences.record_held(
        user=cm, conference=conference, held_at=held,
        text="退院日を決定。訪問看護を週2回に増やし、夜間はポータブルトイレを使用する。食事はきざみ・とろみ付き。",
        attendance={a.pk: modes.get(a.user_id, Attendance.IN_PERSON) for a in conference.attendees.all()},
        actions=[conferences.ActionItem("ポータブルトイレと介護ベッドの手配", cm, today - datetime.timedelta(days=11)),
                 conferences.ActionItem("退院当日の訪問と服薬カレンダーの準備", nurse, today - datetime.timedelta(days=10)),
                 conferences.ActionItem("退院後初回の訪問診療", doctor, today - datetime.timedelta(days=7))])


def _received_summary(patient, liaison, today):
    """The hospital's discharge summary as its system sends it (JP-CLINS), delivered by the liaison office."""
    written = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=10), datetime.time(16)))
    bundle = clins_examples.discharge_summary(
        patient, seed=f"demo-{patient.pk}", hospital=HOSPITAL_NAME, hospital_code="1399999999",
        physician="（架空）病棟 医師", written=written, admitted=today - datetime.timedelta(days=31),
        discharged=today - datetime.timedelta(days=10), diagnosis="誤嚥性肺炎（主病名）、高血圧症、アルツハイマー型認知症",
        course="抗菌薬の点滴で肺炎は改善。嚥下評価の結果、とろみ付きの食事で経口摂取を継続。",
        instructions="食事はきざみ・とろみ付き。発熱・むせの増加があれば往診医へ連絡してください。")
    received.receive(user=liaison, patient=patient, data=bundle)


def _routes(patient, doctor, cm, hospital, liaison, today):
    onset = today - datetime.timedelta(days=150)
    stroke = _sheet(patient, "stroke", SheetKind.STROKE, doctor, {
        "onset_on": onset.isoformat(), "stroke_type": "脳梗塞", "diagnosis": "右中大脳動脈領域の心原性脳塞栓症",
        "paralysis": "左片麻痺", "premorbid_mrs": 0, "acute_hospital": HOSPITAL_NAME, "treatment": "血栓溶解療法、抗凝固療法",
        "risk_factor_items": ["高血圧", "心房細動"], "prevention_drugs": ["抗凝固薬", "降圧薬"],
        "risk_factors": "家庭血圧の記録と、抗凝固薬の飲み忘れ防止（お薬カレンダー）。",
        "overall_goal": "杖歩行で自宅へ退院し、再発を防ぐ。",
    })
    if stroke:
        services.send(sheet=stroke, user=doctor, facility=hospital)
        services.confirm_receipt(sheet=stroke, user=liaison)
        stages = [
            (liaison, {"facility_name": HOSPITAL_NAME, "started_on": onset.isoformat(),
                       "ended_on": (onset + datetime.timedelta(days=21)).isoformat(), "nihss": 12, "mrs": 4,
                       "jcs": "Ⅰ-1", "higher_brain": ["半側空間無視", "注意障害"], "swallowing": "軽度の障害（食形態の工夫で経口摂取）",
                       "nutrition": "経口", "care_level": "申請中", "independence_physical": "B2",
                       "independence_dementia": "Ⅰ",
                       "goals": "座位保持と早期離床", "next_destination": "回復期リハビリテーション病棟"}
             | _barthel([5, 5, 0, 5, 0, 0, 0, 5, 5, 5]) | _fim(2, 4)),
            (liaison, {"facility_name": "（架空）回復期リハビリテーション病院", "started_on":
                       (onset + datetime.timedelta(days=21)).isoformat(),
                       "ended_on": (onset + datetime.timedelta(days=111)).isoformat(), "nihss": 5, "mrs": 3,
                       "jcs": "0（意識清明）", "higher_brain": ["半側空間無視"], "higher_brain_detail": "左側の見落としが軽度残る",
                       "swallowing": "問題なし", "nutrition": "経口", "care_level": "要介護2",
                       "independence_physical": "A2", "independence_dementia": "Ⅰ", "goals": "杖歩行の自立", "next_destination": "自宅（訪問診療・訪問リハビリ）"}
             | _barthel([10, 15, 5, 10, 0, 10, 5, 5, 10, 10]) | _fim(5, 6)),
            (doctor, {"facility_name": "（架空）みどりの森在宅クリニック", "started_on":
                      (onset + datetime.timedelta(days=111)).isoformat(), "nihss": 4, "mrs": 3,
                      "jcs": "0（意識清明）", "higher_brain": ["半側空間無視"], "swallowing": "問題なし", "nutrition": "経口",
                      "care_level": "要介護2", "independence_physical": "A1", "independence_dementia": "Ⅰ",
                      "goals": "再発予防と外出機会の確保", "course": "訪問リハビリ週2回、デイケア週1回を開始。"}
             | _barthel([10, 15, 5, 10, 5, 10, 5, 10, 10, 10])),
            (doctor, {"reported_on": (today - datetime.timedelta(days=7)).isoformat(), "reported_to": HOSPITAL_NAME,
                      "outcome": "在宅生活を継続", "mrs": 3,
                      "report": "自宅で杖歩行、服薬良好。再発なし。抗凝固療法を継続しています。"}),
        ]
        for user, content in stages:
            services.answer_stage(sheet=stroke, user=user, content=content)
    referred = today - datetime.timedelta(days=80)
    sheet = _sheet(patient, "dementia", SheetKind.DEMENTIA, cm, {
        "consulted_on": referred.isoformat(), "center_name": "（架空）吉祥寺東 在宅介護・地域包括支援センター",
        "consulted_by": "家族", "reasons": "最近、同じことを何度も聞く。鍋を焦がすことが増えた。",
        "situation": "独居。長女が週末に訪問。服薬の飲み忘れが目立つ。", "assessed_on": referred.isoformat(),
        "dasc_a": "感じる", "dasc_b": "感じる", "requests": "認知機能の評価と、専門医療機関受診の要否をご判断ください。",
    } | {f"dasc_{n}": (3 if n <= 9 else 2) for n in range(1, 22)})
    if sheet:
        services.send(sheet=sheet, user=cm, addressees=[doctor])
        services.answer_stage(sheet=sheet, user=doctor, next_facility=hospital, content={
            "examined_on": (referred + datetime.timedelta(days=10)).isoformat(), "doctor": "（架空）みどりの森在宅クリニック 往診 一郎",
            "findings": "近時記憶障害が目立つ。見当識は保たれている。", "hdsr": 18, "specialist_needed": "必要",
            "recommendations": "鑑別診断のため専門医療機関の受診を勧めます。"})
        services.confirm_receipt(sheet=sheet, user=liaison)
        services.answer_stage(sheet=sheet, user=liaison, content={
            "examined_on": (referred + datetime.timedelta(days=30)).isoformat(), "facility": f"{HOSPITAL_NAME} もの忘れ外来",
            "examinations": "頭部MRI、神経心理検査", "diagnosis": "アルツハイマー型認知症", "treatment": "抗認知症薬を開始",
            "recommendations": "服薬管理の支援と、デイサービスの利用をお勧めします。"})
        services.answer_stage(sheet=sheet, user=doctor, content={
            "answered_on": (referred + datetime.timedelta(days=40)).isoformat(), "doctor": "（架空）みどりの森在宅クリニック 往診 一郎",
            "plan": "月2回の訪問診療で処方を継続し、副作用を確認します。", "care_opinion": "訪問看護による服薬管理を提案します。"})


def _back_bed(patient, doctor, hospital, liaison, today):
    back_bed = BackBedHospital.objects.get(facility=hospital)
    if BackBedRequest.objects.filter(patient=patient, hospital=back_bed).exists():
        return
    created = backbed.request_admission(
        patient=patient, user=doctor, hospital=back_bed, reason="respite", desired_on=today,
        detail="介護者（長男）の入院のため、2週間程度のレスパイト入院をお願いします。")
    backbed.answer(bed_request=created, user=liaison, accept=True, note="4階東病棟で受け入れます。")
    backbed.record_stay(bed_request=created, user=liaison, admitted_on=today)


def _dementia_cases(patient, doctor, cm, today):
    closed_start = today - datetime.timedelta(days=200)
    if not DementiaCase.objects.filter(patient=patient, referred_on=closed_start).exists():
        case = dementia.open_case(
            patient=patient, user=cm, referred_on=closed_start, referral_source=ReferralSource.FAMILY,
            referral_reason="物忘れが進み、受診を拒んでいると長女から相談。", team_note="専門医、保健師、作業療法士",
            members=[doctor, cm], support_started_on=closed_start + datetime.timedelta(days=7))
        dementia.add_visit(case=case, user=cm, visited_on=closed_start + datetime.timedelta(days=10),
                           visitors="保健師、作業療法士", summary="生活状況を確認。DASC-21 を実施。")
        dementia.add_conference(case=case, user=doctor, held_on=closed_start + datetime.timedelta(days=20),
                                participants="専門医、保健師、作業療法士、ケアマネジャー",
                                decisions="もの忘れ相談医の受診につなぐ。長女同行で受診を調整。")
        dementia.close_case(case=case, user=cm, closed_on=closed_start + datetime.timedelta(days=120),
                            outcome=CaseOutcome.BOTH, outcome_detail="専門医療機関で診断、デイサービス利用開始。",
                            case_study=True, case_study_note="認知症連携部会の事例研究で検討")
    open_start = today - datetime.timedelta(days=165)
    if not DementiaCase.objects.filter(patient=patient, referred_on=open_start).exists():
        case = dementia.open_case(
            patient=patient, user=cm, referred_on=open_start, referral_source=ReferralSource.COMMUNITY_SUPPORT,
            referral_reason="近隣から、夜間に外を歩いているとの情報。", team_note="専門医、社会福祉士",
            members=[cm], support_started_on=open_start)
        dementia.add_visit(case=case, user=cm, visited_on=open_start + datetime.timedelta(days=3),
                           visitors="社会福祉士", summary="本人と面談。見守り体制を検討。")
