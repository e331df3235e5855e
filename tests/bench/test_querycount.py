import pytest

from renkei.core.querycount import QueryCountMiddleware

pytestmark = pytest.mark.django_db


def test_health_answers_without_a_token(client):
    assert client.get("/api/v1/health").json() == {"status": "ok"}


def test_the_middleware_counts_queries(rf):
    from renkei.core.models import Municipality

    def view(request):
        list(Municipality.objects.all())
        list(Municipality.objects.all())
        from django.http import HttpResponse

        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(rf.get("/"))
    assert response["X-Query-Count"] == "2" and float(response["X-Query-Time-Ms"]) > 0


def test_the_time_is_that_of_the_queries_only(rf):
    import time

    from django.http import HttpResponse

    def view(request):
        time.sleep(0.05)  # not database time
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(rf.get("/"))
    assert (response["X-Query-Count"], response["X-Query-Time-Ms"]) == ("0", "0.00")


def test_health_does_no_database_work(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/api/v1/health")
