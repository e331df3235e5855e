"""Done when: as the care manager an admission sheet is written, sent to a hospital, received by its
liaison office (which sees nothing else of the patient), printed as a Japanese PDF, exported as valid FHIR."""
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from renkei.network.models import Post, PostKind
from renkei.sheets.models import Sheet, SheetStatus
from tests.factories import verify_client
from tests.sheets.factories import admission_content

pytestmark = pytest.mark.django_db


def _form_data(content):
    data = {}
    for key, value in content.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = value
    return data


@pytest.fixture
def sent(world, login):
    """The care manager writes, finalises and sends an admission sheet through the pages."""
    client = login(world.care_manager)
    client.post(reverse("sheets:create", args=[world.patient.pk, "admission"]), _form_data(admission_content()))
    sheet = Sheet.objects.get()
    client.post(reverse("sheets:finalise", args=[sheet.pk]))
    client.post(reverse("sheets:send", args=[sheet.pk]), {"facility": world.hospital.pk})
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def liaison_client(world):
    return verify_client(Client(), world.liaison)


def test_the_care_manager_writes_a_draft_prefilled_from_the_patient_record(world, login):
    r = login(world.care_manager).get(reverse("sheets:create", args=[world.patient.pk, "admission"]))
    assert r.status_code == 200 and world.patient.name in r.content.decode()


def test_the_sheet_is_finalised_and_sent(sent, world):
    assert sent.status == SheetStatus.FINALISED and sent.deliveries.get().facility == world.hospital


def test_sending_posts_a_notice_on_the_timeline(sent, world):
    notice = Post.objects.get(patient=world.patient, kind=PostKind.NOTICE)
    assert "入院時情報連携シート" in notice.body and world.hospital.name in notice.body


def test_the_liaison_office_reads_the_sheet(sent, liaison_client):
    r = liaison_client.get(reverse("sheets:detail", args=[sent.pk]))
    assert r.status_code == 200 and "受領を確認する" in r.content.decode()


def test_the_liaison_office_confirms_receipt_and_the_sender_sees_when(sent, world, liaison_client, login):
    liaison_client.post(reverse("sheets:receipt", args=[sent.pk]))
    page = login(world.care_manager).get(reverse("sheets:detail", args=[sent.pk])).content.decode()
    assert sent.deliveries.get().received_by == world.liaison and str(world.liaison) in page and "未確認" not in page


def test_confirming_receipt_twice_is_refused_with_a_message(sent, liaison_client):
    liaison_client.post(reverse("sheets:receipt", args=[sent.pk]))
    r = liaison_client.post(reverse("sheets:receipt", args=[sent.pk]), follow=True)
    assert "既に受領確認済みです" in r.content.decode()


@pytest.mark.parametrize("name", ["network:timeline", "network:profile", "network:team", "sheets:patient_sheets"])
def test_the_liaison_office_sees_nothing_else_of_the_patient(sent, world, liaison_client, name):
    assert liaison_client.get(reverse(name, args=[world.patient.pk])).status_code == 404


def test_the_liaison_office_does_not_see_the_patients_other_sheets(sent, world, liaison_client, login):
    other = Sheet.objects.create(patient=world.patient, kind="acp", author=world.care_manager, content={},
                                 document_date=sent.document_date, status=SheetStatus.FINALISED)
    assert liaison_client.get(reverse("sheets:detail", args=[other.pk])).status_code == 404


def test_the_pdf_is_a4_with_extractable_japanese_text(sent, liaison_client):
    r = liaison_client.get(reverse("sheets:pdf", args=[sent.pk]))
    reader = PdfReader(io.BytesIO(r.content))
    text = "".join(page.extract_text() for page in reader.pages)
    box = reader.pages[0].mediabox
    assert r["Content-Type"] == "application/pdf"
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "入院時情報提供書" in text and "試験 花子" in text
    assert "アムロジピン" in text


def test_the_pdf_uses_the_builtin_japanese_cid_fonts(sent, liaison_client):
    body = liaison_client.get(reverse("sheets:pdf", args=[sent.pk])).content
    assert b"HeiseiKakuGo-W5" in body and b"HeiseiMin-W3" in body


def test_the_fhir_export_is_a_document_bundle_that_validates(sent, liaison_client):
    r = liaison_client.get(reverse("sheets:fhir", args=[sent.pk]))
    bundle = Bundle.model_validate(json.loads(r.content))
    composition = bundle.entry[0].resource
    assert bundle.type == "document" and composition.__resource_type__ == "Composition"
    # the care manager's sheet: a plain transfer summary, no JP-CLINS 診療情報提供書 (a physician's document)
    assert composition.type.coding[0].code == "18761-7" and not composition.category


def test_the_liaison_office_cannot_open_the_send_page_which_lists_the_team(sent, liaison_client):
    assert liaison_client.get(reverse("sheets:send", args=[sent.pk])).status_code == 404
