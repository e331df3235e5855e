"""Queries compiled once per process give what the queryset built anew gives: the API answers the same JSON
with the compiled paths as with the plain ORM, the access rule refuses the same requests, every read and write
is still audited."""
import datetime
import secrets

import pytest
from django.utils import timezone

from renkei.core import access, tokens
from renkei.core.compiled import CompiledQuery
from renkei.core.models import ApiToken, AuditEvent
from renkei.network.models import Patient
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


def _plain_orm(monkeypatch):
    """Switch the compiled paths off: every query built and compiled by the ORM on each call."""
    monkeypatch.setattr(CompiledQuery, "_compile", lambda self, alias, values: None)
    monkeypatch.setattr(tokens, "_compiled_token_query", lambda alias: None)


def _headers(user):
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _answers(client, world, headers):
    patient = world.patient.pk
    return [
        client.get("/api/v1/patients?limit=20", **headers).json(),
        client.get(f"/api/v1/patients/{patient}/posts?limit=20", **headers).json(),
        client.get(f"/api/v1/patients/{patient}", **headers).json(),
        client.get(f"/api/v1/patients/{world.other_patient.pk}/posts", **headers).json(),
        client.get("/api/v1/patients/999999/posts", **headers).json(),
    ]


def test_the_api_answers_the_same_json_compiled_or_not(client, world, monkeypatch):
    PostFactory(patient=world.patient, author=world.physician, body="内服変更")
    PostFactory(patient=world.patient, author=world.nurse, body="訪問しました", important=True)
    headers = _headers(world.nurse)
    _answers(client, world, headers)  # the timeline marks the posts read: both runs below see the same state
    compiled = _answers(client, world, headers)
    with monkeypatch.context() as patch:
        _plain_orm(patch)
        plain = _answers(client, world, headers)
    assert compiled == plain
    assert compiled[0]["count"] == 1 and len(compiled[1]["items"]) == 2  # a real answer, not two errors
    assert compiled[3] == compiled[4] == {"detail": "見つかりません。"}


def test_a_new_post_answers_the_same_json_compiled_or_not(client, world, monkeypatch):
    headers = _headers(world.nurse)
    url = f"/api/v1/patients/{world.patient.pk}/posts"

    def post(body):
        answer = client.post(url, {"body": body}, content_type="application/json", **headers)
        assert answer.status_code == 201
        return {k: v for k, v in answer.json().items() if k not in ("id", "created_at")}

    compiled = post("同じ本文")
    with monkeypatch.context() as patch:
        _plain_orm(patch)
        plain = post("同じ本文")
    assert compiled == plain and compiled["author"] == str(world.nurse)


def test_the_compiled_access_check_gives_the_instance_the_orm_gives(world):
    for with_consent in (False, True):
        found = access.get_visible_patient_or_404(world.nurse, world.patient.pk, with_consent=with_consent)
        expected = access._visible_patient_query(world.nurse.pk, world.patient.pk, with_consent=with_consent).get()
        assert access._VISIBLE_PATIENT[with_consent]._compile("default", (1, 1)) is not None
        assert found == expected and found.__dict__.keys() == expected.__dict__.keys()
        assert {k: v for k, v in found.__dict__.items() if k != "_state"} == \
            {k: v for k, v in expected.__dict__.items() if k != "_state"}
        assert found.municipality == expected.municipality


def test_the_compiled_access_check_refuses_what_the_rule_refuses(world):
    from django.http import Http404

    for user, patient in [(world.nurse, world.other_patient.pk), (world.stranger, world.patient.pk),
                          (world.nurse, 999999), (world.nurse, "x"), (None, world.patient.pk)]:
        with pytest.raises(Http404):
            access.get_visible_patient_or_404(user, patient)
    # The rule itself still decides: the same user after leaving the team is refused.
    world.patient.team_members.filter(user=world.nurse).update(status="removed")
    with pytest.raises(Http404):
        access.get_visible_patient_or_404(world.nurse, world.patient.pk)


def test_reads_and_writes_stay_audited(client, world):
    headers = _headers(world.nurse)
    before = AuditEvent.objects.count()
    client.get("/api/v1/patients", **headers)
    client.get(f"/api/v1/patients/{world.patient.pk}/posts", **headers)
    client.post(f"/api/v1/patients/{world.patient.pk}/posts", {"body": "記録"}, content_type="application/json",
                **headers)
    rows = AuditEvent.objects.order_by("id")[before:]
    assert [r.detail.split(" ")[0:2] for r in rows if r.action == "read"] == [["api", "patient"], ["api", "posts"]]
    assert any(r.patient_id == str(world.patient.pk) and r.action != "read" for r in rows)


def test_a_sample_value_a_constant_could_equal_falls_back_to_the_orm():
    # Two samples with one value: a place cannot tell them apart, so the compiled path is refused; answers stay right.
    query = CompiledQuery(Patient, lambda a, b: Patient.objects.filter(pk=a).exclude(pk=b), 1, 1)
    assert query._compile("default", (-1, -2)) is None
    assert query.run(-1, -2) == []


def test_a_value_used_in_several_places_takes_the_runs_value_in_each(world):
    query = CompiledQuery(Patient, lambda a: Patient.objects.filter(pk=a).filter(pk__gte=a), -730_101)
    assert query._compile("default", (1,)) is not None
    assert query.run(world.patient.pk) == [world.patient]
    assert query.run(world.other_patient.pk) == [world.other_patient]


def test_a_list_is_compiled_once_per_length_and_pages_like_a_slice(world):
    from renkei.core.compiled import ids_sample

    ids = sorted(Patient.objects.values_list("pk", flat=True))
    query = CompiledQuery(Patient, lambda pks: Patient.objects.filter(pk__in=pks).order_by("pk"), ids_sample(-730_200))
    assert query._compile("default", (ids,)) is not None
    assert [p.pk for p in query.run(ids)] == ids
    assert [p.pk for p in query.run(ids[:1])] == ids[:1]
    assert [p.pk for p in query.run(ids, limit=1, offset=1)] == ids[1:2]
    assert query.run([]) == []
    values = CompiledQuery(Patient, lambda pks: Patient.objects.filter(pk__in=pks).order_by("pk").values_list(
        "pk", "name"), ids_sample(-730_300))
    assert values.run(ids) == list(Patient.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "name"))


def test_the_api_s_patient_list_and_timeline_queries_compile(world):
    """Each compiled query finds its stand-ins (otherwise it would quietly build the queryset on every run)."""
    from renkei.network import api, selectors

    assert selectors._PATIENT_PAGE._compile("default", (1,)) is not None
    for (mode, _), query in api._TIMELINE.items():
        assert query._compile("default", (1,) if mode == "newest" else (1, 1)) is not None
    assert api._FILES._compile("default", ([1, 2, 3],)) is not None
    assert api._RECEIPTS._compile("default", ([1, 2, 3],)) is not None


def test_every_timeline_page_answers_the_same_json_compiled_or_not(client, world, monkeypatch):
    posts = [PostFactory(patient=world.patient, author=world.physician, body=f"投稿{i}") for i in range(5)]
    headers = _headers(world.nurse)
    url = f"/api/v1/patients/{world.patient.pk}/posts"
    queries = ["limit=2", "limit=2&offset=2", f"before={posts[3].pk}&limit=2", f"after={posts[1].pk}&limit=2",
               "limit=2&offset=10"]
    client.get(url + "?limit=100", **headers)  # mark everything read first: both runs see the same state
    compiled = [client.get(f"{url}?{q}", **headers).json() for q in queries]
    with monkeypatch.context() as patch:
        _plain_orm(patch)
        plain = [client.get(f"{url}?{q}", **headers).json() for q in queries]
    assert compiled == plain
    assert [len(page["items"]) for page in compiled] == [2, 2, 2, 2, 0] and compiled[0]["next"] is not None
