"""create_backup() and restore_backup(): one archive holds the database, every private file and a manifest.

Inside the (encrypted) archive is a tar: `database/…` (the engine's dump), `files/<path>` for every
file a row points at, and `manifest.json` with the row count of every table, each file's sha256 and
size with the rows that point at it, and the audit chain's head. restore_backup() unpacks into a
staging folder inside the empty PRIVATE_MEDIA_ROOT, checks every digest against the manifest, loads the
database, moves the files into place, then verifies the audit chain, the row counts and every file
once more where they now are; if any check fails it leaves the database and the media root empty,
as it found them.
"""
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, NotRequired, TypedDict

from django.conf import settings
from django.db import connection
from django.utils import timezone

from renkei.core.audit import Action, anchor, record, verify_chain

from . import archive, database, files
from .database import Cursor
from .files import FileRow

FORMAT, VERSION = "renkei-backup", 1
MANIFEST = "manifest.json"


class ChainHead(TypedDict):
    rows: int
    last_id: int | None
    last_hash: str | None


class DatabaseEntry(TypedDict):
    member: str
    sha256: str
    size: int


class MissingEntry(TypedDict):
    path: str
    rows: list[str]


class FileEntry(TypedDict):
    path: str
    sha256: str
    size: int
    rows: list[str]
    stored_sha256: NotRequired[list[str]]


class Manifest(TypedDict):
    """manifest.json: tables, audit_chain and database are added once the snapshot is taken."""

    format: str
    version: int
    created_at: str
    engine: str
    encrypted: bool
    files: list[FileEntry]
    missing: list[MissingEntry]
    tables: NotRequired[dict[str, int]]
    audit_chain: NotRequired[ChainHead]
    database: NotRequired[DatabaseEntry]


class RestoreError(Exception):
    """The restore was refused or its verification failed; the message says what."""


def load_key(key_file: str | Path | None = None) -> bytes | None:
    """The operator's key: --key-file, else settings.BACKUP_KEY (BACKUP_KEY or BACKUP_KEY_FILE); None when
    none is set."""
    if key_file:
        return archive.parse_key(Path(key_file).read_text())
    if settings.BACKUP_KEY:
        return archive.parse_key(settings.BACKUP_KEY)
    return None


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> tuple[str, int]:
    """Add one file to the tar, returning its sha256 as read."""
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.digest.hexdigest(), info.size


def _add_stored(tar: tarfile.TarFile, name: str, relative: str) -> tuple[str, int] | None:
    """Add one stored file (PRIVATE_MEDIA_ROOT or the bucket, through the storage API) to the tar: its sha256
    and size, or None when it is missing. Read whole first (uploads are at most MAX_UPLOAD_MB): the tar
    header needs the size of exactly the bytes that follow."""
    from renkei.core.storage import open_private

    try:
        handle = open_private(relative)
    except (FileNotFoundError, OSError):
        return None
    with handle:
        data = handle.read()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, _BytesReader(data))
    return hashlib.sha256(data).hexdigest(), len(data)


def _private_on_disk() -> bool:
    """Whether private files live under PRIVATE_MEDIA_ROOT (else in a bucket, PRIVATE_STORAGE=s3)."""
    from django.core.files.storage import FileSystemStorage

    from renkei.core.storage import private_storage

    return isinstance(private_storage(), FileSystemStorage)


def _bucket_is_empty() -> bool:
    from renkei.core.storage import private_storage

    folders, names = private_storage().listdir("")
    return not folders and not names


def _chain_head(cursor: Cursor) -> ChainHead:
    cursor.execute("SELECT COUNT(*) FROM core_auditevent")
    rows = cursor.fetchone()[0]
    cursor.execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
    last = cursor.fetchone()
    return {"rows": rows, "last_id": last[0] if last else None, "last_hash": last[1] if last else None}


def _group_rows(rows: list[FileRow]) -> dict[str, tuple[set[str], list[str]]]:
    """{path: (stored sha256s, ["label:pk", …])} from file_rows()."""
    grouped: dict[str, tuple[set[str], list[str]]] = {}
    for label, pk, path, stored in rows:
        digests, refs = grouped.setdefault(path, (set(), []))
        if stored:
            digests.add(stored)
        refs.append(f"{label}:{pk}")
    return grouped


@dataclass
class BackupResult:
    """What create_backup() wrote, and the file rows it could not archive as recorded."""

    path: Path
    manifest: Manifest
    missing: list[MissingEntry] = field(default_factory=list)
    altered: list[FileEntry] = field(default_factory=list)


def create_backup(path: str | Path, *, key: bytes | None) -> BackupResult:
    """Write one archive of the database and every private file; key None writes it unencrypted."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = database.engine()
    manifest: Manifest = {"format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(), "engine": vendor,
                "encrypted": key is not None, "files": [], "missing": []}
    partial = path.with_name(path.name + ".partial")
    anchor()  # the archive names every audit chain's last row, so a tail cut after a restore is detected
    # The plaintext dump waits in a private (0700) folder beside the archive, never in a shared temp folder.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".renkei-backup-") as workdir:
        with database.snapshot(workdir) as (dump, cursor):
            manifest["tables"] = database.row_counts(cursor, vendor)
            manifest["audit_chain"] = _chain_head(cursor)
            grouped = _group_rows(files.file_rows(cursor))
        with open(partial, "wb", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
            writer = archive.EncryptingWriter(out, key) if key is not None else archive.PlainWriter(out)
            # Stream mode ("w|") only writes; typeshed's _Fileobj also asks for read/tell/seek, which it never calls.
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                member = f"database/{dump.name}"
                digest, size = _add(tar, member, dump)
                manifest["database"] = {"member": member, "sha256": digest, "size": size}
                altered: list[FileEntry] = []
                for relative, (stored, refs) in sorted(grouped.items()):
                    added = _add_stored(tar, f"files/{relative}", relative)
                    if added is None:
                        manifest["missing"].append({"path": relative, "rows": refs})
                        continue
                    digest, size = added
                    entry: FileEntry = {"path": relative, "sha256": digest, "size": size, "rows": refs}
                    if stored and stored != {digest}:
                        entry["stored_sha256"] = sorted(stored)
                        altered.append(entry)
                    manifest["files"].append(entry)
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, _BytesReader(body))
            writer.close()
            out.flush()
            os.fsync(out.fileno())
    os.replace(partial, path)
    record(action=Action.EXPORT, object_type="backup", object_id=path.name,
           detail=f"backup: {sum(manifest['tables'].values())} rows, {len(manifest['files'])} files")
    return BackupResult(path, manifest, manifest["missing"], altered)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._offset + size
        chunk, self._offset = self._data[self._offset:end], min(end, len(self._data))
        return chunk


def _member_target(staging: Path, name: str) -> Path:
    """Where a tar member goes in the staging folder; RestoreError for a name a backup never writes."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or (
        name != MANIFEST and pure.parts[0] not in ("database", "files")
    ):
        raise RestoreError(f"the archive holds an unexpected entry: {name!r}")
    return staging.joinpath(*pure.parts)


def _unpack(source: str | Path, key: bytes | None, staging: Path) -> dict[str, str]:
    """Decrypt and unpack into `staging`; {member name: sha256}. Every chunk is authenticated first."""
    digests: dict[str, str] = {}
    with open(source, "rb") as handle:
        reader = archive.open_reader(handle, key)
        # Stream mode ("r|") only reads; typeshed's _Fileobj also asks for write/tell/seek, which it never calls.
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            for member in tar:
                if not member.isfile():
                    raise RestoreError(f"the archive holds an unexpected entry: {member.name!r}")
                target = _member_target(staging, member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                extracted = tar.extractfile(member)
                if extracted is None:  # not reached: a regular file (checked above) always has its data
                    raise RestoreError(f"the archive holds an unexpected entry: {member.name!r}")
                with extracted as data, open(target, "wb") as out:
                    for block in iter(partial(data.read, 1024 * 1024), b""):
                        digest.update(block)
                        out.write(block)
                digests[member.name] = digest.hexdigest()
        while reader.read(1024 * 1024):
            pass
        if isinstance(reader, archive.DecryptingReader) and not reader.finished:
            raise archive.ArchiveError("the archive is cut off (its last chunk is missing)")
    return digests


def _check_unpacked(manifest: Manifest, digests: dict[str, str]) -> None:
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise RestoreError("not a Renkei backup of a version this code reads")
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    expected.update({f"files/{entry['path']}": entry["sha256"] for entry in manifest["files"]})
    for name, digest in expected.items():
        if digests.get(name) != digest:
            raise RestoreError(f"{name}: missing from the archive or not the content the manifest records")


def _media_is_empty(root: Path) -> bool:
    return not root.exists() or (root.is_dir() and not any(root.iterdir()))


def verify_restored(manifest: Manifest) -> list[str]:
    """Compare the database and the media root with the manifest; a list of what differs (empty when equal)."""
    problems: list[str] = []
    with connection.cursor() as cursor:
        counts = database.row_counts(cursor, connection.vendor)
        head = _chain_head(cursor)
        grouped = _group_rows(files.file_rows(cursor))
    for table in sorted(set(counts) | set(manifest["tables"])):
        if counts.get(table) != manifest["tables"].get(table):
            problems.append(f"table {table}: {counts.get(table)} rows, the manifest says {manifest['tables'].get(table)}")
    ok, _, message = verify_chain()
    if not ok:
        problems.append(f"audit chain: {message}")
    if head != manifest["audit_chain"]:
        problems.append(f"audit chain head {head} differs from the manifest's {manifest['audit_chain']}")
    archived = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    known_missing = {entry["path"] for entry in manifest["missing"]}
    for relative in grouped:
        if relative in known_missing:
            continue
        if relative not in archived:
            problems.append(f"file {relative}: a row points at it but the archive does not hold it")
        elif files.stored_sha256(relative) != archived[relative]:
            problems.append(f"file {relative}: missing or not the archived content after the restore")
    return problems


@dataclass
class RestoreResult:
    """What restore_backup() restored and verified."""

    manifest: Manifest
    rows: int
    files: int


def restore_backup(path: str | Path, *, key: bytes | None) -> RestoreResult:
    """Fill the empty database and the empty PRIVATE_MEDIA_ROOT from an archive, then verify everything."""
    root, on_disk = files.media_root(), _private_on_disk()
    if on_disk and not _media_is_empty(root):
        raise RestoreError(f"PRIVATE_MEDIA_ROOT is not empty ({root}); restore only into an empty one")
    if not on_disk and not _bucket_is_empty():
        raise RestoreError("the private files' bucket (S3_BUCKET, S3_PREFIX) is not empty; restore only into an empty one")
    if not database.database_is_empty():
        raise RestoreError("the database is not empty; restore only into an empty (or not yet created) database")
    # On disk, staged inside the (empty) media root: same file system, so files move into place by
    # renaming, even when the media root is a mount point of its own. For a bucket, staged in a private
    # temporary folder and uploaded through the storage API.
    if on_disk:
        root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root if on_disk else None, prefix=".renkei-restore-"))
    uploaded = []
    loaded = False
    try:
        digests = _unpack(path, key, staging)
        if MANIFEST not in digests:
            raise RestoreError("the archive has no manifest")
        manifest: Manifest = json.loads((staging / MANIFEST).read_text())
        _check_unpacked(manifest, digests)
        loaded = True
        database.load(staging.joinpath(*PurePosixPath(manifest["database"]["member"]).parts), manifest["engine"])
        if (staging / "files").exists() and on_disk:
            for child in (staging / "files").iterdir():
                os.replace(child, root / child.name)
        elif (staging / "files").exists():
            from renkei.core.storage import save_bytes

            for source in sorted(p for p in (staging / "files").rglob("*") if p.is_file()):
                uploaded.append(save_bytes(source.relative_to(staging / "files").as_posix(), source.read_bytes()))
        problems = verify_restored(manifest)
        if problems:
            raise RestoreError("verification failed: " + "; ".join(problems[:20]))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if loaded:
            database.empty_database()
            if not on_disk:
                from renkei.core.storage import delete_private

                for name in uploaded:
                    delete_private(name)
        if loaded and on_disk:
            for child in root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        raise
    shutil.rmtree(staging, ignore_errors=True)
    record(action=Action.UPDATE, object_type="backup", object_id=Path(path).name,
           detail=f"restored the backup of {manifest['created_at']}")
    return RestoreResult(manifest, sum(manifest["tables"].values()), len(manifest["files"]))
