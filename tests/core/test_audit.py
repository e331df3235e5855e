import io

import pytest
from django.core.management import CommandError, call_command

from renkei.core.audit import Action, record, verify_chain
from renkei.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _three_rows():
    return [record(action=Action.READ, object_type="network.patient", object_id=str(i)) for i in range(3)]


def test_rows_chain_to_the_previous_hash():
    first, second, _ = _three_rows()
    assert second.prev_hash == first.hash


def test_an_intact_chain_verifies():
    _three_rows()
    assert verify_chain() == (True, None, "audit chain intact")


def test_the_command_reports_an_intact_chain():
    _three_rows()
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "audit chain intact" in out.getvalue()


def test_it_detects_an_altered_row():
    _, second, _ = _three_rows()
    AuditEvent.objects.filter(pk=second.pk).update(detail="tampered")
    assert verify_chain()[:2] == (False, second.pk)


def test_it_detects_a_deleted_row():
    _, second, third = _three_rows()
    AuditEvent.objects.filter(pk=second.pk).delete()
    assert verify_chain()[:2] == (False, third.pk)


def test_the_command_fails_on_tampering():
    _, second, _ = _three_rows()
    AuditEvent.objects.filter(pk=second.pk).update(action="delete")
    with pytest.raises(CommandError, match="TAMPERED"):
        call_command("verify_audit")
