"""Safe attachments: type by content (JPEG, PNG, PDF), size limit, images re-encoded without metadata."""
import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from .models import Attachment, AttachmentKind

# Phones' HEIC/HEIF photos are decoded with pillow-heif and stored as JPEG.
register_heif_opener()
ALLOWED = {
    "image/jpeg": ("jpg", AttachmentKind.IMAGE),
    "image/png": ("png", AttachmentKind.IMAGE),
    "image/heic": ("jpg", AttachmentKind.IMAGE),
    "image/heif": ("jpg", AttachmentKind.IMAGE),
    "application/pdf": ("pdf", AttachmentKind.PDF),
}
THUMBNAIL_SIZE = (480, 480)
MAX_IMAGE_PIXELS = 40_000_000
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


def _read_limited(upload):
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


def _reencode_image(name, data, mime):
    """Decode fully (refusing truncated or bomb images), drop every metadata block, and re-encode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise AttachmentRefused(f"「{name}」は画素数が大きすぎます。")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if mime != "image/png":
                    clean = image.convert("RGB")
                    fmt, options = "JPEG", {"quality": 88, "optimize": True}
                else:
                    clean = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
                    fmt, options = "PNG", {"optimize": True}
                # A new image from the pixels only: no EXIF (GPS), XMP, ICC or text chunks survive.
                stripped = Image.new(clean.mode, clean.size)
                stripped.paste(clean)
                out = io.BytesIO()
                stripped.save(out, fmt, **options)
                thumb = stripped.convert("RGB")
                thumb.thumbnail(THUMBNAIL_SIZE)
                thumb_out = io.BytesIO()
                thumb.save(thumb_out, "JPEG", quality=80)
                return out.getvalue(), thumb_out.getvalue(), stripped.width, stripped.height
    except AttachmentRefused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentRefused(f"「{name}」は壊れているか途中で切れた画像のため添付できません。")


def _check_pdf(name, data):
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise AttachmentRefused(f"「{name}」は壊れているか途中で切れたPDFのため添付できません。")


def prepare(upload):
    """Check one uploaded file by its content and return a PreparedFile, or raise AttachmentRefused."""
    name, data = _read_limited(upload)
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime not in ALLOWED:
        raise AttachmentRefused(
            f"「{name}」は添付できない種類のファイルです。JPEG・PNG・HEIC の画像と PDF のみ添付できます（ファイルの中身で判定しています）。"
        )
    extension, kind = ALLOWED[mime]
    if kind == AttachmentKind.PDF:
        _check_pdf(name, data)
        return PreparedFile(name, mime, kind, extension, data)
    clean, thumb, width, height = _reencode_image(name, data, mime)
    stored_type = "image/png" if mime == "image/png" else "image/jpeg"
    return PreparedFile(name, stored_type, kind, extension, clean, thumb, width, height)


def prepare_all(uploads):
    """Check every upload before anything is saved; one bad file refuses them all."""
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_FILES_PER_POST:
        raise AttachmentRefused(f"一度に添付できるのは {MAX_FILES_PER_POST} 件までです。")
    return [prepare(u) for u in uploads]


def _write(relative, data):
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def store(prepared, *, written, uploaded_by, post=None, patient=None, group=None):
    """Write a prepared file under PRIVATE_MEDIA_ROOT and create its row; `written` collects paths for cleanup."""
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


def remove_files(paths):
    """Delete files written for a save that did not complete."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


def open_file(attachment, *, thumbnail=False):
    """Open a stored attachment (or its thumbnail) for reading."""
    relative = attachment.thumbnail_path if thumbnail and attachment.thumbnail_path else attachment.path
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        raise FileNotFoundError(relative)
    return target.open("rb")
