"""QR codes of お薬手帳 read from images (renkei/medication/qr.py, zxing-cpp): images made here with `qrcode`
from the JAHIS samples, in Shift_JIS as pharmacies print them, decoded back to the same text."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.medication import qr
from tests.medication import samples


def upload(data, name="okusuri.png"):
    return SimpleUploadedFile(name, data)


def test_a_shift_jis_qr_code_is_read_back_to_its_text():
    text = samples.single()
    read = qr.read_uploads([upload(samples.qr_png(text))])
    assert read.texts == [text] and read.images == 1 and read.problems == []


def test_a_utf8_qr_code_is_read_too():
    text = samples.kana_full_width()
    assert qr.read_uploads([upload(samples.qr_png(text, "utf-8"))]).texts == [text]


def test_the_parts_of_a_split_code_in_one_photo_are_all_read():
    parts = samples.split()
    images = [Image.open(io.BytesIO(samples.qr_png(p))) for p in parts]
    sheet = Image.new("L", (sum(i.width for i in images) + 40, max(i.height for i in images)), 255)
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 20
    out = io.BytesIO()
    sheet.convert("RGB").save(out, format="JPEG", quality=90)
    assert sorted(qr.read_uploads([upload(out.getvalue(), "photo.jpg")]).texts) == sorted(parts)


def test_a_large_rotated_photo_is_read():
    image = Image.open(io.BytesIO(samples.qr_png(samples.single()))).convert("RGB").resize((3000, 3000))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # the phone held sideways: the image is to be turned on display
    image.rotate(90, expand=True).save(out, format="JPEG", exif=exif)
    assert qr.read_uploads([upload(out.getvalue(), "big.jpg")]).texts == [samples.single()]


def test_an_image_without_a_qr_code_is_a_problem():
    out = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(out, format="PNG")
    read = qr.read_uploads([upload(out.getvalue(), "blank.png")])
    assert read.texts == [] and read.problems == [
        "「blank.png」から QR コードを読み取れませんでした。QR コード全体が明るく、ピントが合って写るように撮り直してください。"]


def test_a_broken_image_is_a_problem():
    data = samples.qr_png(samples.single())[:200]
    assert qr.read_uploads([upload(data, "cut.png")]).problems == [
        "「cut.png」は画像として読めません（壊れているか、画素数が大きすぎます）。"]


def test_a_jahis_text_file_is_read_in_shift_jis():
    read = qr.read_uploads([upload(samples.many().encode("cp932"), "okusuri.csv")])
    assert read.texts == [samples.many()] and read.images == 0


def test_a_file_in_another_encoding_is_a_problem():
    read = qr.read_uploads([upload("JAHISTC08,1\r\n".encode("utf-16"), "u16.txt")])
    assert read.problems == ["「u16.txt」の文字コードを読めません（Shift_JIS か UTF-8 のテキストにしてください）。"]


def test_an_empty_and_a_too_large_file_are_problems(settings):
    settings.MAX_UPLOAD_MB = 1
    read = qr.read_uploads([upload(b"", "empty.txt"), upload(b"1" * (1024 * 1024 + 1), "big.txt")])
    assert read.problems == ["「empty.txt」は空のファイルです。", "「big.txt」は大きすぎます（上限 1 MB）。"]
