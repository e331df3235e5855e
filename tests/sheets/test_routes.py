"""The stroke pathway and the dementia sheet complete their routes, each stage answering in turn."""
import pytest
from django.urls import reverse

from renkei.core.errors import AppError
from renkei.network.services import Refused
from renkei.sheets import services
from renkei.sheets.models import SheetKind
from tests.sheets.factories import SheetFactory, barthel, stroke_stage

pytestmark = pytest.mark.django_db


def _fim(value):
    from renkei.sheets.rules import FIM_COGNITIVE_ITEMS, FIM_MOTOR_ITEMS

    return {f"fim_{k}": value for k, _ in FIM_MOTOR_ITEMS + FIM_COGNITIVE_ITEMS}


@pytest.fixture
def stroke(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    return sheet


OUTCOME = {"reported_on": "2025-09-01", "reported_to": "架空総合病院", "outcome": "在宅生活を継続", "mrs": 2,
           "report": "自宅で杖歩行"}


def test_the_stroke_pathway_completes_acute_recovery_maintenance_and_outcome(world, stroke):
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage() | _fim(3))
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=None, mrs=3))
    services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage(nihss=None, mrs=2))
    services.answer_stage(sheet=stroke, user=world.physician, content=OUTCOME)
    assert services.next_stage(stroke).complete
    assert list(stroke.stages.values_list("stage", flat=True)) == ["acute", "recovery", "maintenance", "outcome"]


def test_the_stage_stores_the_computed_barthel_and_fim_totals(world, stroke):
    stage = services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage() | _fim(4))
    expected = {"barthel": 75, "fim_motor": 52, "fim_cognitive": 20, "fim_total": 72}
    assert {k: stage.content["scores"][k] for k in expected} == expected


def test_the_acute_stage_needs_the_nihss(world, stroke):
    with pytest.raises(AppError, match="急性期では入院時の NIHSS を入力してください"):
        services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage(nihss=None))


@pytest.mark.parametrize("content,message", [
    (stroke_stage(nihss=43), "NIHSS は 0〜42 点です（43 点は範囲外）。"),
    (stroke_stage(mrs=7), "mRS は 0〜6 です（7 は範囲外）。"),
    (stroke_stage() | barthel(grooming=10), "バーセルインデックス「整容」は 0・5 点のいずれかです"),
    (stroke_stage() | _fim(4) | {"fim_memory": 9}, "FIM「記憶」は 1〜7 点です"),
])
def test_a_score_out_of_range_is_refused_in_japanese(world, stroke, content, message):
    with pytest.raises(AppError, match=message):
        services.answer_stage(sheet=stroke, user=world.physician, content=content)
    assert not stroke.stages.exists()


def test_a_score_out_of_range_is_422_in_the_api(client, world, stroke, bearer):
    r = client.post(f"/api/v1/sheets/{stroke.pk}/stages", {"content": stroke_stage(nihss=50)},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.physician))
    assert r.status_code == 422 and "NIHSS" in r.json()["detail"][0]["msg"]


def test_an_incomplete_fim_is_refused_item_by_item(world, stroke):
    with pytest.raises(AppError, match="FIM「食事」が未入力です"):
        services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage() | {"fim_memory": 5})


def test_a_completed_route_takes_no_more_answers(world, stroke):
    for content in (stroke_stage(), stroke_stage(), stroke_stage(), OUTCOME):
        services.answer_stage(sheet=stroke, user=world.physician, content=content)
    with pytest.raises(AppError):
        services.answer_stage(sheet=stroke, user=world.physician, content=OUTCOME)


def test_someone_neither_on_the_team_nor_addressed_cannot_answer(world, stroke):
    with pytest.raises(Refused):
        services.answer_stage(sheet=stroke, user=world.stranger, content=stroke_stage())


def test_a_draft_takes_no_stage_answers(world):
    from renkei.sheets.models import SheetStatus

    draft = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE, status=SheetStatus.DRAFT)
    with pytest.raises(Refused):
        services.answer_stage(sheet=draft, user=world.physician, content=stroke_stage())


@pytest.fixture
def dementia(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    services.send(sheet=sheet, user=world.care_manager, addressees=[world.physician])
    return sheet


MEMORY = {"examined_on": "2025-04-20", "doctor": "往診 一郎", "findings": "近時記憶障害", "hdsr": 18,
          "specialist_needed": "必要"}
SPECIALIST = {"examined_on": "2025-05-10", "facility": "架空病院", "diagnosis": "アルツハイマー型認知症"}
FAMILY = {"answered_on": "2025-05-20", "doctor": "往診 一郎", "plan": "月2回の訪問診療"}


def test_the_dementia_sheet_completes_its_route_with_the_hospital_answering_its_stage(world, dementia):
    services.answer_stage(sheet=dementia, user=world.physician, content=MEMORY, next_facility=world.hospital)
    services.answer_stage(sheet=dementia, user=world.liaison, content=SPECIALIST)
    services.answer_stage(sheet=dementia, user=world.physician, content=FAMILY)
    assert services.next_stage(dementia).complete


def test_the_dementia_sheet_stores_the_dasc21_score(dementia):
    assert dementia.content["scores"]["dasc21"] == 42


def test_the_route_is_answered_in_turn(world, dementia):
    with pytest.raises(AppError):
        services.answer_stage(sheet=dementia, user=world.physician, content=SPECIALIST)


def test_each_stage_posts_a_notice(world, dementia):
    from renkei.network.models import Post

    services.answer_stage(sheet=dementia, user=world.physician, content=MEMORY)
    assert Post.objects.filter(body__contains="もの忘れ相談医").exists()


def test_the_stage_page_shows_the_next_stage_form(world, dementia, login):
    r = login(world.physician).get(reverse("sheets:stage", args=[dementia.pk]))
    assert r.status_code == 200 and "もの忘れ相談医" in r.content.decode()


def test_the_stage_page_refuses_bad_input_with_a_400_and_the_message(world, dementia, login):
    r = login(world.physician).post(reverse("sheets:stage", args=[dementia.pk]), MEMORY | {"hdsr": 31})
    assert r.status_code == 400 and "30以下で入力してください。" in r.content.decode()


def test_the_finished_route_prints_every_stage(world, dementia):
    from renkei.sheets.pdf import render_sheet_pdf

    services.answer_stage(sheet=dementia, user=world.physician, content=MEMORY)
    import io

    from pypdf import PdfReader

    pdf = render_sheet_pdf(dementia, stages=list(dementia.stages.all()))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "もの忘れ相談医" in text and "DASC-21 合計" in text


def test_a_dementia_sheet_shows_its_dasc21_profile_with_the_stages(world, dementia):
    from renkei.sheets.presentation import sheet_sections

    services.answer_stage(sheet=dementia, user=world.physician, content=MEMORY)
    titles = [b.title for b in sheet_sections(dementia, stages=list(dementia.stages.all())).blocks]
    assert titles.index("DASC-21 領域別プロフィール") < titles.index("もの忘れ相談医：もの忘れ相談医")


def test_a_dementia_sheet_with_a_dasc_item_out_of_range_is_refused(world):
    from tests.sheets.factories import dementia_content

    with pytest.raises(AppError, match="問5"):
        services.create_sheet(patient=world.patient, author=world.care_manager, kind="dementia",
                              content=dementia_content(dasc_5=7))


def test_a_liaison_office_not_addressed_cannot_open_the_stage_page(world, login):
    from tests.sheets.factories import hospital, liaison_for

    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    stranger = liaison_for(hospital())
    assert login(stranger).get(reverse("sheets:stage", args=[sheet.pk])).status_code == 404


def test_an_optional_block_left_empty_at_a_stage_is_not_printed(world, stroke):
    from renkei.sheets.presentation import sheet_sections

    services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage())
    titles = [b.title for b in sheet_sections(stroke, stages=list(stroke.stages.all())).blocks]
    assert "急性期：バーセルインデックス（BI）" in titles and "急性期：FIM" not in titles
