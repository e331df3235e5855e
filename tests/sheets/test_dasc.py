"""DASC-21 on the dementia sheet: A and B on their own scale and out of the total, each question's wording shown,
the profile by domain, and a draft that saves before all 21 items are answered but finalises only when complete."""
import pytest
from django.urls import reverse

from renkei.core.errors import AppError
from renkei.sheets import rules, services
from renkei.sheets.models import Sheet, SheetKind, SheetStatus
from renkei.sheets.presentation import sheet_sections
from renkei.sheets.schemas import DementiaContent
from tests.sheets.factories import SheetFactory, dementia_content

pytestmark = pytest.mark.django_db


def _partial(*missing):
    """Dementia content with the given DASC-21 items left unanswered."""
    return dementia_content() | {f"dasc_{n}": None for n in missing}


def _rows(sheet):
    return {label: value for block in sheet_sections(sheet).blocks for label, value in block.rows}


def test_questions_a_and_b_answer_on_their_own_four_steps():
    choices = [label for value, label in DementiaContent.base_fields["dasc_a"].choices if value]
    assert choices == ["感じない", "少し感じる", "感じる", "とても感じる"]


def test_questions_a_and_b_are_not_in_the_total():
    low = services.validate_content("dementia", dementia_content(dasc_a="感じない", dasc_b="感じない"))
    high = services.validate_content("dementia", dementia_content(dasc_a="とても感じる", dasc_b="とても感じる"))
    assert low.to_content()["scores"]["dasc21"] == high.to_content()["scores"]["dasc21"] == 42


def test_a_point_is_no_answer_to_question_a():
    with pytest.raises(AppError):
        services.validate_content("dementia", dementia_content(dasc_a="ときどきある"))


def test_an_older_sheet_with_a_answered_as_a_number_still_reads_as_the_wording(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    Sheet.objects.filter(pk=sheet.pk).update(content=sheet.content | {"dasc_a": 3})
    sheet.refresh_from_db()
    assert _rows(sheet)["問A もの忘れが多いと感じますか"] == "感じる"


def test_an_older_sheet_with_a_answered_as_a_number_still_validates():
    form = services.validate_content("dementia", dementia_content(dasc_a=4))
    assert form.to_content()["dasc_a"] == "とても感じる"


@pytest.mark.parametrize("number", [1, 15, 21])
def test_each_question_shows_its_wording(number):
    assert rules.DASC_QUESTIONS[number] in DementiaContent.base_fields[f"dasc_{number}"].label


def test_every_one_of_the_21_questions_has_its_own_wording():
    assert len(set(rules.DASC_QUESTIONS.values())) == rules.DASC_ITEM_COUNT


def test_the_memory_items_answer_how_often_and_the_life_items_how_well():
    often = dict(DementiaContent.base_fields["dasc_1"].widget.choices)
    well = dict(DementiaContent.base_fields["dasc_16"].widget.choices)
    assert (often[4], well[4]) == ("4 いつもそうだ", "4 まったくできない")


def test_the_sheet_page_prints_the_profile_by_domain(world, login):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA,
                         content=services.validate_content("dementia", dementia_content() | {"dasc_1": 4}).to_content())
    page = login(world.care_manager).get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert "DASC-21 領域別プロフィール" in page and "8 / 12 点" in page


def test_the_pdf_prints_the_profile_by_domain(world):
    import io

    from pypdf import PdfReader

    from renkei.sheets.pdf import render_sheet_pdf

    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_sheet_pdf(sheet))).pages)
    assert "領域別プロフィール" in text and "6 / 12 点" in text


def test_an_item_answer_prints_with_its_wording(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    assert _rows(sheet)["問16 入浴は一人でできますか"] == "2 だいたいできる"


def test_a_partial_draft_saves(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3, 20))
    assert sheet.status == SheetStatus.DRAFT and sheet.content["dasc_3"] is None


def test_a_partial_draft_has_no_total(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3))
    assert "dasc21" not in sheet.content.get("scores", {})


def test_a_partial_draft_shows_which_domains_are_incomplete(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3))
    assert _rows(sheet)["記憶（問1〜3）"] == "未回答あり（2/3 問回答）"


def test_a_partial_draft_cannot_be_finalised_and_the_message_names_the_missing_items(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3, 20))
    with pytest.raises(AppError, match=r"未回答の項目があります（問3、問20）"):
        services.finalise(sheet=sheet, user=world.care_manager)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_a_completed_draft_finalises_with_its_total(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3))
    completed = services.update_draft(sheet=sheet, user=world.care_manager, content=dementia_content())
    assert services.finalise(sheet=completed, user=world.care_manager).content["scores"]["dasc21"] == 42


def test_an_answer_out_of_range_is_refused_even_in_a_draft(world):
    with pytest.raises(AppError, match="問5"):
        services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3) | {"dasc_5": 7})


def test_the_edit_page_saves_a_partial_draft(world, login):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(3))
    form = {k: v for k, v in (dementia_content() | {"dasc_3": "", "dasc_4": ""}).items() if v is not None}
    r = login(world.care_manager).post(reverse("sheets:edit", args=[sheet.pk]), form)
    sheet.refresh_from_db()
    assert r.status_code == 302 and sheet.content["dasc_4"] is None


def test_finalising_an_incomplete_draft_on_the_page_says_what_is_missing(world, login):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(7))
    r = login(world.care_manager).post(reverse("sheets:finalise", args=[sheet.pk]), follow=True)
    assert "未回答の項目があります（問7）" in r.content.decode()


def test_finalising_an_incomplete_draft_in_the_api_is_422(client, world, bearer):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia", content=_partial(7))
    r = client.post(f"/api/v1/sheets/{sheet.pk}/finalise", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 422 and "問7" in str(r.json()["detail"])



def test_the_new_sheet_page_shows_each_questions_wording(world, login):
    page = login(world.care_manager).get(reverse("sheets:create", args=[world.patient.pk, "dementia"])).content.decode()
    assert all(question in page for question in rules.DASC_QUESTIONS.values())


def test_the_fhir_document_carries_the_profile_by_domain(world):
    from renkei.sheets.fhir import build_bundle

    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    sections = build_bundle(sheet)["entry"][0]["resource"]["section"]
    assert "DASC-21 領域別プロフィール" in [s["title"] for s in sections]


def test_a_sheet_without_any_dasc_answer_prints_no_profile(world):
    sheet = services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia",
                                  content=_partial(*range(1, 22)))
    assert "DASC-21 領域別プロフィール" not in [b.title for b in sheet_sections(sheet).blocks]
