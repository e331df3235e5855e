"""On a phone: an お薬手帳 read into the patient's お薬 page, from a photo of its QR code (decoded on the
server) and with the camera (the browser's BarcodeDetector, faked here: headless Chromium has no camera)."""
import json

import pytest

from renkei.medication.models import Dispensing, Source
from tests.e2e.conftest import log_in_as
from tests.e2e.test_network import team  # noqa: F401  (the fixture, shared with the network's test)
from tests.medication import samples

pytestmark = pytest.mark.django_db(transaction=True)

FAKE_CAMERA = """
(() => {
  const parts = %s;
  let next = 0;
  window.BarcodeDetector = class {
    detect() { return Promise.resolve(next < parts.length ? [{ rawValue: parts[next++] }] : []); }
  };
  navigator.mediaDevices.getUserMedia = () => Promise.resolve(new MediaStream());
  HTMLMediaElement.prototype.play = () => Promise.resolve();
})();
"""


def _page(page, live_server, team):  # noqa: F811
    patient, people = team
    log_in_as(page, live_server, *people["nurse"])
    page.goto(f"{live_server.url}/medication/patients/{patient.pk}/")
    return patient


def test_a_photo_of_the_qr_code_fills_the_list(page, live_server, team):  # noqa: F811
    _page(page, live_server, team)
    page.get_by_label("QR コードの写真・JAHIS ファイル").set_input_files(
        files=[{"name": "okusuri.png", "mimeType": "image/png", "buffer": samples.qr_png(samples.single())}])
    page.get_by_role("button", name="お薬手帳を読み取る").click()
    page.wait_for_selector("text=お薬手帳から調剤1件を読み取りました。")
    assert page.get_by_role("table", name="いま飲んでいるお薬").get_by_text("酸化マグネシウム錠330mg").is_visible()


def test_the_camera_reads_every_part_of_a_split_code_and_sends_them(page, live_server, team):  # noqa: F811
    page.add_init_script(FAKE_CAMERA % json.dumps(list(reversed(samples.split()))))
    _page(page, live_server, team)
    page.get_by_role("button", name="カメラで読み取る").click()
    page.wait_for_selector("text=お薬手帳から調剤1件を読み取りました。")
    assert Dispensing.objects.get().source == Source.CAMERA
    assert Dispensing.objects.get().medications.count() == 3


def test_without_barcode_detector_only_the_upload_is_offered(page, live_server, team):  # noqa: F811
    page.add_init_script("delete window.BarcodeDetector;")
    _page(page, live_server, team)
    assert page.locator("#jahis-camera").is_hidden()
    assert page.get_by_label("QR コードの写真・JAHIS ファイル").is_visible()
