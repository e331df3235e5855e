"""Attachments in S3-compatible object storage (PRIVATE_STORAGE=s3, django-storages): the same access checks
and audit as on disk, the object in the bucket and nothing on disk; check_files, backup and restore read the
bucket. A local S3 (moto's server on 127.0.0.1, a free port) stands in for the real one.
"""
import socket
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.network.models import Attachment
from tests.network.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db
BUCKET = "renkei-private-test"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the private storage pointed at it."""
    import boto3

    name = f"{BUCKET}-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=name)
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": name, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
        "access_key": "testing", "secret_key": "testing", "default_acl": "private", "file_overwrite": False,
        "querystring_auth": True, "object_parameters": {"ServerSideEncryption": "AES256"},
    }}
    settings.STORAGES = {**settings.STORAGES, "default": s3, "private": s3}
    client.keys = lambda: sorted(o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", []))
    client.name = name
    return client


def _attach(client, world, file):
    response = client.post(reverse("network:post_create", args=[world.patient.pk]), {"body": "共有", "files": [file]})
    assert response.status_code in (200, 302)
    return Attachment.objects.get()


def _nothing_on_disk(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_an_upload_lands_in_the_bucket_not_on_disk(world, login, bucket, settings):
    attachment = _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    assert bucket.keys() == sorted([attachment.path, attachment.thumbnail_path])
    assert _nothing_on_disk(settings)
    head = bucket.head_object(Bucket=bucket.name, Key=attachment.path)
    assert head["ServerSideEncryption"] == "AES256"


def test_a_team_member_downloads_it_through_the_view_and_it_is_audited(world, login, bucket):
    attachment = _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    c = login(world.physician)
    response = c.get(reverse("network:attachment", args=[attachment.pk]), {"download": "1"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == bucket.get_object(Bucket=bucket.name, Key=attachment.path)["Body"].read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert response["Content-Disposition"] == 'attachment; filename="wound.png"'
    assert "Location" not in response and bucket.name not in response.serialize_headers().decode()
    assert AuditEvent.objects.filter(action="download", actor=world.physician, object_id=str(attachment.pk)).exists()


def test_a_stranger_gets_404_and_the_refusal_is_audited(world, login, bucket):
    attachment = _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    response = login(world.stranger).get(reverse("network:attachment", args=[attachment.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download", actor=world.stranger).exists()


def test_check_files_reads_the_bucket(world, login, bucket):
    from renkei.core.backup.files import check_files

    attachment = _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    assert check_files() == []
    bucket.delete_object(Bucket=bucket.name, Key=attachment.path)
    assert [(p.kind, p.path) for p in check_files()] == [("missing", attachment.path)]


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_the_bucket_s_files_back(world, login, bucket, tmp_path):
    """The archive holds the bucket's files; after losing database and bucket, restore fills both again."""
    import tarfile

    from renkei.core.backup import archive as backup_archive
    from renkei.core.backup import database
    from renkei.core.backup.files import check_files
    from renkei.core.backup.service import create_backup, restore_backup

    attachment = _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    keys = bucket.keys()
    archive = tmp_path / "backup.tar"
    create_backup(archive, key=None)
    with open(archive, "rb") as handle, tarfile.open(fileobj=backup_archive.open_reader(handle, None), mode="r|") as tar:
        assert {f"files/{attachment.path}", f"files/{attachment.thumbnail_path}"} <= {m.name for m in tar}
    database.empty_database()
    for key in keys:
        bucket.delete_object(Bucket=bucket.name, Key=key)
    restore_backup(archive, key=None)
    assert bucket.keys() == keys and check_files() == []
    assert Attachment.objects.get().sha256 == attachment.sha256


def test_restore_refuses_a_bucket_that_is_not_empty(world, login, bucket, tmp_path):
    from renkei.core.backup.service import RestoreError, restore_backup

    _attach(login(world.nurse), world, upload("wound.png", image_bytes("PNG"), "image/png"))
    with pytest.raises(RestoreError, match="bucket"):
        restore_backup(tmp_path / "unused.tar", key=None)
