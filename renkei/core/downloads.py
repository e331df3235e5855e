"""Stored files served back: a file name chosen by the server, with the extension of the detected type.

The name a user gave an upload is never sent back as it is: `poly.html` whose content is a PDF comes
back as `poly.pdf`, a JPEG uploaded as `gpj.exe` as `gpj.jpg`. Only images are shown inline; every
other file (a PDF included) is sent as a download.
"""
import unicodedata
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.http import FileResponse

# Types a stored file may be served as, with their extension. Anything else is an opaque download.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/zip": "zip",
    "text/plain": "txt",
    "application/octet-stream": "bin",
}
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
# Characters Windows refuses in file names, and the path separators.
_FORBIDDEN = set('<>:"/\\|?*')


def detect_type(head: bytes) -> str:
    """The content type of a file from its first bytes: a known type, plain text, or octet-stream."""
    guess = filetype.guess(head)
    if guess and guess.mime in EXTENSIONS:
        mime: str = guess.mime
        return mime
    if guess is None and b"\0" not in head:
        try:
            head.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            pass
    return "application/octet-stream"


def _clean_stem(original_name: str | None) -> str:
    name = PurePosixPath((original_name or "").replace("\\", "/")).name.strip(" .")
    # Only the last suffix is dropped; the dots left become "_" so that ours is the only extension.
    stem = name.rsplit(".", 1)[0].replace(".", "_")
    # Drop control and format characters (a right-to-left override can disguise an extension).
    stem = "".join(c for c in stem if unicodedata.category(c)[0] != "C" and c not in _FORBIDDEN)
    return stem.strip()[:80]


def download_name(original_name: str | None, content_type: str, *, fallback: str) -> str:
    """A safe base (the cleaned stem of the original name, else `fallback`) plus the type's extension."""
    return f"{_clean_stem(original_name) or fallback}.{EXTENSIONS.get(content_type, 'bin')}"


def file_response(handle: IO[bytes], *, content_type: str, original_name: str | None, fallback: str,
                  inline: bool = False) -> FileResponse:
    """A FileResponse under a server-chosen name; shown inline only when asked for and an image."""
    if content_type not in EXTENSIONS:
        content_type = "application/octet-stream"
    show = inline and content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=content_type, as_attachment=not show,
                            filename=download_name(original_name, content_type, fallback=fallback))
    response["X-Content-Type-Options"] = "nosniff"
    return response
