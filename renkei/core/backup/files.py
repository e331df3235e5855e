"""Private files: which rows point at them, their digests, and the check of missing or altered files.

Every model FileField counts (a new one is covered without a change here), plus the attachment's
own path columns. A file row keeps the sha256 of its file, written when the file is stored
(network Attachment, programs RestartGrantDocument, records MeetingAttachment); the attachment's
thumbnail has no digest of its own (it is derived from the file), so only its absence is reported.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.db import models

from .database import Cursor


@dataclass(frozen=True)
class FileColumn:
    """A column that holds a path relative to PRIVATE_MEDIA_ROOT, and the column of its sha256 (or "")."""

    label: str  # app_label.model_name
    table: str
    path_column: str
    digest_column: str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


# (app_label.model_name, pk, relative path, stored sha256 or "")
FileRow = tuple[str, int, str, str]

_EXTRA = [("network.attachment", "path", "sha256"), ("network.attachment", "thumbnail_path", "")]


def file_columns() -> list[FileColumn]:
    """Every column of every model that points at a private file."""
    columns: list[FileColumn] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                digest = "sha256" if any(f.name == "sha256" for f in model._meta.concrete_fields) else ""
                columns.append(FileColumn(model._meta.label_lower, model._meta.db_table, field.column, digest))
    for label, path_column, digest_column in _EXTRA:
        model = apps.get_model(label)
        columns.append(FileColumn(label, model._meta.db_table, path_column, digest_column))
    return columns


def file_rows(cursor: Cursor) -> list[FileRow]:
    """(label, pk, relative path, stored sha256 or "") of every file row, read with a DB-API cursor.

    Raw SQL on purpose: the backup reads them inside the database snapshot it archives.
    """
    rows: list[FileRow] = []
    for column in file_columns():
        digest = f'"{column.digest_column}"' if column.digest_column else "''"
        cursor.execute(
            f'SELECT "id", "{column.path_column}", {digest} FROM "{column.table}" '
            f'WHERE "{column.path_column}" IS NOT NULL AND "{column.path_column}" <> \'\' ORDER BY "id"'
        )
        rows.extend((column.label, pk, path, stored or "") for pk, path, stored in cursor.fetchall())
    return rows


def media_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def resolve(relative: str, root: str | Path | None = None) -> Path | None:
    """The absolute path of a stored file; None for a path that leaves the root."""
    base = Path(root or media_root()).resolve()
    target = (base / relative).resolve()
    return target if base in target.parents else None


def stored_sha256(relative: str) -> str | None:
    """The sha256 of a stored file read through the private storage (disk or bucket); None when missing."""
    from renkei.core.storage import open_private

    try:
        handle = open_private(relative)
    except (FileNotFoundError, OSError):
        return None
    digest = hashlib.sha256()
    with handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file on disk, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_upload(upload: File[bytes]) -> str:
    """The sha256 of an uploaded file (Django File), leaving it at its start for saving."""
    digest = hashlib.sha256()
    upload.seek(0)
    for block in upload.chunks():
        digest.update(block)
    upload.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileProblem:
    """A file row whose file is missing or altered."""

    kind: str  # "missing" or "altered"
    label: str
    pk: int
    path: str

    def __str__(self) -> str:
        return f"{self.kind.upper()} {self.label} {self.pk} {self.path}"


def check_files(cursor: Cursor | None = None) -> list[FileProblem]:
    """Every file row whose file is missing, or whose content no longer has the stored sha256."""
    from django.db import connection

    if cursor is None:
        with connection.cursor() as own:
            rows = file_rows(own)
    else:
        rows = file_rows(cursor)
    problems: list[FileProblem] = []
    for label, pk, path, stored in rows:
        actual = stored_sha256(path)  # through the storage API: PRIVATE_MEDIA_ROOT or the S3 bucket alike
        if actual is None:
            problems.append(FileProblem("missing", label, pk, path))
        elif stored and actual != stored:
            problems.append(FileProblem("altered", label, pk, path))
    return problems
