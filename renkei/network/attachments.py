"""Safe attachments: type by content (JPEG, PNG, HEIC, PDF), size and pixel limits, images re-encoded without metadata.

Images are sized from their header before anything is decoded: one over `UPLOAD_MAX_IMAGE_PIXELS`, or a
post whose images add up to more than `UPLOAD_MAX_PIXELS_PER_REQUEST`, is refused without decoding.
Accepted images are decoded one at a time and scaled down at once to `UPLOAD_MAX_IMAGE_SIDE` (a JPEG is
decoded at a reduced scale when it is much larger), so a worker's memory is bounded by one image.
"""
import hashlib
import io
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from renkei.core import storage
from renkei.core.models import User

from .models import Attachment, AttachmentKind, Group, Patient, Post

# Phones' HEIC/HEIF photos are decoded with pillow-heif and stored as JPEG.
register_heif_opener()
# Pillow's own bomb check, for any image opened elsewhere; uploads are checked against the setting first.
Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
ALLOWED = {
    "image/jpeg": ("jpg", AttachmentKind.IMAGE),
    "image/png": ("png", AttachmentKind.IMAGE),
    "image/heic": ("jpg", AttachmentKind.IMAGE),
    "image/heif": ("jpg", AttachmentKind.IMAGE),
    "application/pdf": ("pdf", AttachmentKind.PDF),
}
THUMBNAIL_SIZE = (480, 480)
# Modes resized band by band (a palette image keeps Pillow's own resize, which keeps its palette).
BANDED_MODES = {"RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"}
BAND_ROWS = 256
MAX_FILES_PER_POST = 6


class AttachmentRefused(Exception):
    """A file that is not accepted; the message says why, in Japanese."""


@dataclass
class PreparedFile:
    """A checked, re-encoded file held in memory until the post that carries it is saved."""

    original_name: str
    content_type: str
    kind: str
    extension: str
    data: bytes
    thumbnail: bytes = b""
    width: int | None = None
    height: int | None = None


@dataclass
class _Checked:
    """An upload read and typed by its content; an image's pixel count read from its header."""

    name: str
    data: bytes
    mime: str
    pixels: int = 0


def _read_limited(upload: UploadedFile) -> tuple[str, bytes]:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    name = Path(getattr(upload, "name", "") or "file").name[:200]
    if getattr(upload, "size", 0) and upload.size > limit:
        raise AttachmentRefused(f"「{name}」は大きすぎます（上限 {settings.MAX_UPLOAD_MB} MB）。")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRefused(f"「{name}」は大きすぎます（上限 {settings.MAX_UPLOAD_MB} MB）。")
    if not data:
        raise AttachmentRefused(f"「{name}」は空のファイルです。")
    return name, data


def _broken(name: str) -> AttachmentRefused:
    return AttachmentRefused(f"「{name}」は壊れているか途中で切れた画像のため添付できません。")


def _megapixels(pixels: int) -> str:
    return f"{pixels // 10_000:,}万画素"


def _too_many_pixels(name: str, size: tuple[int, int] | None = None) -> AttachmentRefused:
    found = f"{size[0]}×{size[1]}、" if size else ""
    return AttachmentRefused(
        f"「{name}」は画素数が大きすぎます（{found}1枚 {_megapixels(settings.UPLOAD_MAX_IMAGE_PIXELS)}まで）。"
        "縮小してから添付してください。"
    )


def _header_pixels(name: str, data: bytes) -> int:
    """Width × height from the image header only (Pillow opens lazily); nothing is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit is checked below
            with Image.open(io.BytesIO(data)) as probe:
                size = probe.size
                probe.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels(name)
    except (OSError, SyntaxError, ValueError):
        raise _broken(name)
    if size[0] * size[1] > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise _too_many_pixels(name, size)
    return size[0] * size[1]


def _scaled_size(size: tuple[int, int], longest: int) -> tuple[int, int]:
    width, height = size
    ratio = min(1.0, longest / max(width, height))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _decode_bounded(data: bytes) -> Image.Image:
    """The image decoded and scaled to fit UPLOAD_MAX_IMAGE_SIDE; full-size pixels are freed at once."""
    image = Image.open(io.BytesIO(data))
    target = _scaled_size(image.size, settings.UPLOAD_MAX_IMAGE_SIDE)
    # A JPEG much larger than the target is decoded at 1/2, 1/4 or 1/8 scale: far less memory and time.
    image.draft("RGB", target)
    image.load()
    if image.size == target:
        return image
    scaled = _resize_in_bands(image, target) if image.mode in BANDED_MODES else image.resize(target)
    image.close()
    return scaled


def _resize_in_bands(image: Image.Image, target: tuple[int, int]) -> Image.Image:
    """Resize a band of rows at a time: Pillow's two passes would hold a full-height image in between."""
    out = Image.new(image.mode, target)
    out.info = dict(image.info)  # the EXIF orientation is applied next
    scale = image.height / target[1]
    for top in range(0, target[1], BAND_ROWS):
        bottom = min(target[1], top + BAND_ROWS)
        box = (0, top * scale, image.width, bottom * scale)
        out.paste(image.resize((target[0], bottom - top), Image.Resampling.LANCZOS, box=box), (0, top))
    return out


def _reencode_image(name: str, data: bytes, mime: str) -> tuple[bytes, bytes, int, int]:
    """Decode at a bounded size (refusing truncated images), drop every metadata block, and re-encode."""
    try:
        image = _decode_bounded(data)
        ImageOps.exif_transpose(image, in_place=True)
        options: dict[str, object]
        if mime != "image/png":
            mode, fmt, options = "RGB", "JPEG", {"quality": 88, "optimize": True}
        else:
            mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
            fmt, options = "PNG", {}
        clean = image if image.mode == mode else image.convert(mode)
        del image
        # A new image from the pixels only: no EXIF (GPS), XMP, ICC or text chunks survive.
        stripped = Image.new(clean.mode, clean.size)
        stripped.paste(clean)
        del clean
        out = io.BytesIO()
        stripped.save(out, fmt, **options)
        thumb = stripped.resize(_scaled_size(stripped.size, max(THUMBNAIL_SIZE)), Image.Resampling.LANCZOS,
                                reducing_gap=3.0).convert("RGB")
        thumb_out = io.BytesIO()
        thumb.save(thumb_out, "JPEG", quality=80)
        return out.getvalue(), thumb_out.getvalue(), stripped.width, stripped.height
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _broken(name)


def _check_pdf(name: str, data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise AttachmentRefused(f"「{name}」は壊れているか途中で切れたPDFのため添付できません。")


def _check(upload: UploadedFile) -> _Checked:
    """Read one upload and check it by its content; an image only by its header."""
    name, data = _read_limited(upload)
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime not in ALLOWED:
        raise AttachmentRefused(
            f"「{name}」は添付できない種類のファイルです。JPEG・PNG・HEIC の画像と PDF のみ添付できます（ファイルの中身で判定しています）。"
        )
    if ALLOWED[mime][1] == AttachmentKind.PDF:
        _check_pdf(name, data)
        return _Checked(name, data, mime)
    return _Checked(name, data, mime, _header_pixels(name, data))


def _finish(checked: _Checked) -> PreparedFile:
    extension, kind = ALLOWED[checked.mime]
    if kind == AttachmentKind.PDF:
        return PreparedFile(checked.name, checked.mime, kind, extension, checked.data)
    clean, thumb, width, height = _reencode_image(checked.name, checked.data, checked.mime)
    stored_type = "image/png" if checked.mime == "image/png" else "image/jpeg"
    return PreparedFile(checked.name, stored_type, kind, extension, clean, thumb, width, height)


def prepare(upload: UploadedFile) -> PreparedFile:
    """Check one uploaded file by its content and return a PreparedFile, or raise AttachmentRefused."""
    return prepare_all([upload])[0]


def prepare_all(uploads: Iterable[UploadedFile | None]) -> list[PreparedFile]:
    """Check every upload (count, type, size, pixels) before decoding any; one bad file refuses them all."""
    given = [u for u in uploads if u]
    if len(given) > MAX_FILES_PER_POST:
        raise AttachmentRefused(f"一度に添付できるのは {MAX_FILES_PER_POST} 件までです。")
    checked = [_check(u) for u in given]
    total, budget = sum(c.pixels for c in checked), settings.UPLOAD_MAX_PIXELS_PER_REQUEST
    if total > budget:
        raise AttachmentRefused(
            f"画像の画素数の合計が大きすぎます（今回 {_megapixels(total)}、1回の投稿で {_megapixels(budget)}まで）。"
            "枚数を減らすか、縮小してから添付してください。"
        )
    prepared: list[PreparedFile] = []
    while checked:  # each file's bytes are released as soon as it is re-encoded
        prepared.append(_finish(checked.pop(0)))
    return prepared


def _write(relative: str, data: bytes) -> str:
    return storage.save_bytes(relative, data)


def store(prepared: PreparedFile, *, written: list[str], uploaded_by: User | None, post: Post | None = None,
          patient: Patient | None = None, group: Group | None = None) -> Attachment:
    """Write a prepared file to the private storage and create its row; `written` collects names for cleanup."""
    stem = f"network/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    path = f"{stem}.{prepared.extension}"
    written.append(_write(path, prepared.data))
    thumbnail_path = ""
    if prepared.thumbnail:
        thumbnail_path = f"{stem}.thumb.jpg"
        written.append(_write(thumbnail_path, prepared.thumbnail))
    return Attachment.objects.create(
        post=post,
        patient=patient if patient is not None else getattr(post, "patient", None),
        group=group if group is not None else getattr(post, "group", None),
        kind=prepared.kind,
        content_type=prepared.content_type,
        original_name=prepared.original_name,
        path=path,
        thumbnail_path=thumbnail_path,
        size=len(prepared.data),
        width=prepared.width,
        height=prepared.height,
        sha256=hashlib.sha256(prepared.data).hexdigest(),
        uploaded_by=uploaded_by,
    )


def remove_files(names: Iterable[str]) -> None:
    """Delete files written for a save that did not complete."""
    for name in names:
        storage.delete_private(name)


def open_file(attachment: Attachment, *, thumbnail: bool = False) -> IO[bytes]:
    """Open a stored attachment (or its thumbnail) for reading; a file without a thumbnail (a PDF) has none."""
    relative = attachment.thumbnail_path if thumbnail else attachment.path
    if not relative:
        raise FileNotFoundError("no thumbnail")
    return storage.open_private(relative)
