"""The post tally (posts per patient per fiscal year) kept by database triggers: every write path counts."""
import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection

from renkei.network import tally
from renkei.network.models import Channel, PatientPostYear, Post, PostKind
from tests.network.factories import PatientFactory, PostFactory

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def _tokyo(*args):
    return datetime.datetime(*args, tzinfo=TOKYO)


def _tally():
    return {(r.patient_id, r.fiscal_year): r.posts for r in PatientPostYear.objects.filter(posts__gt=0)}


def test_a_post_counts_in_its_fiscal_year_in_japan_time(world):
    # 1 April 00:10 in Tokyo is still 31 March in UTC: the post belongs to the new fiscal year.
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, 4, 1, 0, 10))
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, 3, 31, 23, 50))
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2025, 3, 31, 23, 59))
    assert _tally() == {(world.patient.pk, 2023): 1, (world.patient.pk, 2024): 2}


def test_notices_the_family_channel_and_group_posts_do_not_count(world):
    PostFactory(patient=world.patient, author=world.physician, kind=PostKind.NOTICE)
    PostFactory(patient=world.patient, author=world.physician, channel=Channel.FAMILY)
    PostFactory(patient=world.patient, author=world.physician, kind=PostKind.VITALS, created_at=_tokyo(2024, 6, 1, 9))
    assert _tally() == {(world.patient.pk, 2024): 1}


def test_bulk_inserts_count_too(world):
    Post.objects.bulk_create(
        [Post(patient=world.patient, author=world.physician, body=f"{i}", created_at=_tokyo(2023, 5, 1, 9)) for i in range(4)]
    )
    assert _tally() == {(world.patient.pk, 2023): 4}


def test_deleting_a_post_uncounts_it(world):
    kept, gone = PostFactory.create_batch(2, patient=world.patient, author=world.physician, created_at=_tokyo(2023, 5, 1, 9))
    gone.delete()
    assert _tally() == {(world.patient.pk, 2023): 1}


def test_moving_a_post_moves_its_count_and_an_edit_changes_nothing(world):
    post = PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2023, 5, 1, 9))
    post.body = "訂正しました。"
    post.save()
    assert _tally() == {(world.patient.pk, 2023): 1}
    Post.objects.filter(pk=post.pk).update(created_at=_tokyo(2024, 5, 1, 9), patient=world.other_patient)
    assert _tally() == {(world.other_patient.pk, 2024): 1}
    Post.objects.filter(pk=post.pk).update(kind=PostKind.NOTICE)
    assert _tally() == {}


def test_deleting_a_patient_removes_its_rows(world):
    patient = PatientFactory()
    PostFactory(patient=patient, author=world.physician, created_at=_tokyo(2023, 5, 1, 9))
    patient.delete()
    assert not PatientPostYear.objects.filter(patient_id=patient.pk).exists()


def test_recount_gives_what_the_triggers_kept(world):
    for month in (1, 4, 7, 12):
        PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, month, 1, 9))
    PostFactory(patient=world.other_patient, author=world.stranger, created_at=_tokyo(2024, 4, 1, 0, 5))
    kept = _tally()
    PatientPostYear.objects.all().delete()
    tally.recount()
    assert _tally() == kept == {(world.patient.pk, 2023): 1, (world.patient.pk, 2024): 3, (world.other_patient.pk, 2024): 1}


def test_the_command_reinstalls_the_triggers_and_recounts(world):
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, 5, 1, 9))
    tally.uninstall()
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, 5, 2, 9))
    assert _tally() == {(world.patient.pk, 2024): 1}  # the second post went uncounted without triggers
    call_command("recount_post_tally", stdout=open("/dev/null", "w"))
    assert _tally() == {(world.patient.pk, 2024): 2}
    PostFactory(patient=world.patient, author=world.physician, created_at=_tokyo(2024, 5, 3, 9))
    assert _tally() == {(world.patient.pk, 2024): 3}


def test_the_triggers_exist_after_migrating():
    """SQLite drops a table's triggers when a migration rebuilds it; post_migrate puts them back."""
    if connection.vendor == "postgresql":
        sql = "SELECT count(*) FROM pg_trigger WHERE tgname = 'network_post_tally' AND NOT tgisinternal"
        expected = 1
    else:
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'network_post_tally_%'"
        expected = 3
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchone()[0] == expected


def test_the_fiscal_year_expression_needs_a_zone_without_daylight_saving(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    with pytest.raises(RuntimeError):
        tally.fiscal_year_sql("created_at", "sqlite")
