"""Where private files (attachments, program documents, meeting papers) are kept: one storage, STORAGES["private"].

PRIVATE_STORAGE=filesystem (the default) keeps them under PRIVATE_MEDIA_ROOT; PRIVATE_STORAGE=s3 in a private
bucket of S3-compatible object storage (django-storages; settings in docs/configuration.md). Either way a file
is reached only through a view that checks access and audits, and is streamed through it: the bucket is never
public and no address of an object ever leaves the server (docs/scaling.md, "Private files in object storage").
"""
import os
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible


def private_storage() -> Storage:
    return storages["private"]


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read on every use (tests and deployments move it); no URL."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; an access-checked view serves them")


@deconstructible
class PrivateStorage(Storage):
    """A model field's handle on STORAGES["private"], looked up on every use (a migration names only this class)."""

    def _target(self) -> Storage:
        return private_storage()

    def _open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def _save(self, name: str, content: Any) -> str:
        return self._target().save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._target().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return self._target().generate_filename(filename)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self._target().listdir(path)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def path(self, name: str) -> str:
        return self._target().path(name)  # on disk only; a bucket has no local path

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; an access-checked view serves them")


def save_bytes(name: str, data: bytes) -> str:
    """Store `data` under exactly `name` (a fresh, unique name chosen by the caller); returns the name."""
    saved = private_storage().save(name, ContentFile(data))
    if saved != name:  # never: the names are random; a clash must not point a row at another file
        private_storage().delete(saved)
        raise FileExistsError(name)
    return saved


def open_private(name: str) -> IO[bytes]:
    """Open a stored file for reading; a name that leaves the storage's root is a missing file."""
    try:
        if not name or not private_storage().exists(name):
            raise FileNotFoundError(name)
        handle: IO[bytes] = private_storage().open(name, "rb")
        return handle
    except SuspiciousFileOperation:
        raise FileNotFoundError(name) from None


def delete_private(name: str) -> None:
    try:
        private_storage().delete(name)
    except (FileNotFoundError, SuspiciousFileOperation):
        pass
