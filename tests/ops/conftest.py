"""Operations tests' small world: a patient's team with a photo on the timeline, a programme document
and a meeting file, all stored through the services, so the database, the audit chain and the
private files are those a running site has."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.core.backup.archive import generate_key, parse_key
from renkei.network import attachments
from renkei.programs.services import upload_restart_document
from renkei.records.services import add_meeting_attachment
from tests.network.factories import CareTeamMemberFactory, ConsentFactory, PostFactory
from tests.programs.factories import RestartApplicationFactory, StaffFactory
from tests.records.factories import MeetingFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def key_text(settings):
    """The operator's backup key, in settings.BACKUP_KEY as the commands read it."""
    text = generate_key()
    settings.BACKUP_KEY = text
    return text


@pytest.fixture
def key(key_text):
    return parse_key(key_text)


@pytest.fixture
def stored(db):
    """Rows and files of three kinds: an attachment (with thumbnail), a programme document, a meeting file."""

    class Stored:
        pass

    s = Stored()
    member = CareTeamMemberFactory(is_manager=True)
    s.nurse, s.patient = member.user, member.patient
    ConsentFactory(patient=s.patient, obtained_by=s.nurse)
    post = PostFactory(patient=s.patient, author=s.nurse)
    s.attachment = attachments.store(attachments.prepare(png_upload()), written=[], uploaded_by=s.nurse, post=post)
    staff = StaffFactory()
    s.document = upload_restart_document(application=RestartApplicationFactory(created_by=staff), kind="employment",
                                         uploaded_file=SimpleUploadedFile("doc.pdf", PDF), actor=staff)
    s.meeting_file = add_meeting_attachment(user=staff, meeting=MeetingFactory(),
                                            upload=SimpleUploadedFile("minutes.pdf", PDF))
    return s
