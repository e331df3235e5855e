"""Demo data of the medication list (RENKEI_DEMO=1, after the network demo): the first demo patient's お薬手帳,
two dispensings printed as two split QR codes, read through the real path (QR images made here, decoded by
zxing-cpp, read as JAHIS, stored with a timeline notice). Idempotent: a patient with a list is left alone.
"""
import datetime
import io

import qrcode
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.core.models import User
from renkei.network.selectors import patients_visible_to

from . import qr, services
from .models import Dispensing, Source


def demo_parts(patient, today: datetime.date) -> list[str]:
    """The JAHIS text of the demo お薬手帳, split over two QR codes (分割制御レコード 911)."""
    kana = patient.name_kana
    head = "JAHISTC08,1"
    first = [
        f"1,{patient.name},2,{patient.birth_date:%Y%m%d},,,,,,,{kana}",
        f"5,{today - datetime.timedelta(days=12):%Y%m%d},1",
        "11,（架空）むさしの中央薬局,13,4,1299999,1800000,東京都武蔵野市（架空の所在地）,0422-00-0000,1",
        "15,薬剤 デモ子,,1",
        "51,（架空）みどりの森在宅クリニック,13,1,1399999,1",
        "55,往診 デモ医,内科,1",
        "201,1,アムロジピン錠５ｍｇ,1,錠,2,610463147,1",
        "201,1,酸化マグネシウム錠３３０ｍｇ,2,錠,2,620002477,1",
        "301,1,1日1回朝食後,28,日分,1,,,1",
        "201,2,ロキソプロフェンナトリウム錠６０ｍｇ,1,錠,2,620098801,1",
        "301,2,痛い時（1日3回まで）,10,回分,3,,,1",
        "291,2,空腹時を避けて飲んでください。,1",
        "421,前回分の残薬なし,1",
    ]
    second = [
        f"5,{today - datetime.timedelta(days=40):%Y%m%d},1",
        "11,（架空）むさしの中央薬局,13,4,1299999,1800000,東京都武蔵野市（架空の所在地）,0422-00-0000,1",
        "51,（架空）むさしの中央病院,13,1,1388888,1",
        "55,整形 デモ医,整形外科,1",
        "201,1,エルデカルシトールカプセル０．７５μｇ,1,カプセル,2,622085601,1",
        "301,1,1日1回朝食後,56,日分,1,,,1",
        "201,2,モーラステープＬ４０ｍｇ,1,枚,2,620004856,1",
        "301,2,1日1回 腰に貼付,28,枚,5,,,1",
        "311,2,入浴後に貼ってください,1",
    ]
    data_id = f"{today:%Y%m%d}0001"
    return ["\r\n".join([head, f"911,{data_id},2,{index}", *lines]) + "\r\n"
            for index, lines in enumerate((first, second), start=1)]


def qr_png(text: str) -> bytes:
    """A QR code image of a JAHIS text, in Shift_JIS as a pharmacy prints it."""
    image = qrcode.make(text.encode("cp932"), error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(stdout=None):
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    reader = User.objects.filter(username="nurse").first()
    patient = (patients_visible_to(reader).filter(is_fictional=True).order_by("id").first()
               if reader else None)
    if patient is None:
        if stdout:
            stdout.write("medication demo skipped: no demo patient of the nurse")
        return
    if Dispensing.objects.filter(patient=patient).exists():
        return
    # Printed in the reverse order on purpose: the reader puts the parts back by their 911 record.
    images = [SimpleUploadedFile(f"okusuri-{i}.png", qr_png(text), content_type="image/png")
              for i, text in enumerate(reversed(demo_parts(patient, timezone.localdate())), start=1)]
    read = qr.read_uploads(images)
    result = services.import_jahis(user=reader, patient=patient, texts=read.texts, source=Source.IMAGE,
                                   problems=read.problems)
    if stdout:
        stdout.write(f"medication demo: {len(result.created)} dispensings read from QR codes for {patient}")
