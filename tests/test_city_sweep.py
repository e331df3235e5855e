"""Every route with an id of records, programs and reports, walked as staff of one city over every object
of another city: each answers exactly as for an id that does not exist (404), shows nothing of the other
city and changes no row.

The routes come from the URL resolver (pages of the `records`, `programs` and `reports` namespaces; the
API operations under /api/v1/ defined in those apps), so a new route is swept without being listed here.
City B's world holds a row of every model of the three apps and city A has none, so every id the sweep
tries is either missing or B's. Both directions are walked: Mitaka's staff over Musashino's records and
Musashino's staff over Mitaka's.
"""
import datetime
import re
import secrets

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from renkei.core.models import ApiToken, FacilityKind, Municipality, Profession
from tests.factories import FacilityFactory, UserFactory, verify_client

pytestmark = pytest.mark.django_db

SCOPED_APPS = ("records", "programs", "reports")
# Written into every text of city B's rows: a page or a file that shows it has read B's data.
MARKER = "他市の記録ZQ7"
MISSING = 987_654_321
# Parameters that name no object, and what the sweep does with them. Any other parameter must name an id
# (`pk`, `…_pk`, `…_id`); a new kind of parameter fails `test_every_parameter_is_understood`.
FISCAL_YEAR = "fy"  # a year's page of the user's own city: it must show nothing of city B's and change nothing
NOT_SWEPT = {"token": "a survey's answer link is public: the token in the link is its own secret"}
DIRECTIONS = [("13204", "13203"), ("13203", "13204")]  # (the staff's city A, city B of the objects)


# --- the routes -------------------------------------------------------------------------------------------

def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        else:
            yield namespace, pattern, prefix + str(pattern.pattern)


def parameters(route):
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def is_id(name):
    return name == "pk" or name.endswith("_pk") or name.endswith("_id")


def page_routes(with_parameters=True):
    """{name: [parameter]} of every page route of the scoped namespaces that takes a parameter (or none)."""
    return {f"{namespace}:{pattern.name}": parameters(route) for namespace, pattern, route in _walk(
        get_resolver().url_patterns) if namespace in SCOPED_APPS and bool(parameters(route)) == with_parameters}


def _path_view(callback):
    for cell in getattr(callback, "__closure__", None) or ():
        if hasattr(cell.cell_contents, "operations"):
            return cell.cell_contents
    return None


def _app_of(function):
    """"records" for renkei.records.api, None outside renkei."""
    parts = function.__module__.split(".")
    return parts[1] if parts[0] == "renkei" and len(parts) > 1 else None


def api_routes(with_parameters=True):
    """{name: ([parameter], [method])} of every API operation of the scoped apps whose path takes a parameter
    (or none)."""
    found = {}
    for namespace, pattern, route in _walk(get_resolver().url_patterns):
        wanted = namespace == "api" and bool(parameters(route)) == with_parameters
        view = _path_view(pattern.callback) if wanted else None
        if view is None:
            continue
        methods = sorted({method.lower() for op in view.operations if _app_of(op.view_func) in SCOPED_APPS
                          for method in op.methods})
        if methods:
            found[f"api:{pattern.name}"] = (parameters(route), methods)
    return found


# --- city B's world -----------------------------------------------------------------------------------------

def build_world(city, other):
    """One row (or more) of every model of records, programs and reports, all of `city`; returns them."""
    from renkei.programs import models as p
    from renkei.records import models as r
    from renkei.reports import models as rep

    # The migrations seed Musashino's program rules: the world keeps rules of `city` only (a copy of
    # Musashino's rescue-helper rule when `city` has none), so that every rule id is foreign to city A.
    seeded = p.ProgramRule.objects.filter(program=p.Program.RESCUE_HELPER).order_by("pk").first()
    p.ProgramRule.objects.exclude(municipality=city).delete()
    made = []
    if not p.ProgramRule.objects.filter(municipality=city).exists():
        p.ProgramRule.objects.create(municipality=city, program=seeded.program, effective_from=seeded.effective_from,
                                     parameters=seeded.parameters, note=MARKER)
    made.extend(p.ProgramRule.objects.filter(municipality=city))

    # Facilities and accounts span the area (a form may list them to any city): they carry no marker.
    staff = UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=[city])

    def add(obj):
        made.append(obj)
        return obj

    council = add(r.Body.objects.create(municipality=city, kind=r.BodyKind.COUNCIL, name=f"{MARKER} 協議会",
                                        items=["i"]))
    sub = add(r.Body.objects.create(municipality=city, kind=r.BodyKind.SUBCOMMITTEE, name=f"{MARKER} 部会",
                                    council=council, items=["u"]))
    add(r.BodyMember.objects.create(body=council, organisation=f"{MARKER} 医師会"))
    meeting = add(r.Meeting.objects.create(body=sub, held_on=datetime.date(2025, 7, 1), title=f"{MARKER} 第1回",
                                           minutes=MARKER, created_by=staff))
    attachment = r.MeetingAttachment(meeting=meeting, name=f"{MARKER}.pdf", uploaded_by=staff)
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n" + MARKER.encode()), save=False)
    add(attachment).save()
    issue = add(r.Issue.objects.create(body=sub, meeting=meeting, title=f"{MARKER} 課題", item="u",
                                       raised_on=datetime.date(2025, 7, 1)))
    add(r.Countermeasure.objects.create(issue=issue, description=f"{MARKER} 対応策", item="u", owner=MARKER))
    add(r.Consultation.objects.create(municipality=city, received_on=datetime.date(2025, 5, 10), channel="phone",
                                      asker_profession="care_manager", category="admission_discharge",
                                      summary=f"{MARKER} 相談", recorded_by=staff))
    event = add(r.Event.objects.create(municipality=city, title=f"{MARKER} 研修", kind="training",
                                       audience="professionals", starts_on=datetime.date(2025, 7, 5),
                                       ends_on=datetime.date(2025, 7, 5), status="held", participants=3,
                                       created_by=staff))
    registration = add(r.Registration.objects.create(event=event, name=f"{MARKER} 受講者", profession="nurse"))
    survey = add(r.Survey.objects.create(event=event, kind=r.SurveyKind.AFTER, title=f"{MARKER} アンケート",
                                         opens_on=datetime.date(2025, 7, 5)))
    question = add(r.Question.objects.create(survey=survey, text=f"{MARKER} 設問", kind=r.QuestionKind.TEXT))
    invitation = add(r.SurveyInvitation.objects.create(survey=survey, registration=registration))
    add(r.Answer.objects.create(invitation=invitation, question=question, text=MARKER))
    pamphlet = add(r.Pamphlet.objects.create(municipality=city, title=f"{MARKER} パンフレット"))
    edition = add(r.PamphletEdition.objects.create(pamphlet=pamphlet, edition=f"{MARKER} 初版",
                                                   published_on=datetime.date(2025, 4, 1), print_run=100))
    add(r.PamphletDistribution.objects.create(edition=edition, place=f"{MARKER} 配布先",
                                              distributed_on=datetime.date(2025, 4, 2), copies=10))
    activity = add(r.RegionalActivity.objects.create(municipality=city, title=f"{MARKER} 連携会議",
                                                     counterpart=MARKER, held_on=datetime.date(2025, 6, 1)))
    activity.participants.add(other)

    helper = FacilityFactory(municipality=city, kind=FacilityKind.HOME_HELP)
    station = FacilityFactory(municipality=city, kind=FacilityKind.VISITING_NURSING)
    rescue = add(p.RescueHelperApplication.objects.create(
        municipality=city, received_on=datetime.date(2025, 6, 2), applicant_kind=p.ApplicantKind.CARE_MANAGER,
        person_name=f"{MARKER} 利用者", birth_date=datetime.date(1940, 4, 1), household="alone",
        cause="own_sudden_illness", hours_per_week=4, days=14, status=p.RescueStatus.APPROVED, created_by=staff))
    dispatch = add(p.RescueHelperDispatch.objects.create(application=rescue, provider=helper,
                                                         first_day=datetime.date(2025, 6, 2), created_by=staff))
    add(p.RescueHelperVisit.objects.create(dispatch=dispatch, visited_on=datetime.date(2025, 6, 3), minutes=60,
                                           units=2, fee_yen=500, note=MARKER, created_by=staff))
    add(p.RescueHelperProviderPayment.objects.create(municipality=city, provider=helper,
                                                     month=datetime.date(2025, 6, 1), units=2,
                                                     unit_price_yen=1800, amount_yen=3600, created_by=staff))
    restart = add(p.RestartGrantApplication.objects.create(
        municipality=city, received_on=datetime.date(2025, 8, 20), applicant_name=f"{MARKER} 申請者",
        birth_date=datetime.date(1985, 1, 1), employer_name=MARKER, facility_name=MARKER,
        facility_type="訪問介護", hired_on=datetime.date(2025, 5, 1), expected_months=12,
        qualifications=["介護福祉士"], created_by=staff))
    document = p.RestartGrantDocument(application=restart, kind=p.DocumentKind.EMPLOYMENT,
                                      original_name=f"{MARKER}.pdf", content_type="application/pdf", size=20,
                                      uploaded_by=staff)
    document.file.save("employment.pdf", ContentFile(b"%PDF-1.4\n" + MARKER.encode()), save=False)
    add(document).save()
    claim = add(p.LinkageFeeClaim.objects.create(municipality=city, station=station, month=datetime.date(2025, 4, 1),
                                                 created_by=staff))
    add(p.LinkageFeeProvision.objects.create(claim=claim, patient_ref="P001", provided_on=datetime.date(2025, 4, 10)))
    add(p.EndOfLifeConsultation.objects.create(municipality=city, received_on=datetime.date(2025, 5, 1),
                                               client_name=f"{MARKER} 相談者", topics=["will"], summary=MARKER,
                                               created_by=staff))
    add(p.EndingNoteDistribution.objects.create(municipality=city, distributed_on=datetime.date(2025, 5, 1),
                                                place="other", count=5, note=MARKER, created_by=staff))
    add(p.EndingNoteDownload.objects.create(municipality=city, day=datetime.date(2025, 5, 1), count=3))
    for subject in (rescue, restart, claim):
        add(p.Decision.objects.create(municipality=city, content_type=ContentType.objects.get_for_model(subject),
                                      object_id=subject.pk, outcome="approved", outcome_label="承認",
                                      reason=f"{MARKER} 理由", decided_by=staff))

    add(rep.HistoricalFigure.objects.create(municipality=city, fiscal_year=2025, item="o", key="records.consultations",
                                            label="相談件数", value=7, source=f"{MARKER} 資料"))
    add(rep.ReportLine.objects.create(municipality=city, fiscal_year=2025, item="o", text=f"{MARKER} 記述",
                                      written_by=staff))
    return made


def scoped_models():
    return [model for app in SCOPED_APPS for model in apps.get_app_config(app).get_models()]


def snapshot():
    """Every row of every table of the scoped apps (M2M tables included), to prove nothing changed."""
    tables = [model for app in SCOPED_APPS for model in apps.get_app_config(app).get_models(include_auto_created=True)]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in tables}


def candidates(names, world, fiscal_years):
    """The kwargs to try: every id of the world in every id parameter, and each row's real (parent, row) pair."""
    if names == [FISCAL_YEAR]:
        return [{FISCAL_YEAR: fy} for fy in sorted(fiscal_years)]
    ids = sorted({obj.pk for obj in world})
    combos = {(i,) * len(names) for i in ids}
    if len(names) == 2:
        for obj in world:
            for field in obj._meta.concrete_fields:
                parent = getattr(obj, field.attname) if field.is_relation else None
                if parent is not None and field.related_model in scoped_models():
                    combos.add((parent, obj.pk))
    return [dict(zip(names, combo, strict=True)) for combo in sorted(combos)]


def missing(names):
    return {name: (2025 if name == FISCAL_YEAR else MISSING) for name in names}


# --- asking ------------------------------------------------------------------------------------------------

def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def ask(client, method, url, headers):
    kwargs = {"content_type": "application/json", "data": "{}"} if headers and method != "get" else {}
    response = getattr(client, method)(url, **kwargs, **headers)
    return response.status_code, response.get("Location", ""), body_of(response)


def leaks(client, headers, name, method, names, world, fiscal_years):
    """What the route answers to B's ids that it does not answer to a missing id."""
    found = []
    base_status, base_location, _ = ask(client, method, reverse(name, kwargs=missing(names)), headers)
    if names != [FISCAL_YEAR] and base_status not in (404, 405):
        found.append(f"{name} {method.upper()} missing id: {base_status} (404 expected)")
    for kwargs in candidates(names, world, fiscal_years):
        url = reverse(name, kwargs=kwargs)
        status, location, content = ask(client, method, url, headers)
        if MARKER.encode() in content:
            found.append(f"{name} {method.upper()} {url}: {status}, shows city B's data")
        elif names != [FISCAL_YEAR] and (status, location) != (base_status, base_location):
            found.append(f"{name} {method.upper()} {url}: {status} {location} (missing id: {base_status})")
    return found


@pytest.fixture(params=DIRECTIONS, ids=["mitaka-staff-over-musashino", "musashino-staff-over-mitaka"])
def sweep(request):
    """City B's world, and a client and an API header of city A's staff (staff and coordinator roles)."""
    city_a, city_b = (Municipality.objects.get(code=code) for code in request.param)
    world = build_world(city_b, Municipality.objects.get(code="13206"))
    staff = UserFactory(is_municipal_staff=True, is_coordinator=True, profession=Profession.MUNICIPAL,
                        acts_for=[city_a])
    client = verify_client(Client(raise_request_exception=False), staff)
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=staff, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    api = Client(raise_request_exception=False)
    fiscal_years = {row.fiscal_year for row in world if hasattr(row, "fiscal_year")}
    return {"client": client, "api": api, "headers": {"HTTP_AUTHORIZATION": f"Bearer {key}"}, "world": world,
            "fiscal_years": fiscal_years}


def walk(sweep, methods):
    found = []
    for name, names in sorted(page_routes().items()):
        if any(n in NOT_SWEPT for n in names):
            continue
        for method in methods:
            found += leaks(sweep["client"], {}, name, method, names, sweep["world"], sweep["fiscal_years"])
    for name, (names, api_methods) in sorted(api_routes().items()):
        for method in api_methods:
            if (method == "get") == ("get" in methods):
                found += leaks(sweep["api"], sweep["headers"], name, method, names, sweep["world"],
                               sweep["fiscal_years"])
    return found


# --- the tests ---------------------------------------------------------------------------------------------

def test_the_sweep_finds_the_routes_of_every_scoped_app():
    pages, api = page_routes(), api_routes()
    for app in SCOPED_APPS:
        assert any(name.startswith(f"{app}:") for name in pages), f"no page route with an id in {app}"
    assert api, "no API route with an id in records, programs or reports"
    assert {"records:consultation_detail", "programs:rescue_detail", "reports:line_action"} <= set(pages)
    assert "api:get_consultation" in api


def test_every_parameter_is_understood():
    names = {n for ns in page_routes().values() for n in ns} | {n for ns, _ in api_routes().values() for n in ns}
    assert all(is_id(n) or n == FISCAL_YEAR or n in NOT_SWEPT for n in names), sorted(names)


def test_city_bs_world_has_a_row_of_every_model():
    world = build_world(Municipality.objects.get(code="13203"), Municipality.objects.get(code="13206"))
    built = {type(obj) for obj in world}
    assert [m.__name__ for m in scoped_models() if m not in built] == []


def test_reading_any_id_of_another_city_answers_as_a_missing_one(sweep):
    found = walk(sweep, ["get"])
    assert not found, "\n".join(found)


def test_writing_to_any_id_of_another_city_answers_as_a_missing_one_and_changes_nothing(sweep):
    before = snapshot()
    found = walk(sweep, ["post"])
    changed = [label for label, rows in snapshot().items() if rows != before[label]]
    assert not found and not changed, "\n".join(found + [f"changed: {label}" for label in changed])


def test_lists_reports_and_exports_show_nothing_of_another_city(sweep):
    """The routes without an id (lists, the report, CSV and other exports), read as city A's staff."""
    found = []
    for name in sorted(page_routes(with_parameters=False)):
        status, _, content = ask(sweep["client"], "get", reverse(name), {})
        if MARKER.encode() in content or status >= 500:
            found.append(f"{name} GET {reverse(name)}: {status}, shows city B's data or fails")
    for name, (_, methods) in sorted(api_routes(with_parameters=False).items()):
        if "get" in methods:
            status, _, content = ask(sweep["api"], "get", reverse(name), sweep["headers"])
            if MARKER.encode() in content or status >= 500:
                found.append(f"{name} GET {reverse(name)}: {status}, shows city B's data or fails")
    assert page_routes(with_parameters=False) and api_routes(with_parameters=False)
    assert not found, "\n".join(found)


def test_the_sweep_sees_a_leak():
    """The walk itself: a route that shows a foreign row is reported (guards against a sweep that asks nothing)."""
    class Answer:
        def __init__(self, status, content):
            self.status_code, self.content, self.streaming = status, content, False

        def get(self, key, default=""):
            return default

    class LeakyClient:
        def get(self, url, **kwargs):
            return Answer(404, b"") if str(MISSING) in url else Answer(200, MARKER.encode())

    world = [type("Row", (), {"pk": 3})()]
    found = leaks(LeakyClient(), {}, "records:consultation_detail", "get", ["pk"], world, set())
    assert found == ["records:consultation_detail GET /records/consultations/3/: 200, shows city B's data"]


def test_candidates_pair_each_row_with_its_parent():
    from renkei.programs.models import LinkageFeeClaim, LinkageFeeProvision

    claim = LinkageFeeClaim(pk=5)
    provision = LinkageFeeProvision(pk=9, claim=claim)
    tried = candidates(["pk", "provision_pk"], [claim, provision], set())
    assert {"pk": 5, "provision_pk": 9} in tried and {"pk": 9, "provision_pk": 9} in tried


def test_more_than_two_ids_are_tried_in_every_position():
    assert candidates(["a_pk", "b_pk", "c_pk"], [type("Row", (), {"pk": 4})()], set()) == [
        {"a_pk": 4, "b_pk": 4, "c_pk": 4}]
