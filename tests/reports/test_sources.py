"""The figure sources (renkei/reports/sources.py): what each reads is declared, and the API reuses a source's
figures only while nothing it reads was written — a write shows in the next report, and recounts only the
sources that read what it wrote."""
import datetime
import io
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.reports import adoption, sources
from renkei.reports import cache as report_cache
from tests.factories import api_key
from tests.network.factories import PatientFactory, PostFactory

from .helpers import FUCHU, MITAKA, MUSASHINO, city, consultation, staff_of

FIRST_REPLY_KEY = adoption.FIRST_REPLY

pytestmark = pytest.mark.django_db

# Tables kept by database triggers on another model's table: that model's writes bump them (network/tally.py).
KEPT_BY = {"network.PatientPostYear": "network.Post"}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def _model_of_table():
    """{db table: "app_label.Model"}; a many-to-many table belongs to the model that declares it."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        owner = model._meta.auto_created or model
        label = owner._meta.label
        found[model._meta.db_table] = KEPT_BY.get(label, label)
    return found


def _models_read(function, fiscal_years, municipality):
    with CaptureQueriesContext(connection) as ctx:
        function(fiscal_years, municipality)
    tables = {table for query in ctx.captured_queries for table in TABLE.findall(query["sql"])}
    return {_model_of_table()[table] for table in tables}


@pytest.mark.parametrize("path", sources.FIGURE_SOURCES)
def test_every_source_reads_only_the_models_it_declares(path):
    function = sources._load(path)
    read = _models_read(function, [2024, 2025], city())
    assert read, "the source ran no query: nothing was checked"
    declared = {report_cache.model_of(label) for label in sources.SOURCE_READS[path]}
    assert read <= declared, f"{path} reads undeclared models: {read - declared}"


@pytest.mark.parametrize("path", sources.FIGURE_SOURCES)
def test_every_model_a_source_reads_bumps_the_version_when_written(path):
    for label in sources.SOURCE_READS[path]:
        assert report_cache.model_of(label) in report_cache.REPORT_MODELS or label in sources.UNVERSIONED, label


def test_a_write_bumps_its_models_version_and_every_reports(django_capture_on_commit_callbacks):
    before_post, before_all = report_cache.versions(["network.Post"])[1], report_cache.version()
    before_consultation = report_cache.versions(["records.Consultation"])[1]
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory()
    assert report_cache.versions(["network.Post"])[1] > before_post
    assert report_cache.version() > before_all
    assert report_cache.versions(["records.Consultation"])[1] == before_consultation


def test_a_bump_without_a_model_moves_every_sources_key(django_capture_on_commit_callbacks):
    paths = sources.FIGURE_SOURCES
    before = sources._source_keys(paths, [2025], city())
    with django_capture_on_commit_callbacks(execute=True):
        report_cache.bump()
    after = sources._source_keys(paths, [2025], city())
    assert all(after[path] != before[path] for path in paths)


def test_a_write_moves_only_the_keys_of_the_sources_that_read_it(django_capture_on_commit_callbacks):
    before = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    with django_capture_on_commit_callbacks(execute=True):
        consultation(received_on=datetime.date(2025, 6, 1))
    after = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    moved = {path for path in sources.FIGURE_SOURCES if after[path] != before[path]}
    assert moved == {path for path in sources.FIGURE_SOURCES if "records.Consultation" in sources.SOURCE_READS[path]}


REPLIES = "renkei.reports.adoption.reply_figures"
TALLY = "renkei.network.figures.post_figures"


def _moved(write, django_capture_on_commit_callbacks):
    """The sources whose keys a write (run and committed) moves."""
    before = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    with django_capture_on_commit_callbacks(execute=True):
        write()
    after = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    return {path for path in sources.FIGURE_SOURCES if after[path] != before[path]}


def test_a_new_plain_post_recounts_the_tally_but_not_the_first_replies(django_capture_on_commit_callbacks):
    patient = PatientFactory(municipality=city())
    moved = _moved(lambda: PostFactory(patient=patient), django_capture_on_commit_callbacks)
    assert TALLY in moved and REPLIES not in moved


def test_what_can_move_the_first_replies_recounts_them(django_capture_on_commit_callbacks):
    patient = PatientFactory(municipality=city())
    plain = PostFactory(patient=patient)
    root = PostFactory(patient=patient, important=True)

    def made_important():
        plain.important = True
        plain.save()

    for write in (
        lambda: PostFactory(patient=patient, important=True),  # a new important first post
        lambda: PostFactory(patient=patient, parent=root),  # a reply
        made_important,  # an existing post changed
        lambda: PostFactory(patient=patient).delete(),  # a deletion
        lambda: report_cache.bump("network.Post"),  # a bulk write's bump of the model
    ):
        assert REPLIES in _moved(write, django_capture_on_commit_callbacks)


def _tally_key(code):
    return sources._source_keys([TALLY], [2025], city(code))[TALLY]


def test_a_new_post_recounts_only_its_patients_citys_tally(django_capture_on_commit_callbacks):
    here, elsewhere = PatientFactory(municipality=city()), PatientFactory(municipality=city(MITAKA))
    before = {code: _tally_key(code) for code in (MUSASHINO, MITAKA)}
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=here)
    assert _tally_key(MUSASHINO) != before[MUSASHINO] and _tally_key(MITAKA) == before[MITAKA]
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=elsewhere)
    assert _tally_key(MITAKA) != before[MITAKA]


def test_other_writes_of_posts_and_patients_recount_every_citys_tally(django_capture_on_commit_callbacks):
    here, elsewhere = PatientFactory(municipality=city()), PatientFactory(municipality=city(MITAKA))
    post = PostFactory(patient=here)

    def moved_to_another_patient():
        post.patient = elsewhere
        post.save()

    def patient_moved():
        here.municipality = city(FUCHU)
        here.save()

    from renkei.network.models import Post

    def new_post_without_its_patient_at_hand():
        Post.objects.create(patient_id=here.pk, author=post.author, body="patient not loaded")

    def recounted():
        from django.core.management import call_command

        call_command("recount_post_tally", stdout=io.StringIO())

    for write in (moved_to_another_patient, patient_moved, lambda: PostFactory(patient=elsewhere).delete(),
                  new_post_without_its_patient_at_hand, lambda: report_cache.bump("network.Post"), recounted):
        before = {code: _tally_key(code) for code in (MUSASHINO, MITAKA)}
        with django_capture_on_commit_callbacks(execute=True):
            write()
        assert all(_tally_key(code) != key for code, key in before.items()), write


def test_another_citys_post_leaves_the_cached_report_uncounted(client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    patient, elsewhere = PatientFactory(municipality=city()), PatientFactory(municipality=city(MITAKA))
    author = PostFactory(patient=patient, created_at=datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)).author
    first, _ = _report(client, key)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=elsewhere, author=author, created_at=datetime.datetime(2025, 6, 2, 9, tzinfo=datetime.UTC))
    second, tables = _report(client, key)
    assert _figure(second, "network.posts") == _figure(first, "network.posts")
    assert "network_patientpostyear" not in tables
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=patient, author=author, created_at=datetime.datetime(2025, 6, 3, 9, tzinfo=datetime.UTC))
    third, tables = _report(client, key)
    assert _figure(third, "network.posts") == _figure(first, "network.posts") + 1
    assert "network_patientpostyear" in tables


def test_a_reply_shows_in_the_cached_first_reply_figure(client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    patient = PatientFactory(municipality=city())
    posted = datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)
    root = PostFactory(patient=patient, important=True, created_at=posted)
    first, _ = _report(client, key)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=patient, created_at=posted)  # a plain post: the first replies are reused
    second, tables = _report(client, key)
    assert _figure(second, "network.posts") == _figure(first, "network.posts") + 1
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=patient, parent=root, created_at=posted + datetime.timedelta(minutes=90))
    third, _ = _report(client, key)
    afresh = sources.collect_figures([2025], city())
    replies = [f.value for f in afresh if f.key == FIRST_REPLY_KEY]
    assert _figure(third, FIRST_REPLY_KEY) == replies[0] == 90 != _figure(second, FIRST_REPLY_KEY)


# --- through the API, with the cache on -------------------------------------------------------------

URL = "/api/v1/reports/annual"
PARAMS = {"from_fy": 2025, "to_fy": 2025}


def _figure(body, key):
    figures = [f for item in body["years"][0]["items"] for f in item["figures"]]
    return next((f["value"] for f in figures if f["key"] == key), 0)


def _report(client, key):
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(URL, PARAMS, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    tables = {table for query in ctx.captured_queries for table in TABLE.findall(query["sql"])}
    return body, tables


def test_a_new_post_shows_at_once_and_recounts_only_what_reads_posts(client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    patient = PatientFactory(municipality=city())
    posted = datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC)
    PostFactory(patient=patient, created_at=posted)
    first, _ = _report(client, key)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=patient, created_at=posted)
    second, tables = _report(client, key)
    assert _figure(second, "network.posts") == _figure(first, "network.posts") + 1
    assert "network_patientpostyear" in tables  # the posts' source counted again
    assert "records_consultation" not in tables and "programs_linkagefeeclaim" not in tables  # the others reused


def test_a_consultation_shows_at_once_and_the_posts_are_not_recounted(client, cached, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    first, _ = _report(client, key)
    with django_capture_on_commit_callbacks(execute=True):
        consultation(received_on=datetime.date(2025, 6, 1))
    second, tables = _report(client, key)
    assert _figure(second, "records.consultations") == _figure(first, "records.consultations") + 1
    assert "records_consultation" in tables and "network_patientpostyear" not in tables


def test_the_cached_report_is_the_report_counted_afresh(client, cached, settings, django_capture_on_commit_callbacks):
    key = api_key(staff_of())
    patient = PatientFactory(municipality=city())
    PostFactory(patient=patient, created_at=datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC))
    consultation(received_on=datetime.date(2025, 6, 1))
    _report(client, key)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(patient=patient, created_at=datetime.datetime(2025, 7, 1, 9, tzinfo=datetime.UTC))
    from_cache, _ = _report(client, key)
    settings.REPORT_API_CACHE_SECONDS = 0
    afresh, _ = _report(client, key)
    assert from_cache == afresh


def test_only_the_sources_that_read_the_audit_trail_are_kept_as_briefly_as_the_report(monkeypatch):
    kept = {}
    monkeypatch.setattr(sources.cache, "set", lambda key, value, timeout: kept.update({key.split(":")[2]: timeout}))
    sources.collect_figures([2025], city(), cache_seconds=30)
    assert kept["renkei.reports.adoption.activity_figures"] == 30
    assert {path: seconds for path, seconds in kept.items() if seconds != 30} == {
        path: sources.VERSIONED_SECONDS for path in sources.FIGURE_SOURCES
        if not set(sources.SOURCE_READS[path]) & sources.UNVERSIONED}


def test_the_day_is_part_of_every_key(monkeypatch):
    monkeypatch.setattr(sources.timezone, "localdate", lambda: datetime.date(2026, 3, 31))
    before = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    monkeypatch.setattr(sources.timezone, "localdate", lambda: datetime.date(2026, 4, 1))
    after = sources._source_keys(sources.FIGURE_SOURCES, [2025], city())
    assert all(before[path] != after[path] for path in sources.FIGURE_SOURCES)
