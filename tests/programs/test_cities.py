"""Each city's programs are its own: staff of one city find another city's applications, claims,
documents, payments and rule versions missing (404 exactly as a missing id), on pages, actions and CSVs."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from renkei.core.models import FacilityKind
from renkei.programs import services
from renkei.programs.models import (
    ClaimStatus,
    Decision,
    LinkageFeeClaim,
    RescueHelperApplication,
    RescueHelperProviderPayment,
    RescueStatus,
    RestartGrantApplication,
)
from tests.factories import FacilityFactory
from tests.programs.factories import (
    ClaimFactory,
    DispatchFactory,
    ProgramRuleFactory,
    ProvisionFactory,
    RestartApplicationFactory,
    StaffFactory,
    VisitFactory,
    city,
    city_field,
    seeded_rule,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Every programs route with an id: the method it answers, and the kind of object it names.
ROUTES = {
    "programs:rescue_detail": ("get", "rescue"),
    "programs:rescue_bill": ("get", "rescue"),
    "programs:rescue_edit": ("get", "rescue"),
    "programs:rescue_decide": ("post", "rescue"),
    "programs:rescue_dispatch": ("post", "rescue"),
    "programs:rescue_visit": ("post", "rescue"),
    "programs:restart_detail": ("get", "restart"),
    "programs:restart_edit": ("get", "restart"),
    "programs:restart_assess": ("post", "restart"),
    "programs:restart_confirm": ("post", "restart"),
    "programs:restart_pay": ("post", "restart"),
    "programs:restart_reject": ("post", "restart"),
    "programs:restart_upload": ("post", "restart"),
    "programs:restart_document": ("get", "document"),
    "programs:linkage_claim": ("get", "claim"),
    "programs:linkage_provision_add": ("post", "claim"),
    "programs:linkage_provision_delete": ("post", "provision"),
    "programs:linkage_approve": ("post", "claim"),
    "programs:linkage_return": ("post", "claim"),
    "programs:linkage_claim_csv": ("get", "claim"),
    "programs:rule_edit": ("get", "rule"),
}
BODIES = {  # valid bodies, so that only the city can refuse
    "programs:rescue_decide": {"approve": "1", "reason": "確認"},
    "programs:rescue_visit": {"visited_on": "2025-06-03", "minutes": "30"},
    "programs:restart_reject": {"reason": "退職"},
    "programs:restart_confirm": {"on": "2021-01-01", "reason": "確認"},
    "programs:restart_pay": {"on": "2021-01-01", "reason": "振込"},
    "programs:linkage_approve": {"reason": "確認"},
    "programs:linkage_return": {"reason": "差戻し"},
    "programs:linkage_provision_add": {"patient_ref": "Z", "provided_on": "2025-04-02", "unified_form": "on"},
}


def _programs_routes_with_an_id(patterns=None, prefix="", namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _programs_routes_with_an_id(pattern.url_patterns, prefix + str(pattern.pattern),
                                                   pattern.namespace or namespace)
        elif "<" in prefix + str(pattern.pattern) and namespace == "programs":
            yield f"programs:{pattern.name}"


def _objects(code):
    """One object of each kind belonging to the city `code` (made by its own staff)."""
    municipality = city(code)
    staff = StaffFactory(acts_for=[municipality])
    if code != "13203":
        ProgramRuleFactory(municipality=municipality, effective_from=dt.date(2016, 4, 1))
    visit = VisitFactory(dispatch__application__municipality=municipality, dispatch__application__created_by=staff)
    restart = RestartApplicationFactory(municipality=municipality, created_by=staff)
    document = services.upload_restart_document(
        application=restart, kind="employment", uploaded_file=SimpleUploadedFile("a.pdf", PDF), actor=staff)
    provision = ProvisionFactory(claim__municipality=municipality)
    ClaimFactory(municipality=municipality, status=ClaimStatus.APPROVED, station=provision.claim.station,
                 month=dt.date(2025, 5, 1), total_yen=1000, patients=1)
    rule = seeded_rule("rescue_helper", code)
    rescue = visit.dispatch.application
    return {
        "rescue": {"pk": rescue.pk}, "restart": {"pk": restart.pk},
        "document": {"pk": restart.pk, "doc_pk": document.pk},
        "claim": {"pk": provision.claim_id}, "provision": {"pk": provision.claim_id, "provision_pk": provision.pk},
        "rule": {"pk": rule.pk},
    }


def test_every_programs_route_with_an_id_is_in_the_city_sweep():
    assert set(_programs_routes_with_an_id()) == set(ROUTES)


@pytest.mark.parametrize("mine, theirs", [("13203", "13204"), ("13204", "13203")])
def test_another_citys_objects_answer_404_like_missing_ones(client, login, mine, theirs):
    _objects(mine)
    other = _objects(theirs)
    login(StaffFactory(acts_for=[city(mine)]))
    snapshot = [list(m.objects.order_by("pk").values()) for m in
                (RescueHelperApplication, RestartGrantApplication, LinkageFeeClaim, Decision)]
    answers, missing = {}, {}
    for name, (method, kind) in ROUTES.items():
        call = getattr(client, method)
        answers[name] = call(reverse(name, kwargs=other[kind]), BODIES.get(name, {})).status_code
        gone = {k: 999_999 for k in other[kind]}
        missing[name] = call(reverse(name, kwargs=gone), BODIES.get(name, {})).status_code
    assert answers == missing == dict.fromkeys(ROUTES, 404)
    assert snapshot == [list(m.objects.order_by("pk").values()) for m in
                        (RescueHelperApplication, RestartGrantApplication, LinkageFeeClaim, Decision)]


@pytest.mark.parametrize("mine", ["13203", "13204"])
def test_own_citys_objects_are_found(client, login, mine):
    own = _objects(mine)
    login(StaffFactory(acts_for=[city(mine)]))
    for name, (method, kind) in ROUTES.items():
        if method == "get":  # the statement of a claim not yet approved sends back to the claim (found, not 404)
            expected = 302 if name == "programs:linkage_claim_csv" else 200
            assert client.get(reverse(name, kwargs=own[kind])).status_code == expected, name


def test_lists_show_only_the_users_cities(client, login):
    _objects("13203")
    _objects("13204")
    login(StaffFactory(acts_for=[city("13204")]))
    pages = {"programs:rescue_list": "page", "programs:restart_list": "page"}
    for name, key in pages.items():
        rows = list(client.get(reverse(name)).context[key])
        assert rows and {r.municipality.code for r in rows} == {"13204"}
    claims = list(client.get(reverse("programs:linkage_list"), {"month": "2025-04"}).context["page"])
    assert [c.municipality.code for c in claims] == ["13204"]


def _csv_rows(response):
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()[1:]


def test_rescue_csvs_hold_only_the_users_city(client, login):
    mine, theirs = _objects("13203"), _objects("13204")
    visit_city = {RescueHelperApplication.objects.get(pk=mine["rescue"]["pk"]).person_name: "13203",
                  RescueHelperApplication.objects.get(pk=theirs["rescue"]["pk"]).person_name: "13204"}
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)
    for code in ("13203", "13204"):
        VisitFactory(dispatch__provider=provider, dispatch__application__municipality=city(code))
        services.create_provider_payment(municipality=city(code), provider=provider, month=dt.date(2025, 6, 1),
                                         unit_price_yen=1000 if code == "13203" else 7777, actor=StaffFactory())
    login(StaffFactory())  # Musashino
    bills = _csv_rows(client.get(reverse("programs:rescue_bills_csv"), {"month": "2025-06"}))
    names = {row.split(",")[1] for row in bills}
    assert names and all(visit_city.get(n, "13203") == "13203" for n in names)
    assert not any(n in names for n, c in visit_city.items() if c == "13204")
    payments = _csv_rows(client.get(reverse("programs:rescue_payments_csv"), {"month": "2025-06"}))
    assert len(payments) == 1 and payments[0].endswith(",2,1000,2000")  # Mitaka's 7777 yen is not there


def test_linkage_payment_csv_holds_only_the_users_city(client, login):
    _objects("13203")
    _objects("13204")
    login(StaffFactory(acts_for=[city("13204")]))
    rows = _csv_rows(client.get(reverse("programs:linkage_payment_csv"), {"month": "2025-05"}))
    assert len(rows) == 1 and LinkageFeeClaim.objects.filter(status=ClaimStatus.APPROVED, month="2025-05-01").count() == 2


def test_a_provider_payment_counts_only_the_citys_visits(client, login):
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)
    VisitFactory(dispatch__provider=provider, units=2)
    VisitFactory(dispatch__provider=provider, units=5, dispatch__application__municipality=city("13204"))
    login(StaffFactory())
    client.post(reverse("programs:rescue_payment"),
                city_field() | {"provider": provider.pk, "month": "2025-06", "unit_price_yen": "1000"})
    payment = RescueHelperProviderPayment.objects.get()
    assert (payment.municipality.code, payment.units, payment.amount_yen) == ("13203", 2, 2000)


def test_a_claim_goes_to_one_city_from_a_station_anywhere_in_the_area(client, login):
    ProgramRuleFactory(municipality=city("13204"), program="linkage_fee", effective_from=dt.date(2016, 4, 1),
                       parameters={"fee_24h_yen": 3000, "fee_standard_yen": 1500})
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING, municipality=city("13206"))  # in Fuchu
    login(StaffFactory(acts_for=[city("13204")]))
    client.post(reverse("programs:linkage_claim_new"), city_field("13204") | {"station": station.pk, "month": "2025-04"})
    claim = LinkageFeeClaim.objects.get()
    assert (claim.municipality.code, claim.station.municipality.code) == ("13204", "13206")


def test_a_claim_to_a_city_without_the_linkage_fee_is_refused(client, login):
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING)
    login(StaffFactory(acts_for=[city("13210")]))
    r = client.post(reverse("programs:linkage_claim_new"), city_field("13210") | {"station": station.pk, "month": "2025-04"},
                    follow=True)
    assert not LinkageFeeClaim.objects.exists() and "小金井市では訪問看護と介護の連携強化事業（連携費）を実施していません" in r.content.decode()


# --- staff of several cities choose; staff of one city cannot name another ---------------------------------

RESCUE_FORM = {
    "received_on": "2025-06-02", "applicant_kind": "family", "person_name": "架空 複数", "birth_date": "1939-09-09",
    "household": "alone", "cause": "own_injury", "hours_per_week": "3", "days": "10",
}


def test_staff_of_several_cities_must_choose_the_city(client, login):
    ProgramRuleFactory()  # Mitaka's rescue helper
    login(StaffFactory(acts_for=[city("13203"), city("13204")]))
    page = client.get(reverse("programs:rescue_new")).content.decode()
    assert '<select name="municipality"' in page
    r = client.post(reverse("programs:rescue_new"), RESCUE_FORM)
    assert "市区町村を選んでください" in r.content.decode() and not RescueHelperApplication.objects.exists()
    client.post(reverse("programs:rescue_new"), RESCUE_FORM | city_field("13204"))
    assert RescueHelperApplication.objects.get().municipality.code == "13204"


def test_staff_cannot_file_an_application_to_a_city_they_do_not_act_for(client, login):
    login(StaffFactory())  # Musashino only
    r = client.post(reverse("programs:rescue_new"), RESCUE_FORM | city_field("13204"))
    assert r.context["form"].errors["municipality"] == ["選択された市区町村は選べません。"]
    assert not RescueHelperApplication.objects.exists()


def test_an_application_to_a_city_without_the_program_is_refused_with_the_reason(client, login):
    login(StaffFactory(acts_for=[city("13210")]))
    r = client.post(reverse("programs:rescue_new"), RESCUE_FORM | city_field("13210"))
    assert "小金井市では高齢者等緊急訪問介護（レスキューヘルパー）を実施していません" in r.content.decode()
    assert not RescueHelperApplication.objects.exists()


def test_the_decision_belongs_to_the_applications_city(client, login):
    ProgramRuleFactory()
    application = DispatchFactory(application__municipality=city("13204"),
                                  application__status=RescueStatus.RECEIVED).application
    login(StaffFactory(acts_for=[city("13204")]))
    client.post(reverse("programs:rescue_decide", args=[application.pk]), {"approve": "0", "reason": "確認"})
    decision = Decision.objects.get()
    assert (decision.municipality.code, decision.rule.municipality.code) == ("13204", "13204")


def test_end_of_life_records_are_per_city(client, login):
    login(StaffFactory(acts_for=[city("13204")]))
    r = client.post(reverse("programs:end_of_life"), city_field("13204") | {
        "kind": "distribution", "distributed_on": "2025-05-01", "place": "other", "count": "3"})
    assert "三鷹市ではエンディング（終活）支援事業を実施していません" in r.content.decode()


def test_the_overview_counts_only_the_users_cities(client, login):
    _objects("13203")
    login(StaffFactory(acts_for=[city("13204")]))
    context = client.get(reverse("programs:index")).context
    assert (context["rescue_waiting"], context["grant_waiting"], context["claims_waiting"]) == (0, 0, 0)


def test_the_ending_note_download_counts_for_the_city_that_links_it(client):
    from renkei.programs.models import EndingNoteDownload

    client.get(reverse("programs:ending_note"), {"municipality": "13204"})
    client.get(reverse("programs:ending_note"))
    client.get(reverse("programs:ending_note"), {"municipality": "99999"})  # not of the area: the home city
    assert dict(EndingNoteDownload.objects.values_list("municipality__code", "count")) == {"13204": 1, "13203": 2}


def test_sheet_provisions_go_to_the_patients_city_claim():
    from tests.programs.factories import ProgramRuleFactory as Rule

    Rule(program="linkage_fee", effective_from=dt.date(2016, 4, 1),
         parameters={"fee_24h_yen": 3000, "fee_standard_yen": 1500})  # Mitaka
    station = FacilityFactory(kind=FacilityKind.VISITING_NURSING)  # in Musashino
    result = services.add_provisions_from_sheets([
        services.SheetProvision(station.pk, "P1", dt.date(2025, 4, 3), True, False, "s1", city("13204").pk),
        services.SheetProvision(station.pk, "P2", dt.date(2025, 4, 3), True, False, "s2", city("13210").pk),
        services.SheetProvision(station.pk, "P3", dt.date(2025, 4, 3), True, False, "s3"),
    ])
    assert (result.added, result.skipped_no_program) == (2, 1)  # Koganei runs no linkage fee
    assert sorted(LinkageFeeClaim.objects.values_list("municipality__code", flat=True)) == ["13203", "13204"]


def test_the_grant_form_offers_the_citys_own_types_and_qualifications_and_its_amount_applies(client, login):
    ProgramRuleFactory(program="restart_grant", effective_from=dt.date(2016, 4, 1), parameters={
        "earliest_hire": "2021-04-01", "min_expected_months": 12, "min_months_away": 6,
        "amount_qualified_yen": 100_000, "amount_unqualified_yen": 30_000,
        "care_facility_types": ["訪問介護", "小規模多機能型居宅介護"], "disability_facility_types": [],
        "qualifications": {"介護福祉士": None}})
    staff = StaffFactory(acts_for=[city("13204")])
    login(staff)
    form = client.get(reverse("programs:restart_new")).context["form"]
    assert [v for v, _ in form.fields["facility_type"].choices] == ["", "訪問介護", "小規模多機能型居宅介護"]
    assert [v for v, _ in form.fields["qualifications"].choices] == ["介護福祉士"]
    application = services.create_restart_application(
        municipality=city("13204"), actor=staff, received_on=dt.date(2021, 5, 1), applicant_name="架空 三鷹",
        birth_date=dt.date(1980, 1, 1), employer_name="法人", facility_name="ホーム", facility_type="小規模多機能型居宅介護",
        hired_on=dt.date(2021, 4, 1), expected_months=12, qualifications=["介護福祉士"])
    services.upload_restart_document(application=application, kind="employment", actor=staff,
                                     uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    services.upload_restart_document(application=application, kind="qualification", actor=staff,
                                     uploaded_file=SimpleUploadedFile("b.pdf", PDF))
    result = services.assess_restart_application(application=application, actor=staff)
    assert (result.eligible, result.amount_yen) == (True, 100_000)
    with pytest.raises(services.ProgramError, match="「介護老人福祉施設」は対象一覧にありません"):
        services.create_restart_application(
            municipality=city("13204"), actor=staff, received_on=dt.date(2021, 5, 1), applicant_name="架空 三鷹2",
            birth_date=dt.date(1980, 1, 1), employer_name="法人", facility_name="ホーム", facility_type="介護老人福祉施設",
            hired_on=dt.date(2021, 4, 1), expected_months=12, qualifications=[])


def test_staff_of_several_cities_export_one_citys_csv(client, login):
    _objects("13203")
    _objects("13204")
    login(StaffFactory(acts_for=[city("13203"), city("13204")]))
    url = reverse("programs:linkage_payment_csv")
    assert len(_csv_rows(client.get(url, {"month": "2025-05"}))) == 2
    assert len(_csv_rows(client.get(url, {"month": "2025-05", "municipality": "13204"}))) == 1
    assert client.get(url, {"month": "2025-05", "municipality": "13206"}).status_code == 404
    bills = reverse("programs:rescue_bills_csv")
    assert len(_csv_rows(client.get(bills, {"month": "2025-06", "municipality": "13203"}))) == 1
