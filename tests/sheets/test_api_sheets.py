"""The CONTRACT sheet operations: a patient's sheets, one sheet as PDF and as FHIR; the same access rule."""
import io
import json

import pytest
from django.urls import resolve
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from renkei.core.models import AuditEvent
from renkei.network.models import MemberStatus
from renkei.sheets.models import SheetDelivery, SheetKind, SheetStatus
from tests.sheets.factories import SheetFactory, admission_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(world):
    return SheetFactory(patient=world.patient, author=world.care_manager)


def test_it_lists_a_patients_sheets_with_count_and_items(client, world, sheet, bearer):
    r = client.get(f"/api/v1/patients/{world.patient.pk}/sheets", HTTP_AUTHORIZATION=bearer(world.nurse))
    body = r.json()
    assert body["count"] == 1 and {"id", "kind", "status", "created_at"} <= set(body["items"][0])


def test_the_list_is_paginated_with_limit_and_offset(client, world, bearer):
    SheetFactory.create_batch(3, patient=world.patient, author=world.care_manager)
    r = client.get(f"/api/v1/patients/{world.patient.pk}/sheets?limit=2&offset=2", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.json()["count"] == 3 and len(r.json()["items"]) == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_takes_the_same_number_of_queries_for_2_and_20_sheets(client, world, bearer, rows,
                                                                        django_assert_num_queries, audit_queries):
    SheetFactory.create_batch(rows, patient=world.patient, author=world.care_manager)
    auth = bearer(world.care_manager)
    with django_assert_num_queries(4 + audit_queries):
        client.get(f"/api/v1/patients/{world.patient.pk}/sheets", HTTP_AUTHORIZATION=auth)


@pytest.mark.parametrize("who", ["stranger", "liaison"])
def test_a_patient_the_caller_may_not_see_answers_404(client, world, sheet, bearer, who):
    r = client.get(f"/api/v1/patients/{world.patient.pk}/sheets", HTTP_AUTHORIZATION=bearer(getattr(world, who)))
    assert r.status_code == 404 and r.json() == {"detail": "見つかりません。"}


def test_a_missing_patient_answers_the_same_404(client, world, bearer):
    r = client.get("/api/v1/patients/999999/sheets", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 404 and r.json() == {"detail": "見つかりません。"}


def test_a_removed_member_gets_404(client, world, sheet, bearer):
    world.patient.team_members.filter(user=world.nurse).update(status=MemberStatus.REMOVED)
    assert client.get(f"/api/v1/sheets/{sheet.pk}", HTTP_AUTHORIZATION=bearer(world.nurse)).status_code == 404


@pytest.mark.parametrize("suffix", ["", "/pdf", "/fhir"])
def test_another_teams_member_gets_404_on_a_sheet(client, world, sheet, bearer, suffix):
    assert client.get(f"/api/v1/sheets/{sheet.pk}{suffix}", HTTP_AUTHORIZATION=bearer(world.stranger)).status_code == 404


def test_a_forged_sheet_id_gets_404(client, world, bearer):
    assert client.get("/api/v1/sheets/abc/pdf", HTTP_AUTHORIZATION=bearer(world.care_manager)).status_code == 404


def test_without_a_token_the_api_answers_401(client, sheet):
    assert client.get(f"/api/v1/sheets/{sheet.pk}/pdf").status_code == 401


def test_the_pdf_endpoint_returns_an_a4_pdf(client, world, sheet, bearer):
    r = client.get(f"/api/v1/sheets/{sheet.pk}/pdf", HTTP_AUTHORIZATION=bearer(world.care_manager))
    page = PdfReader(io.BytesIO(r.content)).pages[0]
    assert r["Content-Type"] == "application/pdf" and round(float(page.mediabox.width)) == 595


def test_the_fhir_endpoint_returns_a_valid_document_bundle(client, world, sheet, bearer):
    r = client.get(f"/api/v1/sheets/{sheet.pk}/fhir", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert Bundle.model_validate(json.loads(r.content)).type == "document"


def test_downloads_and_exports_are_audited(client, world, sheet, bearer):
    auth = bearer(world.care_manager)
    client.get(f"/api/v1/sheets/{sheet.pk}/pdf", HTTP_AUTHORIZATION=auth)
    client.get(f"/api/v1/sheets/{sheet.pk}/fhir", HTTP_AUTHORIZATION=auth)
    actions = set(AuditEvent.objects.filter(object_id=str(sheet.pk), patient_id=str(world.patient.pk))
                  .values_list("action", flat=True))
    assert {"download", "export"} <= actions


def test_a_denied_sheet_is_audited(client, world, sheet, bearer):
    client.get(f"/api/v1/sheets/{sheet.pk}", HTTP_AUTHORIZATION=bearer(world.stranger))
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.stranger).exists()


def test_the_liaison_office_reads_a_sheet_sent_to_it(client, world, sheet, bearer):
    SheetDelivery.objects.create(sheet=sheet, facility=world.hospital, sent_by=world.care_manager)
    assert client.get(f"/api/v1/sheets/{sheet.pk}/fhir", HTTP_AUTHORIZATION=bearer(world.liaison)).status_code == 200


def test_the_liaison_office_does_not_see_a_draft_even_if_delivered(client, world, bearer):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    SheetDelivery.objects.create(sheet=draft, facility=world.hospital, sent_by=world.care_manager)
    assert client.get(f"/api/v1/sheets/{draft.pk}", HTTP_AUTHORIZATION=bearer(world.liaison)).status_code == 404


def test_a_sheet_is_written_and_finalised_through_the_api(client, world, bearer):
    auth = bearer(world.care_manager)
    created = client.post(f"/api/v1/patients/{world.patient.pk}/sheets", {"kind": "admission",
                          "content": admission_content()}, content_type="application/json", HTTP_AUTHORIZATION=auth)
    done = client.post(f"/api/v1/sheets/{created.json()['id']}/finalise", HTTP_AUTHORIZATION=auth)
    assert created.status_code == 201 and done.json()["status"] == "finalised"


def test_an_unknown_kind_is_422(client, world, bearer):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/sheets", {"kind": "nonsense", "content": {}},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 422


def test_invalid_content_is_422_with_a_japanese_message(client, world, bearer):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/sheets",
                    {"kind": "admission", "content": admission_content(hospital_name="")},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 422 and "入力内容を確認してください" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize("path", ["/api/v1/patients", "/api/v1/patients/{id}", "/api/v1/patients/{id}/posts",
                                  "/api/v1/patients/{id}/sheets"])
def test_the_network_routes_and_the_sheet_routes_both_answer(client, world, bearer, path):
    r = client.get(path.format(id=world.patient.pk), HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 200


def test_the_sheet_paths_resolve_beside_the_network_paths(world):
    sheets = resolve(f"/api/v1/patients/{world.patient.pk}/sheets")
    network = resolve(f"/api/v1/patients/{world.patient.pk}")
    assert sheets.func is not network.func and resolve("/api/v1/sheets/1/pdf") and resolve("/api/v1/sheets/1/fhir")


def test_the_kinds_listed_by_the_api_are_the_six_kinds():
    assert len(SheetKind.values) == 6


def test_the_openapi_document_lists_the_sheet_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/patients/{patient_id}/sheets", "/api/v1/sheets/{sheet_id}/pdf",
            "/api/v1/sheets/{sheet_id}/fhir"} <= set(paths)


def test_the_liaison_inbox_lists_sheets_sent_to_its_hospital(client, world, sheet, bearer):
    SheetDelivery.objects.create(sheet=sheet, facility=world.hospital, sent_by=world.care_manager)
    body = client.get("/api/v1/sheets/received", HTTP_AUTHORIZATION=bearer(world.liaison)).json()
    assert body["count"] == 1 and body["items"][0]["id"] == sheet.pk


def test_a_team_member_has_an_empty_inbox(client, world, sheet, bearer):
    assert client.get("/api/v1/sheets/received", HTTP_AUTHORIZATION=bearer(world.care_manager)).json()["count"] == 0


def test_receipt_through_the_api_tells_who_and_when(client, world, sheet, bearer):
    from renkei.sheets import services

    services.send(sheet=sheet, user=world.care_manager, facility=world.hospital)
    r = client.post(f"/api/v1/sheets/{sheet.pk}/receipt", HTTP_AUTHORIZATION=bearer(world.liaison))
    assert r.status_code == 200 and r.json()["received_by"] == str(world.liaison) and r.json()["received_at"]


def test_a_stage_is_answered_through_the_api(client, world, bearer):
    from renkei.sheets import services
    from tests.sheets.factories import stroke_stage

    stroke = SheetFactory(patient=world.patient, author=world.physician, kind=SheetKind.STROKE)
    services.send(sheet=stroke, user=world.physician, addressees=[world.care_manager])
    r = client.post(f"/api/v1/sheets/{stroke.pk}/stages", {"content": stroke_stage()},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.physician))
    assert r.status_code == 201 and r.json()["next_stage"] == "recovery"
    assert r.json()["stages"][0]["content"]["scores"]["barthel"] == 75


@pytest.mark.parametrize("sheet_id", ["99999999999999999999999", "-1", "1.5"])  # NUL: tests/core/test_hostile_input.py
def test_odd_sheet_ids_are_404_not_500(client, world, bearer, sheet_id):
    r = client.get(f"/api/v1/sheets/{sheet_id}/fhir", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 404


def test_content_of_the_wrong_shape_is_422_not_500(client, world, bearer):
    r = client.post(f"/api/v1/patients/{world.patient.pk}/sheets",
                    {"kind": "admission", "content": admission_content(provided_on={"x": [1]}, procedures="酸素療法")},
                    content_type="application/json", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 422


def test_deleting_a_finalised_sheet_is_409_and_keeps_it(client, world, sheet, bearer):
    r = client.delete(f"/api/v1/sheets/{sheet.pk}", HTTP_AUTHORIZATION=bearer(world.care_manager))
    assert r.status_code == 409 and "削除できません" in r.json()["detail"]


def test_a_draft_is_discarded_through_the_api(client, world, bearer):
    draft = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    assert client.delete(f"/api/v1/sheets/{draft.pk}", HTTP_AUTHORIZATION=bearer(world.care_manager)).status_code == 204


@pytest.mark.parametrize("sent_to", [1, 3])
@pytest.mark.parametrize("status", [SheetStatus.FINALISED, SheetStatus.DRAFT])
def test_the_fhir_export_takes_a_fixed_number_of_queries_whatever_it_was_sent_to(
        client, world, bearer, sent_to, status, django_assert_num_queries, audit_queries):
    from tests.factories import FacilityFactory

    sheet = SheetFactory(patient=world.patient, author=world.care_manager, author_facility=world.office, status=status)
    for facility in FacilityFactory.create_batch(sent_to, kind="hospital"):
        SheetDelivery.objects.create(sheet=sheet, facility=facility, sent_by=world.care_manager)
    auth = bearer(world.care_manager)
    queries = 4 if status == SheetStatus.FINALISED else 5  # a draft also reads the patient's safety record
    with django_assert_num_queries(queries + audit_queries):
        r = client.get(f"/api/v1/sheets/{sheet.pk}/fhir", HTTP_AUTHORIZATION=auth)
    assert r.status_code == 200
