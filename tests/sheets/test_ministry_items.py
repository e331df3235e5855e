"""The admission and discharge sheets hold, and print on A4, every item of the ministry's sample forms.

The checklists below are Renkei's own reading of the two sample forms (様式例) of 居宅介護支援:
入院時情報提供書 (入院時情報連携加算) and 退院・退所情報記録書 (退院・退所加算), item by item in the
forms' own wording. Each item must be a label (or section title) of the sheet and print even when empty.
"""
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from renkei.core.errors import AppError
from renkei.core.models import Affiliation, FacilityKind
from renkei.network.models import TeamRole
from renkei.sheets import services
from renkei.sheets.models import SheetKind
from renkei.sheets.pdf import render_sheet_pdf
from renkei.sheets.schemas import CONTENT_FORMS
from renkei.sheets.services import validate_content
from tests.factories import FacilityFactory
from tests.sheets.factories import BASICS, SheetFactory, discharge_content, member

pytestmark = pytest.mark.django_db

ADMISSION_ITEMS = [
    # 提供先・提供元
    "情報提供日", "入院日", "医療機関名", "担当者", "居宅介護支援事業所名", "ケアマネジャー氏名", "TEL", "FAX",
    # 1 利用者（患者）基本情報
    "氏名", "生年月日", "性別", "住所", "電話", "住居の種類", "居室の階", "エレベーター", "住環境の特記事項",
    "入院時の要介護度", "申請中", "区分変更申請中", "未申請", "有効期間", "障害高齢者の日常生活自立度",
    "認知症高齢者の日常生活自立度", "判断者", "介護保険の自己負担割合", "障害など認定", "年金などの種類",
    # 2 家族構成／連絡先
    "世帯構成", "日中独居", "主介護者", "キーパーソン",
    # 3 本人／家族の意向
    "趣味・関心", "生活歴", "本人の意向", "家族の意向",
    # 4 入院前の介護サービスの利用状況
    "入院前の介護サービスの利用状況", "居宅サービス計画書1〜3表",
    # 5 今後の在宅生活の展望
    "在宅生活に必要な要件", "退院後の世帯状況", "世帯に対する配慮", "退院後の主介護者", "介護力", "虐待の疑い",
    "在宅生活の展望の特記事項",
    # 6 カンファレンス等について
    "院内の多職種カンファレンスへの参加希望", "退院前カンファレンスへの参加希望", "退院前訪問指導",
    # 7 身体・生活機能の状況／療養生活上の課題
    "麻痺の状況", "褥瘡", "移動", "移動（室内）", "移動（屋外）", "移乗", "更衣", "起居", "整容", "入浴", "食事",
    "食事回数", "食事制限", "食事形態", "UDF等の食形態区分", "摂取方法", "水分とろみ", "水分制限", "嚥下機能", "義歯",
    "口腔清潔", "口臭", "排泄", "排尿", "排便", "ポータブルトイレ", "オムツ・パッド", "睡眠の状態", "眠剤の使用",
    "喫煙", "飲酒", "視力", "聴力", "眼鏡", "補聴器", "言語", "意思疎通", "精神面における療養上の問題", "疾患歴",
    "最近半年間での入院", "入院頻度", "入院前に実施している医療処置",
    # 8 お薬について
    "内服薬", "居宅療養管理指導", "薬剤管理", "服薬状況", "お薬に関する特記事項",
    # 9 かかりつけ医について
    "かかりつけ医療機関・医師名", "かかりつけ医の電話番号", "診察方法", "診察頻度",
]
BPSD_ITEMS = ["幻視・幻聴", "興奮", "焦燥・不穏", "妄想", "暴力・攻撃性", "介護への抵抗", "不眠", "昼夜逆転", "徘徊",
              "危険行為", "不潔行為", "その他"]
PROCEDURE_ITEMS = ["点滴", "酸素療法", "喀痰吸引", "気管切開", "胃ろう", "経鼻栄養", "経腸栄養", "褥瘡", "尿道カテーテル",
                   "尿路ストーマ", "消化管ストーマ", "痛みコントロール", "排便コントロール", "自己注射", "その他"]
UDF_ITEMS = ["容易にかめる", "歯ぐきでつぶせる", "舌でつぶせる", "かまなくてよい"]

DISCHARGE_ITEMS = [
    # 属性・入院（所）概要
    "属性", "氏名", "性別", "生年月日", "入院（所）日", "退院（所）予定日", "入院原因疾患", "入院（所）先 施設名",
    "棟・室", "今後の医学管理（医療機関名）", "今後の医学管理（方法）",
    # ① 疾患と入院（所）中の状況
    "現在治療中の疾患", "疾患の状況（安定性）", "移動手段", "排泄方法", "入浴方法", "食事形態", "UDF等の食形態区分",
    "嚥下機能（むせ）", "義歯", "入院（所）中の義歯の使用", "口腔清潔", "口腔ケア", "睡眠", "眠剤の使用", "認知・精神",
    "せん妄", "BPSD",
    # ② 受け止め／意向
    "本人の受け止め", "本人の退院後の生活に関する意向", "家族の受け止め", "家族の退院後の生活に関する意向",
    # ③ 退院後に必要な事柄
    "退院後に必要な医療処置", "看護の視点", "リハビリの視点", "禁忌の有無", "禁忌事項",
    "症状・病状の予後・予測", "退院に際しての日常生活の阻害要因", "在宅復帰のために整えなければならない要件",
    # 聞き取り記録
    "回目", "聞き取り日", "情報提供を受けた職種", "氏名", "会議（カンファレンス）への出席",
]
EMPTY = {
    SheetKind.ADMISSION: BASICS | {"provided_on": "2025-05-10", "hospital_name": "架空総合病院"},
    SheetKind.DISCHARGE: BASICS | {"hospital_name": "架空総合病院", "discharge_on": "2025-06-01", "diagnoses": "誤嚥性肺炎"},
}
CHECKLISTS = {SheetKind.ADMISSION: ADMISSION_ITEMS, SheetKind.DISCHARGE: DISCHARGE_ITEMS}


def _words(kind):
    """Every label, section title and option of the kind's content form."""
    form = CONTENT_FORMS[kind]
    words = [section.title for section in form.all_sections()]
    for field in form.base_fields.values():
        words += [field.label, *(str(value) for value, _ in getattr(field, "choices", []))]
    return words


def _options(kind, name):
    return {value for value, _ in CONTENT_FORMS[kind].base_fields[name].choices}


def _pdf_text(sheet):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_sheet_pdf(sheet))).pages).replace("\n", "")


def _empty_sheet(world, kind):
    return SheetFactory(patient=world.patient, author=world.care_manager, kind=kind,
                        content=validate_content(kind, EMPTY[kind]).to_content())


@pytest.mark.parametrize("kind", list(CHECKLISTS))
def test_the_sheet_has_every_item_of_the_ministry_form(kind):
    words = _words(kind)
    assert [item for item in CHECKLISTS[kind] if not any(item in word for word in words)] == []


def test_the_admission_sheet_lists_the_twelve_bpsd_items():
    assert set(BPSD_ITEMS) <= _options(SheetKind.ADMISSION, "bpsd")


@pytest.mark.parametrize("kind,name", [(SheetKind.ADMISSION, "procedures"), (SheetKind.DISCHARGE, "home_care_needs")])
def test_the_sheet_lists_the_fifteen_medical_procedures(kind, name):
    assert set(PROCEDURE_ITEMS) <= _options(kind, name)


@pytest.mark.parametrize("kind", list(CHECKLISTS))
def test_the_udf_item_has_its_four_levels(kind):
    assert all(any(level in option for option in _options(kind, "udf")) for level in UDF_ITEMS)


@pytest.mark.parametrize("kind", list(CHECKLISTS))
def test_an_empty_sheet_prints_every_item_of_the_ministry_form(world, kind):
    text = _pdf_text(_empty_sheet(world, kind))
    assert [item for item in CHECKLISTS[kind] if item not in text] == []


def test_an_empty_admission_sheet_prints_every_option_as_a_tick_box(world):
    text = _pdf_text(_empty_sheet(world, SheetKind.ADMISSION))
    assert [f"□{item}" for item in BPSD_ITEMS + PROCEDURE_ITEMS if f"□{item}" not in text] == []


def test_a_chosen_option_prints_ticked(world):
    content = validate_content(SheetKind.ADMISSION, EMPTY[SheetKind.ADMISSION] | {"udf": "区分3 舌でつぶせる"}).to_content()
    text = _pdf_text(SheetFactory(patient=world.patient, author=world.care_manager, content=content))
    assert "■区分3 舌でつぶせる" in text and "□区分2 歯ぐきでつぶせる" in text


# --- The hearing log of the discharge sheet.

def _hearing_rows(*rows):
    data = {}
    for n, (on, profession, name, conference) in enumerate(rows, start=1):
        data |= {f"hearing_{n}_date": on, f"hearing_{n}_profession": profession, f"hearing_{n}_name": name,
                 f"hearing_{n}_conference": conference}
    return data


def test_the_hearing_rows_are_stored_as_a_log_in_date_order():
    content = validate_content("discharge", discharge_content(**_hearing_rows(
        ("2025-05-30", "理学療法士", "架空 療子", False), ("2025-05-20", "病棟看護師", "架空 看子", True)))).to_content()
    assert content["hearings"] == [
        {"date": "2025-05-20", "profession": "病棟看護師", "name": "架空 看子", "conference": True},
        {"date": "2025-05-30", "profession": "理学療法士", "name": "架空 療子", "conference": False},
    ] and "hearing_1_date" not in content


def test_a_stored_hearing_log_validates_again_unchanged():
    log = [{"date": "2025-05-20", "profession": "MSW", "name": "架空 相談", "conference": True}]
    assert validate_content("discharge", discharge_content(hearings=log)).to_content()["hearings"] == log


def test_a_hearing_in_the_future_is_refused():
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    with pytest.raises(AppError, match="未来の日付"):
        validate_content("discharge", discharge_content(**_hearing_rows((tomorrow, "MSW", "", False))))


def test_a_dated_hearing_needs_the_informants_profession():
    with pytest.raises(AppError, match="職種を入力"):
        validate_content("discharge", discharge_content(**_hearing_rows(("2025-05-20", "", "架空 看子", False))))


def test_a_hearing_without_a_date_is_refused():
    with pytest.raises(AppError, match="聞き取り日を入力"):
        validate_content("discharge", discharge_content(**_hearing_rows(("", "病棟看護師", "", True))))


def test_a_hearing_before_the_admission_is_refused():
    with pytest.raises(AppError, match="入院日より前"):
        validate_content("discharge", discharge_content(**_hearing_rows(("2025-05-01", "MSW", "", False))))


def test_a_log_longer_than_the_rows_is_refused():
    log = [{"date": f"2025-05-{10 + n}", "profession": "MSW", "name": "", "conference": False} for n in range(5)]
    with pytest.raises(AppError, match="4 件まで"):
        validate_content("discharge", discharge_content(hearings=log))


def test_the_hearing_log_prints_as_a_table_with_the_addition(world):
    content = validate_content("discharge", discharge_content(**_hearing_rows(
        ("2025-05-20", "病棟看護師", "架空 看子", True), ("2025-05-28", "MSW", "架空 相談", False)))).to_content()
    text = _pdf_text(SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE, content=content))
    assert "病棟看護師（架空 看子）" in text and "退院・退所加算（Ⅱ）ロ 750単位" in text


def test_the_sheet_page_shows_the_hearing_log_and_the_addition(world, login):
    content = validate_content("discharge", discharge_content(**_hearing_rows(
        ("2025-05-20", "病棟看護師", "架空 看子", True)))).to_content()
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE, content=content)
    page = login(world.care_manager).get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert "架空 看子" in page and "退院・退所加算（Ⅰ）ロ 600単位" in page


def test_the_edit_page_shows_the_stored_hearings_in_their_rows(world, login):
    from renkei.sheets.models import SheetStatus

    content = validate_content("discharge", discharge_content(**_hearing_rows(
        ("2025-05-20", "病棟看護師", "架空 看子", True)))).to_content()
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE, content=content,
                         status=SheetStatus.DRAFT, finalised_at=None)
    page = login(world.care_manager).get(reverse("sheets:edit", args=[sheet.pk])).content.decode()
    assert 'name="hearing_1_profession" value="病棟看護師"' in page.replace("  ", " ")


def test_the_hearing_rows_written_on_the_page_are_saved_as_the_log(world, login):
    from renkei.sheets.models import Sheet

    data = discharge_content(**_hearing_rows(("2025-05-20", "病棟看護師", "架空 看子", True)))
    data = {key: ("on" if value is True else value) for key, value in data.items() if value is not False}
    login(world.care_manager).post(reverse("sheets:create", args=[world.patient.pk, "discharge"]), data)
    assert Sheet.objects.get().content["hearings"] == [
        {"date": "2025-05-20", "profession": "病棟看護師", "name": "架空 看子", "conference": True}]


def test_a_hearing_row_without_its_profession_is_answered_on_the_page(world, login):
    data = discharge_content(**_hearing_rows(("2025-05-20", "", "架空 看子", False)))
    data = {key: value for key, value in data.items() if value is not False}
    r = login(world.care_manager).post(reverse("sheets:create", args=[world.patient.pk, "discharge"]), data)
    assert r.status_code == 400 and "1回目の情報提供を受けた職種を入力してください。" in r.content.decode()


# --- Sheets written on the earlier version of the forms still validate.

def test_a_discharge_sheet_with_an_earlier_procedure_wording_still_validates():
    assert validate_content("discharge", discharge_content(home_care_needs=["服薬管理", "喀痰吸引"])).is_valid()


def test_an_earlier_wording_is_offered_only_to_the_sheet_that_holds_it():
    form = CONTENT_FORMS[SheetKind.ADMISSION]
    assert "変わる" in _choice_values(form(initial={"household_after": "変わる"}), "household_after")
    assert "変わる" not in _choice_values(form(), "household_after")


def _choice_values(form, name):
    return {value for value, _ in form.fields[name].choices}


def test_none_with_another_procedure_is_refused():
    with pytest.raises(AppError, match="同時には選べません"):
        validate_content("admission", EMPTY[SheetKind.ADMISSION] | {"procedures": ["なし", "点滴"]})


# --- Prefill from what Renkei knows.

def test_the_family_doctor_comes_from_the_teams_physician(world):
    clinic = FacilityFactory(name="（架空）みどり在宅クリニック", kind=FacilityKind.CLINIC, phone="0422-11-2222")
    Affiliation.objects.create(user=world.physician, facility=clinic)
    content = services.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert content["family_doctor"] == f"{clinic.name} {world.physician.name}" and content["family_doctor_phone"] == "0422-11-2222"


def test_the_services_before_the_admission_come_from_the_team(world):
    content = services.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert content["services_before"] == f"訪問看護（{world.station.name}）"


def test_the_care_level_comes_from_the_patient_record(world):
    world.patient.care_level = "care_3"
    world.patient.save()
    assert services.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)["care_level"] == "要介護3"


def test_household_and_life_history_come_from_the_previous_admission_sheet(world):
    content = validate_content("admission", EMPTY[SheetKind.ADMISSION] | {
        "household": "高齢者世帯", "daytime_alone": True, "life_history": "元小学校教諭", "udf": "区分2 歯ぐきでつぶせる"})
    SheetFactory(patient=world.patient, author=world.care_manager, content=content.to_content())
    prefilled = services.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)
    assert (prefilled["household"], prefilled["daytime_alone"], prefilled["life_history"]) == ("高齢者世帯", True, "元小学校教諭")


def test_a_later_discharge_sheet_passes_its_meal_form_to_the_next_admission_sheet(world):
    SheetFactory(patient=world.patient, author=world.care_manager, finalised_at=timezone.now() - datetime.timedelta(days=30))
    SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE,
                 content=validate_content("discharge", discharge_content(udf="区分4 かまなくてよい")).to_content())
    assert services.prefill(patient=world.patient, kind=SheetKind.ADMISSION, author=world.care_manager)["udf"] == "区分4 かまなくてよい"


def test_a_discharge_sheet_takes_the_stay_from_the_admission_sheet(world):
    SheetFactory(patient=world.patient, author=world.care_manager)  # admitted 2025-05-09 to 架空総合病院
    content = services.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.care_manager)
    assert (content["hospital_name"], content["admitted_on"]) == ("架空総合病院", "2025-05-09")


def test_a_discharge_sheet_written_at_the_hospital_names_it_and_the_writer(world):
    nurse = member(world.patient, role=TeamRole.HOSPITAL_LIAISON, facility=world.hospital)
    content = services.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=nurse)
    assert (content["hospital_name"], content["ward_contact"]) == (world.hospital.name, nurse.name)


def test_the_follow_up_doctor_comes_from_the_teams_physician(world):
    content = services.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.care_manager)
    assert content["follow_up_institution"] == world.physician.name


def test_a_new_discharge_sheet_starts_with_an_empty_hearing_log(world):
    log = [{"date": "2025-05-20", "profession": "MSW", "name": "", "conference": True}]
    SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DISCHARGE,
                 content=validate_content("discharge", discharge_content(hearings=log)).to_content())
    assert "hearings" not in services.prefill(patient=world.patient, kind=SheetKind.DISCHARGE, author=world.care_manager)
