"""The archive's encryption: chunks authenticated one by one, with the header, in order, to the last."""
import io
import os

import pytest

from renkei.core.backup import archive

KEY = archive.parse_key(archive.generate_key())
PAYLOAD = os.urandom(archive.CHUNK_SIZE * 2 + 12345)


def _encrypt(data=PAYLOAD, key=KEY):
    out = io.BytesIO()
    writer = archive.EncryptingWriter(out, key)
    writer.write(data)
    writer.close()
    return out.getvalue()


def _decrypt(blob, key=KEY):
    return archive.open_reader(io.BytesIO(blob), key).read()


def test_what_is_encrypted_decrypts_to_the_same_bytes():
    assert _decrypt(_encrypt()) == PAYLOAD


def test_an_empty_payload_round_trips():
    assert _decrypt(_encrypt(b"")) == b""


def test_two_archives_of_the_same_data_differ():
    assert _encrypt(b"same")[16:] != _encrypt(b"same")[16:]


def test_another_key_is_named_as_the_wrong_key():
    with pytest.raises(archive.ArchiveError, match="wrong key"):
        _decrypt(_encrypt(), key=archive.parse_key(archive.generate_key()))


def test_a_flipped_bit_is_detected():
    blob = bytearray(_encrypt())
    blob[-5000] ^= 1
    with pytest.raises(archive.ArchiveError, match="altered or damaged"):
        _decrypt(bytes(blob))


def test_an_altered_header_is_detected():
    blob = bytearray(_encrypt())
    blob[len(archive.MAGIC)] ^= 1
    with pytest.raises(archive.ArchiveError):
        _decrypt(bytes(blob))


def test_a_missing_last_chunk_is_detected():
    blob = _encrypt()
    last = 4 + (len(PAYLOAD) % archive.CHUNK_SIZE) + 16
    with pytest.raises(archive.ArchiveError, match="cut off"):
        _decrypt(blob[:-last])


def test_swapped_chunks_are_detected():
    blob = _encrypt()
    header = len(archive.MAGIC) + 32
    size = 4 + archive.CHUNK_SIZE + 16
    first, second = blob[header:header + size], blob[header + size:header + 2 * size]
    with pytest.raises(archive.ArchiveError, match="altered or damaged"):
        _decrypt(blob[:header] + second + first + blob[header + 2 * size:])


def test_data_appended_after_the_last_chunk_is_detected():
    with pytest.raises(archive.ArchiveError, match="after its last chunk"):
        _decrypt(_encrypt() + b"x")


def test_an_encrypted_archive_without_a_key_asks_for_one():
    with pytest.raises(archive.ArchiveError, match="BACKUP_KEY"):
        _decrypt(_encrypt(), key=None)


def test_a_key_that_is_not_32_bytes_is_refused():
    with pytest.raises(archive.ArchiveError, match="backup_keygen"):
        archive.parse_key("c2hvcnQ=")
