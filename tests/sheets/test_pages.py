"""The sheet pages: second factor first, fixed query counts, the liaison office's inbox."""
import pytest
from django.urls import reverse

from renkei.sheets import services
from renkei.sheets.models import SheetKind
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,args", [("sheets:index", []), ("sheets:backbed_index", []),
                                       ("sheets:dementia_index", [])])
def test_pages_need_the_second_factor(world, login, name, args):
    r = login(world.care_manager, verified=False).get(reverse(name, args=args))
    assert r.status_code == 302 and "otp" in r["Location"]


def test_a_sheet_needs_the_second_factor(world, login):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    assert login(world.care_manager, verified=False).get(reverse("sheets:pdf", args=[sheet.pk])).status_code == 302


@pytest.mark.parametrize("rows", [2, 20])
def test_my_sheets_take_a_fixed_number_of_queries(world, login, rows, django_assert_num_queries, audit_queries):
    SheetFactory.create_batch(rows, patient=world.patient, author=world.care_manager)
    client = login(world.care_manager)
    with django_assert_num_queries(10 + audit_queries):
        client.get(reverse("sheets:index"))


@pytest.mark.parametrize("rows", [2, 20])
def test_a_patients_sheets_take_a_fixed_number_of_queries(world, login, rows, django_assert_num_queries, audit_queries):
    SheetFactory.create_batch(rows, patient=world.patient, author=world.care_manager)
    client = login(world.care_manager)
    with django_assert_num_queries(11 + audit_queries):  # 11: the allergies/infections record
        client.get(reverse("sheets:patient_sheets", args=[world.patient.pk]))


def test_the_index_links_to_my_patients_sheet_pages_only(world, login):
    page = login(world.care_manager).get(reverse("sheets:index")).content.decode()
    assert reverse("sheets:patient_sheets", args=[world.patient.pk]) in page
    assert reverse("sheets:patient_sheets", args=[world.other_patient.pk]) not in page


def test_the_patients_sheet_page_offers_every_kind(world, login):
    page = login(world.care_manager).get(reverse("sheets:patient_sheets", args=[world.patient.pk])).content.decode()
    assert all(label in page for label in SheetKind.labels)


def test_the_liaison_inbox_lists_received_sheets_only(world, login):
    sent = SheetFactory(patient=world.patient, author=world.care_manager)
    services.send(sheet=sent, user=world.care_manager, facility=world.hospital)
    SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.ACP)
    page = login(world.liaison).get(reverse("sheets:index")).content.decode()
    assert "医療連携室に届いたシート" in page and "入院時情報連携シート" in page and "意思決定支援" not in page


def test_the_sheet_page_shows_its_versions(world, login):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager)
    new = services.revise(sheet=sheet, user=world.care_manager)
    page = login(world.care_manager).get(reverse("sheets:detail", args=[new.pk])).content.decode()
    assert "版の履歴" in page and "第2版（表示中）" in page


def test_an_invalid_content_form_is_answered_400_with_the_message_next_to_the_field(world, login):
    r = login(world.care_manager).post(reverse("sheets:create", args=[world.patient.pk, "acp"]),
                             {"patient_name": "x", "patient_birth_date": "1940-01-01"})
    assert r.status_code == 400 and "話し合いの日を入力してください。" in r.content.decode()


def test_an_invalid_content_form_lists_every_problem_in_a_summary_linked_to_the_fields(world, login):
    r = login(world.care_manager).post(reverse("sheets:create", args=[world.patient.pk, "acp"]),
                             {"patient_name": "x", "patient_birth_date": "1940-01-01"})
    page = r.content.decode()
    assert "入力内容を確認してください" in page and '<a href="#id_discussed_on">話し合いの日を入力してください。</a>' in page


def test_an_unknown_kind_is_404(world, login):
    assert login(world.care_manager).get(reverse("sheets:create", args=[world.patient.pk, "letter"])).status_code == 404


def test_another_teams_member_cannot_open_the_new_sheet_page(world, login):
    r = login(world.stranger).get(reverse("sheets:create", args=[world.patient.pk, "admission"]))
    assert r.status_code == 404


@pytest.mark.parametrize("name", ["sheets:detail", "sheets:send", "sheets:edit", "sheets:pdf", "sheets:fhir"])
def test_every_page_that_shows_a_sheet_writes_an_audit_row(world, login, name):
    from renkei.core.models import AuditEvent
    from renkei.sheets.models import SheetStatus

    status = SheetStatus.DRAFT if name == "sheets:edit" else SheetStatus.FINALISED
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, status=status)
    login(world.care_manager).get(reverse(name, args=[sheet.pk]))
    assert AuditEvent.objects.filter(actor=world.care_manager, object_id=str(sheet.pk), patient_id=str(world.patient.pk)).exists()


@pytest.mark.parametrize("kind", SheetKind.values)
def test_every_kind_is_written_through_its_page(world, login, kind):
    from renkei.sheets.models import Sheet
    from tests.sheets.factories import CONTENT

    client = login(world.nurse)
    assert client.get(reverse("sheets:create", args=[world.patient.pk, kind])).status_code == 200
    data = {}
    for key, value in CONTENT[kind]().items():
        if value is True:
            data[key] = "on"
        elif value is not False:
            data[key] = value
    r = client.post(reverse("sheets:create", args=[world.patient.pk, kind]), data)
    assert r.status_code == 302 and Sheet.objects.get().kind == kind


@pytest.mark.parametrize("kind", [SheetKind.STROKE, SheetKind.DEMENTIA])
def test_the_stage_page_of_each_route_kind_opens(world, login, kind):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=kind)
    assert login(world.care_manager).get(reverse("sheets:stage", args=[sheet.pk])).status_code == 200
