"""manage.py check_files: every file row whose file is missing or altered, and the digests it compares with."""
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from renkei.core.backup.files import sha256_file


def _on_disk(relative):
    return Path(settings.PRIVATE_MEDIA_ROOT) / relative


def test_it_passes_when_every_file_is_there_unchanged(stored, capsys):
    call_command("check_files")
    assert "every file row has its file" in capsys.readouterr().out


def test_it_reports_a_missing_attachment(stored, capsys):
    _on_disk(stored.attachment.path).unlink()
    with pytest.raises(CommandError, match="1 file rows"):
        call_command("check_files")
    assert f"MISSING network.attachment {stored.attachment.pk} {stored.attachment.path}" in capsys.readouterr().out


def test_it_reports_a_missing_thumbnail(stored, capsys):
    _on_disk(stored.attachment.thumbnail_path).unlink()
    with pytest.raises(CommandError):
        call_command("check_files")
    assert f"MISSING network.attachment {stored.attachment.pk}" in capsys.readouterr().out


def test_it_reports_an_altered_attachment(stored, capsys):
    _on_disk(stored.attachment.path).write_bytes(b"ransomware was here")
    with pytest.raises(CommandError):
        call_command("check_files")
    assert f"ALTERED network.attachment {stored.attachment.pk}" in capsys.readouterr().out


def test_it_reports_an_altered_programme_document(stored, capsys):
    _on_disk(stored.document.file.name).write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(CommandError):
        call_command("check_files")
    assert f"ALTERED programs.restartgrantdocument {stored.document.pk}" in capsys.readouterr().out


def test_it_reports_an_altered_meeting_file(stored, capsys):
    _on_disk(stored.meeting_file.file.name).write_bytes(b"changed")
    with pytest.raises(CommandError):
        call_command("check_files")
    assert f"ALTERED records.meetingattachment {stored.meeting_file.pk}" in capsys.readouterr().out


def test_an_uploaded_programme_document_keeps_the_sha256_of_its_file(stored):
    assert stored.document.sha256 == sha256_file(_on_disk(stored.document.file.name))


def test_an_uploaded_meeting_file_keeps_the_sha256_of_its_file(stored):
    assert stored.meeting_file.sha256 == sha256_file(_on_disk(stored.meeting_file.file.name))
