"""The stroke pathway: every stage keeps its own measures, labelled with the stage; the sheet keeps the episode."""
import pytest

from renkei.core.errors import AppError
from renkei.sheets import services
from renkei.sheets.models import SheetKind, SheetStage
from renkei.sheets.presentation import sheet_sections
from renkei.sheets.schemas import STAGE_FORMS, StrokeContent
from tests.sheets.factories import SheetFactory, barthel, stroke_content, stroke_stage

pytestmark = pytest.mark.django_db

STAGE_MEASURES = ["nihss", "mrs", "jcs", "higher_brain", "swallowing", "nutrition", "care_level",
                  "independence_physical", "independence_dementia", "barthel_feeding", "fim_eating"]


@pytest.fixture
def stroke(world):
    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=sheet, user=world.physician, facility=world.hospital)
    return sheet


def _rows(sheet):
    return {label: value for block in sheet_sections(sheet, stages=list(sheet.stages.all())).blocks
            for label, value in block.rows}


@pytest.mark.parametrize("stage", ["acute", "recovery", "maintenance"])
def test_every_stage_form_has_its_own_measures(stage):
    assert set(STAGE_MEASURES) <= set(STAGE_FORMS[stage].base_fields)


@pytest.mark.parametrize("stage,label", [("acute", "急性期 入院時 NIHSS"), ("recovery", "回復期 退院時 NIHSS"),
                                         ("maintenance", "維持期・在宅 評価時 NIHSS")])
def test_the_nihss_label_names_its_stage(stage, label):
    assert STAGE_FORMS[stage].base_fields["nihss"].label == label


@pytest.mark.parametrize("stage", ["acute", "recovery", "maintenance"])
def test_no_stage_labels_its_measures_as_at_onset(stage):
    assert not [f.label for f in STAGE_FORMS[stage].base_fields.values() if "発症時" in f.label]


@pytest.mark.parametrize("stage,word", [("acute", "急性期"), ("recovery", "回復期"), ("maintenance", "維持期")])
def test_the_mrs_bi_and_fim_labels_name_their_stage(stage, word):
    fields = STAGE_FORMS[stage].base_fields
    assert all(word in fields[name].label for name in ("mrs", "jcs", "care_level", "barthel_feeding", "fim_memory"))


def test_each_stage_keeps_its_own_nihss_mrs_and_barthel(world, stroke):
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=12, mrs=4))
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=5, mrs=3) | barthel(bathing=5))
    services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage(nihss=2, mrs=2) | barthel(stairs=10))
    stored = {s.stage: (s.content["nihss"], s.content["mrs"], s.content["scores"]["barthel"])
              for s in SheetStage.objects.filter(sheet=stroke)}
    assert stored == {"acute": (12, 4, 75), "recovery": (5, 3, 80), "maintenance": (2, 2, 80)}


def test_each_stage_prints_its_nihss_under_its_own_label(world, stroke):
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=12))
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=5))
    rows = _rows(stroke)
    assert (rows["急性期 入院時 NIHSS"], rows["回復期 退院時 NIHSS"]) == ("12", "5")


def test_a_stage_stores_jcs_swallowing_nutrition_care_level_and_independence(world, stroke):
    content = stroke_stage(jcs="Ⅰ-1", higher_brain=["失語", "注意障害"], swallowing="問題なし", nutrition="経口",
                           care_level="要介護2", independence_physical="A2", independence_dementia="Ⅱa")
    stage = services.answer_stage(sheet=stroke, user=world.physician, content=content)
    kept = {k: stage.content[k] for k in ("jcs", "higher_brain", "nutrition", "care_level", "independence_physical")}
    assert kept == {"jcs": "Ⅰ-1", "higher_brain": ["失語", "注意障害"], "nutrition": "経口", "care_level": "要介護2",
                    "independence_physical": "A2"}


def test_a_jcs_grade_off_the_scale_is_refused(world, stroke):
    with pytest.raises(AppError) as refused:
        services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage(jcs="Ⅳ-400"))
    assert refused.value.fields["jcs"] == ["急性期 退院・転院時 JCS（意識レベル）は一覧から選んでください。"]


def test_no_higher_brain_dysfunction_cannot_be_chosen_with_one(world, stroke):
    with pytest.raises(AppError, match="「なし」と他の障害を同時に選べません"):
        services.answer_stage(sheet=stroke, user=world.physician, content=stroke_stage(higher_brain=["なし", "失語"]))


def test_the_recovery_stage_needs_no_nihss(world, stroke):
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage())
    stage = services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(nihss=None))
    assert "nihss" not in stage.content["scores"]


def test_the_mrs_prints_with_its_grade(world, stroke):
    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage(mrs=4))
    assert _rows(stroke)["急性期 退院・転院時 mRS（modified Rankin Scale）"] == "4 中等度から重度の障害"


def test_a_stage_stored_before_the_new_measures_still_prints(world, stroke):
    old = {"facility_name": "架空総合病院", "started_on": "2025-04-02", "nihss": 12, "mrs": 4, "goals": "座位保持",
           "scores": {"mrs": 4, "nihss": 12, "barthel": 30}} | barthel()
    SheetStage.objects.create(sheet=stroke, position=0, stage="acute", content=old, answered_by=world.liaison)
    titles = [b.title for b in sheet_sections(stroke, stages=list(stroke.stages.all())).blocks]
    assert "急性期：評価" in titles and "急性期：要介護度・日常生活自立度" not in titles


def test_the_sheet_keeps_the_premorbid_mrs_and_secondary_prevention():
    content = stroke_content(premorbid_mrs=1, risk_factor_items=["高血圧", "心房細動"], prevention_drugs=["抗凝固薬"])
    stored = services.validate_content("stroke", content).to_content()
    assert (stored["premorbid_mrs"], stored["risk_factor_items"], stored["prevention_drugs"]) == (
        1, ["高血圧", "心房細動"], ["抗凝固薬"])


def test_a_premorbid_mrs_of_death_is_refused():
    with pytest.raises(AppError, match="発症前 mRS は 0〜5"):
        services.validate_content("stroke", stroke_content(premorbid_mrs=6))


def test_a_sheet_stored_with_risk_factors_as_text_still_validates():
    assert services.validate_content("stroke", stroke_content(risk_factors="心房細動、高血圧")).is_valid()


def test_the_premorbid_mrs_is_not_carried_over_to_the_next_episode():
    assert "premorbid_mrs" in StrokeContent.fresh_fields


def test_the_recovery_stage_page_shows_measures_labelled_for_recovery(world, stroke, login):
    from django.urls import reverse

    services.answer_stage(sheet=stroke, user=world.liaison, content=stroke_stage())
    page = login(world.physician).get(reverse("sheets:stage", args=[stroke.pk])).content.decode()
    assert "回復期 退院時 NIHSS" in page and "回復期 退院時 JCS（意識レベル）" in page
