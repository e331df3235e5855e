"""Database routing (renkei/core/dbrouting.py): the public directory and the report figures read a replica,
everything else (patient data, writes, the audit trail, sessions, transactions, a request after its first
write) the primary; without replicas everything reads the primary.

The test settings add a `replica` alias, a TEST MIRROR of default (the same test database through a second
connection); a test turns replicas on with DATABASE_REPLICAS=["replica"]. The page tests are transactional:
in a TestCase every query runs inside the test's transaction, which the router keeps on the primary.
"""
import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.core.dbrouting import ReplicaRouter, replica_reads
from renkei.core.models import AuditEvent, Facility, Municipality, User
from renkei.network.models import Patient
from renkei.reports.models import HistoricalFigure
from tests.directory.factories import FacilityFactory

BOTH = ["default", "replica"]


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    yield
    connections["replica"].close()  # PostgreSQL drops the test database only when nobody is connected


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


class Captured:
    """The SQL each connection ran inside the block."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def sql(self, alias):
        return [q["sql"] for q in self.contexts[alias].captured_queries]


# ---------------------------------------------------------------- the router itself (no query runs)


def test_reads_outside_a_marked_block_go_to_the_primary(replicas):
    assert router.db_for_read(Facility) == "default"


def test_directory_reads_in_a_marked_block_go_to_the_replica(replicas):
    with replica_reads("directory"):
        assert router.db_for_read(Facility) == "replica"
        assert router.db_for_read(Municipality) == "replica"


@pytest.mark.parametrize("model", [User, AuditEvent])
def test_accounts_and_the_trail_never_read_a_replica(replicas, model):
    for scope in ("directory", "reports"):
        with replica_reads(scope):
            assert router.db_for_read(model) == "default"


def test_the_directory_scope_never_reads_patient_data_on_a_replica(replicas):
    with replica_reads("directory"):
        assert router.db_for_read(Patient) == "default"


def test_reads_reached_from_an_account_go_to_the_primary(replicas):
    """user.acts_for.all() reads Municipality rows, but it answers an access question."""
    with replica_reads("reports"):
        assert router.db_for_read(Municipality, instance=User(pk=1)) == "default"
        assert router.db_for_read(Municipality) == "replica"


def test_the_directory_scope_does_not_reach_the_report_tables(replicas):
    with replica_reads("directory"):
        assert router.db_for_read(HistoricalFigure) == "default"
    with replica_reads("reports"):
        assert router.db_for_read(HistoricalFigure) == "replica"


def test_writes_go_to_the_primary_and_pin_the_rest_of_the_block_to_it(replicas):
    with replica_reads("directory"):
        assert router.db_for_write(Facility) == "default"
        assert router.db_for_read(Facility) == "default"  # read-your-writes
    with replica_reads("directory"):
        assert router.db_for_read(Facility) == "replica"  # a new block (a new request) starts unpinned


def test_an_audit_row_does_not_pin_the_block(replicas):
    with replica_reads("reports"):
        router.db_for_write(AuditEvent)
        assert router.db_for_read(HistoricalFigure) == "replica"


def test_without_replicas_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with replica_reads("directory"):
        assert router.db_for_read(Facility) == "default"


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError):
        with replica_reads("patients"):
            pass


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "core") and not ReplicaRouter().allow_migrate("replica", "core")


# ---------------------------------------------------------------- whole requests, queries counted per connection


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_public_search_reads_the_replica(client, replicas):
    FacilityFactory(name="公開の訪問看護")
    with Captured() as captured:
        response = client.get(reverse("directory:search"))
    assert response.status_code == 200 and "公開の訪問看護" in response.content.decode()
    assert captured.sql("replica") and not any("directory_" in sql for sql in captured.sql("default"))


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_public_api_and_detail_page_read_the_replica(client, replicas):
    facility = FacilityFactory(name="公開の診療所")
    with Captured() as captured:
        assert client.get(f"/api/v1/facilities/{facility.pk}").status_code == 200
        assert client.get(reverse("directory:detail", args=[facility.pk])).status_code == 200
        assert client.get("/api/v1/facilities").json()["count"] >= 1
    assert len(captured.sql("replica")) >= 3
    # Who administers the facility (an access question, for the edit link) is asked of the primary.
    assert not any("directory_" in sql or "FROM \"core_facility\"" in sql for sql in captured.sql("default"))


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_replicas_the_public_search_reads_the_primary(client, settings):
    settings.DATABASE_REPLICAS = []
    FacilityFactory(name="公開の訪問看護")
    with Captured() as captured:
        assert client.get(reverse("directory:search")).status_code == 200
    assert captured.sql("default") and not captured.sql("replica")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_annual_report_counts_on_the_replica_and_checks_access_on_the_primary(login, replicas):
    from tests.factories import staff_user

    client = login(staff_user(username="staff", name="市役 花子"))
    with Captured() as captured:
        response = client.get(reverse("reports:annual"), {"from_fy": 2019, "to_fy": 2021})
    assert response.status_code == 200
    assert captured.sql("replica")
    replica_sql = " ".join(captured.sql("replica"))
    # The counts may join accounts (members per city); the access check (the cities the user acts for) may not.
    for access_read in ('FROM "core_user"', '"core_user_acts_for"', 'FROM "core_affiliation"', "django_session",
                        "core_auditevent"):
        assert access_read not in replica_sql


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_patient_pages_and_writes_use_only_the_primary(login, replicas):
    from tests import world

    w = world.build()
    client = login(w.physician)
    with Captured() as captured:
        assert client.get(reverse("network:timeline", args=[w.patient.pk])).status_code == 200
        response = client.post(reverse("network:post_create", args=[w.patient.pk]), {"body": "経過良好です。"})
        assert response.status_code in (200, 302)
    assert captured.sql("default") and not captured.sql("replica")
    assert any("INSERT" in sql and "core_auditevent" in sql for sql in captured.sql("default"))


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_transaction_reads_the_primary_even_in_a_marked_block(replicas):
    FacilityFactory(name="公開の訪問看護")
    with Captured() as captured, replica_reads("directory"), transaction.atomic():
        assert Facility.objects.filter(name="公開の訪問看護").exists()
    assert captured.sql("default") and not captured.sql("replica")
