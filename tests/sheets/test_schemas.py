"""The per-kind content schemas: valid samples pass; bad input gets a Japanese message on the field."""
import pytest

from renkei.core.errors import AppError
from renkei.sheets.schemas import CONTENT_FORMS, STAGE_FORMS
from renkei.sheets.services import validate_content
from tests.sheets.factories import CONTENT, acp_content, dementia_content, discharge_content

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(CONTENT))
def test_each_kinds_sample_content_is_valid(kind):
    assert validate_content(kind, CONTENT[kind]()).is_valid()


@pytest.mark.parametrize("form", list(CONTENT_FORMS.values()) + list(STAGE_FORMS.values()))
def test_every_field_is_printed_in_some_section(form):
    sections = form.all_sections() if hasattr(form, "all_sections") else form.sections
    assert {n for s in sections for n in s.fields} == set(form.base_fields)


@pytest.mark.parametrize("stage", ["acute", "recovery", "maintenance"])
def test_the_stroke_stages_are_distinct_forms_with_their_own_labels(stage):
    others = {s: STAGE_FORMS[s].base_fields["mrs"].label for s in ("acute", "recovery", "maintenance") if s != stage}
    assert STAGE_FORMS[stage].base_fields["mrs"].label not in others.values()


def test_a_dementia_draft_validates_with_dasc_items_blank():
    assert validate_content("dementia", dementia_content(dasc_1=None, dasc_21=None)).is_valid()


def test_a_dementia_sheet_being_finalised_needs_every_dasc_item():
    with pytest.raises(AppError, match="問1、問21"):
        validate_content("dementia", dementia_content(dasc_1=None, dasc_21=None), finalising=True)


def test_the_admission_sheet_has_the_seven_adl_items():
    labels = {f.label for f in CONTENT_FORMS["admission"].base_fields.values()}
    assert {"移動", "移乗", "更衣", "起居", "整容", "入浴", "食事"} <= labels


def test_an_adl_level_outside_the_scale_is_refused():
    with pytest.raises(AppError):
        validate_content("admission", CONTENT["admission"](adl_mobility="ほぼ自立"))


def test_a_patient_without_relatives_needs_the_decision_process():
    with pytest.raises(AppError, match="意思決定の過程"):
        validate_content("acp", acp_content(no_relatives=True))


def test_the_decision_process_of_a_patient_without_relatives_is_recorded():
    form = validate_content("acp", acp_content(no_relatives=True, process_members="医師、MSW、成年後見人",
                                               will_estimation="これまでの発言記録から推定", consensus="緩和ケア中心"))
    assert form.to_content()["no_relatives"] is True


def test_a_conference_held_needs_its_date_and_decisions():
    with pytest.raises(AppError, match="開催日"):
        validate_content("discharge", discharge_content(conference_held=True))


def test_a_discharge_before_admission_is_refused():
    with pytest.raises(AppError, match="退院日が入院日より前"):
        validate_content("discharge", discharge_content(admitted_on="2025-06-10"))


@pytest.mark.parametrize("kind,label", [("admission", "入院日"), ("discharge", "入院（所）日")])
def test_an_admission_in_the_future_is_refused_like_everywhere(kind, label):
    with pytest.raises(AppError, match=f"{label}に未来の日付は入力できません。"):
        validate_content(kind, CONTENT[kind](admitted_on="2030-01-01"))


def test_a_planned_discharge_may_lie_in_the_future():
    assert validate_content("discharge", discharge_content(discharge_on="2030-01-01")).is_valid()


def test_an_unknown_kind_is_refused():
    from renkei.network.services import Refused

    with pytest.raises(Refused):
        validate_content("letter", {})
