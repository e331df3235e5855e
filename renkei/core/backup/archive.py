"""The archive's encryption: AES-256-GCM from `cryptography`, in chunks, with the operator's key.

File layout: MAGIC, a 16-byte random salt, a 16-byte key check, then chunks. Each chunk is a
4-byte big-endian length and the AES-GCM ciphertext (with its 16-byte tag) of up to CHUNK_SIZE
bytes. The key of one archive is derived from the operator's key and the salt (HKDF-SHA256), so
no two archives share a key and a per-chunk counter is a safe nonce. The nonce holds the chunk's
number and a "last chunk" flag, and every chunk authenticates the header: chunks cannot be
altered, reordered, dropped or cut off at the end without decryption failing (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár).
"""
import base64
import hmac
import os
import struct
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"RENKEI-BACKUP-1\n"
PLAIN_MAGIC = b"RENKEI-BACKUP-0\n"  # an archive written with --no-encrypt: the tar follows as is
CHUNK_SIZE = 1024 * 1024
_SALT, _CHECK, _TAG = 16, 16, 16


class Reader(Protocol):
    """What restore reads an archive's plaintext from: an open file or a DecryptingReader."""

    def read(self, size: int = -1, /) -> bytes: ...


class ArchiveError(Exception):
    """The archive cannot be read: wrong key, altered or damaged file, or not a Renkei backup."""


def generate_key() -> str:
    """A new random key, as the text the operator keeps (BACKUP_KEY or the BACKUP_KEY_FILE)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str) -> bytes:
    """The 32 key bytes from the operator's key text, or ArchiveError."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (ValueError, TypeError):
        key = b""
    if len(key) != 32:
        raise ArchiveError("the backup key is not a key made by `manage.py backup_keygen` (32 bytes, base64)")
    return key


def _derive(key: bytes, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"renkei-backup " + purpose).derive(key)


def _nonce(counter: int, last: bool) -> bytes:
    return struct.pack(">QI", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object that encrypts what is written into `out` (call close() to finish)."""

    def __init__(self, out: BinaryIO, key: bytes) -> None:
        self._out = out
        salt = os.urandom(_SALT)
        self._header = MAGIC + salt + _derive(key, salt, b"key check")[:_CHECK]
        self._aead = AESGCM(_derive(key, salt, b"AES-256-GCM"))
        self._buffer = bytearray()
        self._counter = 0
        out.write(self._header)

    def _emit(self, data: bytes | bytearray, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), bytes(data), self._header)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._emit(self._buffer[:CHUNK_SIZE], last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def close(self) -> None:
        """Write the last chunk (possibly empty): without it a reader knows the archive was cut off."""
        self._emit(self._buffer, last=True)
        self._buffer = bytearray()


class DecryptingReader:
    """A read-only file object giving the plaintext of an archive; every chunk is checked before use."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._source = source
        header = source.read(len(MAGIC) + _SALT + _CHECK)
        if not header.startswith(MAGIC) or len(header) != len(MAGIC) + _SALT + _CHECK:
            raise ArchiveError("not an encrypted Renkei backup (or written with --no-encrypt)")
        salt, check = header[len(MAGIC):-_CHECK], header[-_CHECK:]
        if not hmac.compare_digest(check, _derive(key, salt, b"key check")[:_CHECK]):
            raise ArchiveError("wrong key: this archive was encrypted with another backup key")
        self._header = header
        self._aead = AESGCM(_derive(key, salt, b"AES-256-GCM"))
        self._counter = 0
        self._buffer = b""
        self._finished = False

    def _next_chunk(self) -> bytes:
        head = self._source.read(4)
        if len(head) != 4:
            raise ArchiveError("the archive is cut off (its last chunk is missing)")
        (length,) = struct.unpack(">I", head)
        sealed = self._source.read(length)
        if length > CHUNK_SIZE + _TAG or len(sealed) != length:
            raise ArchiveError("the archive is damaged or cut off")
        for last in (False, True):
            try:
                plain = self._aead.decrypt(_nonce(self._counter, last), sealed, self._header)
            except InvalidTag:
                continue
            self._counter += 1
            if last:
                self._finished = True
                if self._source.read(1):
                    raise ArchiveError("the archive has data after its last chunk (altered)")
            return plain
        raise ArchiveError(f"the archive was altered or damaged (chunk {self._counter} fails authentication)")

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and not self._finished:
            self._buffer += self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    @property
    def finished(self) -> bool:
        """Whether the authenticated last chunk was read (the whole archive was checked)."""
        return self._finished


class PlainWriter:
    """The --no-encrypt writer: a marker line, then the tar as is."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        out.write(PLAIN_MAGIC)

    def write(self, data: bytes) -> int:
        return self._out.write(data)

    def close(self) -> None:
        pass


def open_reader(source: BinaryIO, key: bytes | None) -> "Reader":
    """A reader for an archive: decrypting with `key`, or plain for a --no-encrypt archive."""
    start = source.read(len(PLAIN_MAGIC))
    if start == PLAIN_MAGIC:
        return source
    source.seek(0)
    if key is None:
        raise ArchiveError("the archive is encrypted: set BACKUP_KEY or BACKUP_KEY_FILE")
    return DecryptingReader(source, key)
