"""Reading uploads: a photo or image of お薬手帳 QR codes (decoded here with zxing-cpp), or a JAHIS text file.

Photos from phones are large; they are checked by their header first (pixel count), decoded at a reduced
size and turned by their EXIF orientation before zxing-cpp looks for QR codes. A QR code's bytes are
Shift_JIS (the JAHIS format) or UTF-8; `jahis.decode_bytes` reads both.
"""
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import filetype
import zxingcpp
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from .jahis import decode_bytes

register_heif_opener()
DECODE_SIDE = 2400  # zxing-cpp finds a QR code of an お薬手帳 photo at this size; larger only costs time
MAX_FILES = 16


@dataclass
class Read:
    """The texts read from the uploads, whether any was an image, and the problems (one a file)."""

    texts: list[str] = field(default_factory=list)
    images: int = 0
    problems: list[str] = field(default_factory=list)


def qr_texts(image: Image.Image) -> list[str | None]:
    """The contents of every QR code in the image (None for one whose bytes are neither UTF-8 nor Shift_JIS)."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    return [decode_bytes(bytes(code.bytes)) for code in found if code.valid]


def _image(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit is checked next
        image: Image.Image = Image.open(io.BytesIO(data))
    if image.size[0] * image.size[1] > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise ValueError("too many pixels")
    image.draft("L", (DECODE_SIDE, DECODE_SIDE))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((DECODE_SIDE, DECODE_SIDE))
    return image.convert("L")


def read_uploads(uploads: list[UploadedFile]) -> Read:
    """Every upload read: an image gives the texts of its QR codes, any other file is a JAHIS text."""
    read = Read()
    if len(uploads) > MAX_FILES:
        read.problems.append(f"ファイルは一度に{MAX_FILES}個までです。")
        return read
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    for upload in uploads:
        name = Path(upload.name or "file").name[:100]
        data = upload.read(limit + 1)
        if len(data) > limit:
            read.problems.append(f"「{name}」は大きすぎます（上限 {settings.MAX_UPLOAD_MB} MB）。")
        elif not data:
            read.problems.append(f"「{name}」は空のファイルです。")
        elif (filetype.guess_mime(data) or "").startswith("image/"):
            read.images += 1
            _read_image(name, data, read)
        else:
            text = decode_bytes(data)
            if text is None:
                read.problems.append(f"「{name}」の文字コードを読めません（Shift_JIS か UTF-8 のテキストにしてください）。")
            else:
                read.texts.append(text)
    return read


def _read_image(name: str, data: bytes, read: Read) -> None:
    try:
        texts = qr_texts(_image(data))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        read.problems.append(f"「{name}」は画像として読めません（壊れているか、画素数が大きすぎます）。")
        return
    if not texts:
        read.problems.append(f"「{name}」から QR コードを読み取れませんでした。QR コード全体が明るく、"
                             "ピントが合って写るように撮り直してください。")
    for text in texts:
        if text is None:
            read.problems.append(f"「{name}」の QR コードの文字コードを読めません（Shift_JIS か UTF-8）。")
        else:
            read.texts.append(text)
