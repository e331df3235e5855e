"""A finalised sheet is never edited in place: a correction is a new version, the old one stays readable."""
import pytest
from django.urls import reverse

from renkei.core.errors import AppError
from renkei.network.services import Refused
from renkei.sheets import services
from renkei.sheets.models import Sheet, SheetStatus
from tests.sheets.factories import SheetFactory, admission_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(world):
    return SheetFactory(patient=world.patient, author=world.care_manager)


def test_a_finalised_sheet_cannot_be_edited_through_the_api(client, world, sheet, bearer):
    r = client.put(f"/api/v1/sheets/{sheet.pk}", {"content": admission_content(hospital_name="別の病院")},
                   content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 409 and "確定済みのシートは直接編集できません" in r.json()["detail"]


def test_the_refused_edit_loses_nothing(client, world, sheet, bearer):
    before = dict(sheet.content)
    client.put(f"/api/v1/sheets/{sheet.pk}", {"content": admission_content(hospital_name="別の病院")},
               content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    sheet.refresh_from_db()
    assert sheet.content == before


def test_the_edit_page_of_a_finalised_sheet_sends_back_with_a_message(world, sheet, login):
    r = login(world.care_manager).get(reverse("sheets:edit", args=[sheet.pk]), follow=True)
    assert "確定済みのシートは直接編集できません" in r.content.decode()


def test_posting_an_edit_to_a_finalised_sheet_changes_nothing(world, sheet, login):
    login(world.care_manager).post(reverse("sheets:edit", args=[sheet.pk]), {"hospital_name": "別の病院"})
    sheet.refresh_from_db()
    assert sheet.content["hospital_name"] == "架空総合病院"


def test_a_draft_can_be_edited_by_its_author(world):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    services.update_draft(sheet=draft, user=world.care_manager, content=admission_content(hospital_name="別の病院"))
    draft.refresh_from_db()
    assert draft.content["hospital_name"] == "別の病院"


def test_another_member_cannot_edit_someone_elses_draft(world):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    with pytest.raises(Refused):
        services.update_draft(sheet=draft, user=world.nurse, content=admission_content())


def test_a_correction_is_a_new_draft_version_of_the_same_series(world, sheet):
    new = services.revise(sheet=sheet, user=world.care_manager)
    assert (new.series, new.version, new.status) == (sheet.series, 2, SheetStatus.DRAFT)


def test_the_old_version_stays_readable(world, sheet, login):
    services.revise(sheet=sheet, user=world.care_manager)
    r = login(world.nurse).get(reverse("sheets:detail", args=[sheet.pk]))
    assert r.status_code == 200 and "第1版" in r.content.decode()


def test_only_the_latest_version_can_be_corrected(world, sheet):
    new = services.revise(sheet=sheet, user=world.care_manager)
    services.finalise(sheet=new, user=world.care_manager)
    with pytest.raises(Refused, match="新しい版"):
        services.revise(sheet=sheet, user=world.care_manager)


def test_the_list_marks_a_version_replaced_by_a_finalised_correction(client, world, sheet, bearer):
    services.finalise(sheet=services.revise(sheet=sheet, user=world.care_manager), user=world.care_manager)
    items = client.get(f"/api/v1/patients/{world.patient.pk}/sheets", HTTP_AUTHORIZATION=bearer(world.care_manager)).json()["items"]
    assert {(i["version"], i["superseded"]) for i in items} == {(1, True), (2, False)}


def test_finalising_twice_is_refused(world, sheet):
    with pytest.raises(AppError):
        services.finalise(sheet=sheet, user=world.care_manager)


def test_prefill_takes_the_previous_sheet_of_the_same_kind(world, sheet):
    content = services.prefill(patient=world.patient, kind="admission", author=world.care_manager)
    assert content["medicines"] == sheet.content["medicines"] and content["patient_name"] == world.patient.name


def test_prefill_takes_the_key_person_from_the_patient_record(world):
    from renkei.network.models import FamilyContact

    FamilyContact.objects.create(patient=world.patient, name="武蔵野 一郎", relationship="長男", phone="0422-00-0000",
                                 is_key_person=True)
    content = services.prefill(patient=world.patient, kind="admission", author=world.care_manager)
    assert content["key_person"] == "武蔵野 一郎（長男）"


def test_only_team_members_may_write_a_sheet(world):
    with pytest.raises(Refused):
        services.create_sheet(patient=world.patient, author=world.stranger, kind="admission",
                              content=admission_content())
    assert not Sheet.objects.exists()


def test_prefill_does_not_carry_over_the_previous_admission_date(world, sheet):
    content = services.prefill(patient=world.patient, kind="admission", author=world.care_manager)
    assert "admitted_on" not in content and "hospital_name" not in content


def test_an_acp_record_past_its_review_date_asks_to_be_revisited(world, login):
    from renkei.sheets.models import SheetKind
    from tests.sheets.factories import acp_content

    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.ACP,
                         content=acp_content(review_on="2025-05-01"))
    page = login(world.physician).get(reverse("sheets:detail", args=[sheet.pk])).content.decode()
    assert "見直しの予定日" in page


def test_only_the_latest_version_asks_to_be_revisited(world):
    import datetime

    from renkei.sheets.models import SheetKind
    from tests.sheets.factories import acp_content

    sheet = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.ACP,
                         content=acp_content(review_on="2025-05-01"))
    today = datetime.date(2025, 6, 1)
    assert services.review_due(sheet, latest=True, today=today)
    assert not services.review_due(sheet, latest=False, today=today)


def test_the_author_discards_a_draft(world, login):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    login(world.care_manager).post(reverse("sheets:discard", args=[draft.pk]))
    assert not Sheet.objects.filter(pk=draft.pk).exists()


def test_a_finalised_sheet_cannot_be_discarded(world, sheet, login):
    r = login(world.care_manager).post(reverse("sheets:discard", args=[sheet.pk]), follow=True)
    assert Sheet.objects.filter(pk=sheet.pk).exists() and "削除できません" in r.content.decode()


def test_another_member_cannot_discard_a_draft(world):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    with pytest.raises(Refused):
        services.discard_draft(sheet=draft, user=world.nurse)
