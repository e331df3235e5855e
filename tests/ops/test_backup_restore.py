"""manage.py backup → wipe → manage.py restore → verify, on the test database's engine (SQLite or PostgreSQL)."""
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from renkei.core.audit import verify_chain
from renkei.core.backup import archive, database
from renkei.core.backup.files import check_files
from renkei.core.backup.service import restore_backup, verify_restored
from renkei.core.models import AuditEvent
from renkei.network.models import Attachment
from renkei.programs.models import RestartGrantDocument
from renkei.records.models import MeetingAttachment

REPO = Path(__file__).resolve().parents[2]


def _media_is_empty():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return not root.exists() or not any(root.iterdir())


def _counts():
    with connection.cursor() as cursor:
        return database.row_counts(cursor, connection.vendor)


def _manifest(path, key):
    with open(path, "rb") as handle, tarfile.open(fileobj=archive.open_reader(handle, key), mode="r|") as tar:
        for member in tar:
            if member.name == "manifest.json":
                return json.loads(tar.extractfile(member).read())


@pytest.fixture
def backup(transactional_db, stored, key_text, tmp_path):
    """An archive of the stored world, and the row counts it should bring back."""
    path = tmp_path / "backups" / "renkei.rbk"
    counts = _counts()
    call_command("backup", str(path))
    return path, counts


@pytest.fixture
def wipe(backup, key):
    """Lose everything (tables and private files); a test database left empty is restored from a copy after."""
    pristine = backup[0].with_name("pristine.rbk")
    shutil.copy(backup[0], pristine)

    def _wipe():
        database.empty_database()
        shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)

    yield _wipe
    if database.database_is_empty():
        shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)
        restore_backup(pristine, key=key)


def test_restore_after_a_wipe_brings_back_every_row(backup, wipe):
    path, counts = backup
    wipe()
    call_command("restore", str(path))
    after = _counts()
    assert after.pop("core_auditevent") == counts.pop("core_auditevent") + 1  # the restore's own audit row
    assert after.pop("core_auditanchor") == counts.pop("core_auditanchor") + 1  # the backup's anchor of the chains
    assert after == counts


def test_restore_after_a_wipe_brings_back_every_file(backup, wipe):
    wipe()
    call_command("restore", str(backup[0]))
    assert check_files() == [] and len(list(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))) == 4


def test_restore_after_a_wipe_keeps_the_audit_chain_intact(backup, wipe):
    wipe()
    call_command("restore", str(backup[0]))
    assert verify_chain()[0] and AuditEvent.objects.order_by("id").last().detail.startswith("restored the backup")


def test_an_attachment_download_answers_200_again_after_the_restore(backup, wipe, stored, login):
    wipe()
    call_command("restore", str(backup[0]))
    r = login(stored.nurse).get(reverse("network:attachment", args=[stored.attachment.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")


def test_the_restored_post_tally_triggers_still_count_new_posts(backup, wipe, stored):
    from renkei.network.models import PatientPostYear
    from tests.network.factories import PostFactory

    wipe()
    call_command("restore", str(backup[0]))
    before = sum(PatientPostYear.objects.values_list("posts", flat=True))
    PostFactory(patient_id=stored.patient.pk, author_id=stored.nurse.pk)
    assert sum(PatientPostYear.objects.values_list("posts", flat=True)) == before + 1


def test_the_manifest_records_counts_digests_and_the_chain_head(backup, key, stored):
    manifest = _manifest(backup[0], key)
    paths = {entry["path"]: entry for entry in manifest["files"]}
    assert manifest["tables"]["network_attachment"] == 1
    assert paths[stored.attachment.path]["sha256"] == stored.attachment.sha256
    assert manifest["audit_chain"]["last_hash"] == AuditEvent.objects.exclude(object_type="backup").order_by("id").last().hash


def test_the_archive_holds_every_kind_of_private_file(backup, key, stored):
    paths = {entry["path"] for entry in _manifest(backup[0], key)["files"]}
    assert paths == {stored.attachment.path, stored.attachment.thumbnail_path, stored.document.file.name,
                     stored.meeting_file.file.name}


def test_the_archive_shows_nothing_in_clear(backup, stored):
    data = backup[0].read_bytes()
    assert stored.patient.name.encode() not in data and b"\x89PNG" not in data and b"%PDF" not in data


def test_the_archive_is_readable_by_its_owner_only(backup):
    assert backup[0].stat().st_mode & 0o077 == 0


def test_restore_refuses_a_database_that_is_not_empty(backup):
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(backup[0]))


def test_restore_refuses_a_media_root_that_is_not_empty(backup, wipe):
    wipe()
    Path(settings.PRIVATE_MEDIA_ROOT).mkdir()
    (Path(settings.PRIVATE_MEDIA_ROOT) / "stray.pdf").write_bytes(b"x")
    with pytest.raises(CommandError, match="PRIVATE_MEDIA_ROOT is not empty"):
        call_command("restore", str(backup[0]))


def test_a_wrong_key_is_refused_and_nothing_is_restored(backup, wipe, settings):
    wipe()
    settings.BACKUP_KEY = archive.generate_key()
    with pytest.raises(CommandError, match="wrong key"):
        call_command("restore", str(backup[0]))
    assert database.database_is_empty() and _media_is_empty()


def test_an_altered_archive_is_refused_and_nothing_is_restored(backup, wipe):
    data = bytearray(backup[0].read_bytes())
    data[len(data) // 2] ^= 1
    backup[0].write_bytes(bytes(data))
    wipe()
    with pytest.raises(CommandError, match="altered or damaged"):
        call_command("restore", str(backup[0]))
    assert database.database_is_empty() and _media_is_empty()


def test_a_cut_off_archive_is_refused_and_nothing_is_restored(backup, wipe):
    data = backup[0].read_bytes()
    backup[0].write_bytes(data[: len(data) - 100])
    wipe()
    with pytest.raises(CommandError, match="cut off|damaged"):
        call_command("restore", str(backup[0]))
    assert database.database_is_empty() and _media_is_empty()


def test_backup_refuses_to_run_without_a_key(transactional_db, stored, tmp_path, settings):
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="no backup key"):
        call_command("backup", str(tmp_path / "x.rbk"))
    assert not (tmp_path / "x.rbk").exists()


def test_no_encrypt_given_explicitly_writes_an_archive_restore_reads_without_a_key(stored, tmp_path, wipe,
                                                                                   settings):
    settings.BACKUP_KEY = ""
    call_command("backup", str(tmp_path / "plain.rbk"), "--no-encrypt")
    wipe()
    call_command("restore", str(tmp_path / "plain.rbk"))
    assert Attachment.objects.count() == 1 and check_files() == []


def test_backup_reports_a_file_already_missing_and_still_writes_the_archive(transactional_db, stored, key_text, tmp_path, capsys):
    (Path(settings.PRIVATE_MEDIA_ROOT) / stored.document.file.name).unlink()
    with pytest.raises(CommandError, match="1 files were missing"):
        call_command("backup", str(tmp_path / "b.rbk"))
    assert (tmp_path / "b.rbk").exists() and f"MISSING {stored.document.file.name}" in capsys.readouterr().err


def _target_url(tmp_path):
    """A database that does not exist yet, of the test database's engine."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}", None
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"
    auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}", name


def _drop_database(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _manage(*args, url, tmp_path, key_text):
    env = dict(os.environ, DATABASE_URL=url, PRIVATE_MEDIA_ROOT=str(tmp_path / "restored" / "private"),
               BACKUP_KEY=key_text, RENKEI_VAR_DIR=str(tmp_path / "restored"))
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True)


def test_restore_creates_the_schema_in_a_database_not_yet_created(backup, key_text, tmp_path):
    (tmp_path / "restored").mkdir()
    url, pg_name = _target_url(tmp_path)
    try:
        restored = _manage("restore", str(backup[0]), url=url, tmp_path=tmp_path, key_text=key_text)
    finally:
        if pg_name:
            _drop_database(pg_name)
    assert restored.returncode == 0 and "every file's sha256 verified" in restored.stdout, restored.stderr


def test_every_file_field_and_attachment_path_is_in_the_backup():
    from renkei.core.backup.files import file_columns

    covered = {(c.label, c.path_column, c.digest_column) for c in file_columns()}
    assert covered == {
        ("network.attachment", "path", "sha256"), ("network.attachment", "thumbnail_path", ""),
        ("programs.restartgrantdocument", "file", "sha256"), ("records.meetingattachment", "file", "sha256"),
    }
    assert {column.model for column in file_columns()} == {RestartGrantDocument, MeetingAttachment, Attachment}


def test_a_failed_verification_leaves_the_database_and_the_media_root_empty(backup, wipe):
    wipe()
    with mock.patch("renkei.core.backup.service.verify_restored", return_value=["table x: 1 rows, not 2"]):
        with pytest.raises(CommandError, match="verification failed: table x"):
            call_command("restore", str(backup[0]))
    assert database.database_is_empty() and _media_is_empty()


def test_verification_names_a_table_whose_count_differs_from_the_manifest(backup, wipe, key):
    wipe()
    call_command("restore", str(backup[0]))
    manifest = _manifest(backup[0], key)
    manifest["audit_chain"] = _chain_head_now()
    manifest["tables"] = {**_counts(), "network_attachment": 2}
    assert verify_restored(manifest) == ["table network_attachment: 1 rows, the manifest says 2"]


def _chain_head_now():
    last = AuditEvent.objects.order_by("id").last()
    return {"rows": AuditEvent.objects.count(), "last_id": last.id, "last_hash": last.hash}
