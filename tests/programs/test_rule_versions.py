"""Each city's rules are dated versions: the version in force on the date concerned applies, and a
decision keeps the version it used, so a later change never alters an earlier decision."""
import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from renkei.core.errors import AppError
from renkei.core.models import AuditEvent, FacilityKind
from renkei.programs import services
from renkei.programs.models import (
    ClaimStatus,
    Decision,
    GrantStatus,
    Program,
    ProgramRule,
    RescueStatus,
)
from renkei.programs.selectors import rule_in_force
from tests.factories import FacilityFactory
from tests.programs.factories import (
    MUSASHINO,
    SEED,
    ClaimFactory,
    ProvisionFactory,
    RestartApplicationFactory,
    StaffFactory,
    city,
    seeded_rule,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FY2026 = dt.date(2026, 4, 1)


def _new_version(program, change, effective_from=FY2026, code="13203"):
    """A later version of the city's rules with `change` applied to the seeded parameters."""
    return services.add_rule_version(
        municipality=city(code), program=program, effective_from=effective_from,
        parameters=SEED.MUSASHINO[program] | change, note="令和8年度改正（テスト）", actor=StaffFactory())


# --- the seeded versions and the choice of a version --------------------------------------------------------

def test_musashino_is_seeded_with_the_rules_the_code_hard_coded():
    for program, parameters in SEED.MUSASHINO.items():
        rule = seeded_rule(program)
        assert (rule.effective_from, rule.parameters, rule.params) == (dt.date(2016, 4, 1), parameters, MUSASHINO[program])
    assert MUSASHINO["rescue_helper"].fee_per_unit_yen == 250 and MUSASHINO["linkage_fee"].fee_24h_yen == 2000
    assert (MUSASHINO["restart_grant"].amount_qualified_yen, MUSASHINO["restart_grant"].amount_unqualified_yen) == (
        150_000, 50_000)


def test_the_latest_version_on_or_before_the_date_applies():
    new = _new_version("linkage_fee", {"fee_24h_yen": 2500})
    musashino = city("13203")
    assert rule_in_force(musashino, "linkage_fee", dt.date(2026, 3, 31)) == seeded_rule("linkage_fee")
    assert rule_in_force(musashino, "linkage_fee", FY2026) == new
    assert rule_in_force(musashino, "linkage_fee", dt.date(2030, 1, 1)) == new


def test_no_version_before_the_first_is_a_422_saying_so():
    with pytest.raises(AppError) as refused:
        rule_in_force(city("13203"), "rescue_helper", dt.date(2016, 3, 31))
    assert refused.value.status == 422
    assert refused.value.message == "武蔵野市の高齢者等緊急訪問介護（レスキューヘルパー）には2016年03月31日の日付に有効な規程がありません。"


def test_a_city_without_the_program_is_a_422_saying_so():
    with pytest.raises(AppError) as refused:
        rule_in_force(city("13219"), "end_of_life", dt.date(2025, 4, 1))
    assert (refused.value.status, refused.value.message) == (422, "狛江市ではエンディング（終活）支援事業を実施していません。")


# --- decisions keep their version ---------------------------------------------------------------------------

def _assessed_grant(hired_on, staff):
    application = RestartApplicationFactory(hired_on=hired_on, received_on=hired_on + dt.timedelta(days=20))
    for kind in ("employment", "qualification"):
        services.upload_restart_document(application=application, kind=kind, actor=staff,
                                         uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    services.assess_restart_application(application=application, actor=staff)
    application.refresh_from_db()
    return application


def test_a_later_grant_amount_leaves_earlier_decisions_and_applies_from_its_date(staff_client, staff):
    earlier = _assessed_grant(dt.date(2025, 5, 1), staff)
    new = _new_version("restart_grant", {"amount_qualified_yen": 200_000})
    later = _assessed_grant(dt.date(2026, 4, 10), staff)
    still_old = _assessed_grant(dt.date(2026, 3, 31), staff)  # assessed after the change, dated before it
    earlier.refresh_from_db()
    assert (earlier.amount_yen, earlier.rule) == (150_000, seeded_rule("restart_grant"))
    assert (later.amount_yen, later.rule) == (200_000, new)
    assert (still_old.amount_yen, still_old.rule) == (150_000, seeded_rule("restart_grant"))
    assert list(Decision.objects.order_by("pk").values_list("rule", flat=True)) == [
        seeded_rule("restart_grant").pk, new.pk, seeded_rule("restart_grant").pk]
    page = staff_client.get(reverse("programs:restart_detail", args=[earlier.pk])).content.decode()
    assert "150,000円です" in page and "200,000円" not in page


def test_showing_a_decided_application_uses_the_version_it_was_decided_with(staff_client, staff):
    application = _assessed_grant(dt.date(2025, 5, 1), staff)
    version = seeded_rule("restart_grant")
    # the same date, a retroactive version: refused, since a decision already used the old one there
    with pytest.raises(AppError, match="既に決定されています"):
        _new_version("restart_grant", {"amount_qualified_yen": 1}, effective_from=dt.date(2025, 4, 1))
    assert staff_client.get(reverse("programs:restart_detail", args=[application.pk])).context["rule"] == version


def test_the_six_month_confirmation_follows_the_decided_version(staff):
    application = _assessed_grant(dt.date(2026, 4, 10), staff)  # no documents for 'continued' yet
    _new_version("restart_grant", {"min_expected_months": 12}, effective_from=dt.date(2027, 4, 1))
    services.upload_restart_document(application=application, kind="continued", actor=staff,
                                     uploaded_file=SimpleUploadedFile("c.pdf", PDF))
    services.confirm_six_months(application=application, confirmed_on=dt.date(2026, 10, 10), reason="確認",
                                actor=staff)
    assert application.status == GrantStatus.CONFIRMED


def test_visit_fees_follow_the_version_the_approval_used(staff):
    provider = FacilityFactory(kind=FacilityKind.HOME_HELP)

    def approved(received_on):
        application = services.create_rescue_application(
            municipality=city("13203"), actor=staff, received_on=received_on, applicant_kind="family",
            person_name="架空 料金", birth_date=dt.date(1940, 1, 1), household="alone", cause="own_injury",
            ltc_certified=False, uses_ltc_services=False, hours_per_week=2, days=10)
        application = services.decide_rescue_application(application=application, approve=True, reason="確認",
                                                         actor=staff)
        return services.dispatch_rescue_helper(application=application, provider=provider, first_day=received_on,
                                               actor=staff)

    old = approved(dt.date(2026, 3, 30))
    _new_version("rescue_helper", {"fee_per_unit_yen": 300})
    new = approved(dt.date(2026, 4, 2))
    old_visit = services.record_rescue_visit(dispatch=old, visited_on=dt.date(2026, 4, 3), minutes=45, actor=staff)
    new_visit = services.record_rescue_visit(dispatch=new, visited_on=dt.date(2026, 4, 3), minutes=45, actor=staff)
    assert (old_visit.fee_yen, new_visit.fee_yen) == (500, 600)


def test_a_linkage_statement_keeps_the_fee_it_was_approved_with(staff_client, staff):
    claim = ProvisionFactory(claim__month=dt.date(2026, 3, 1), provided_on=dt.date(2026, 3, 5),
                             twenty_four_hour=True).claim
    services.approve_claim(claim=claim, reason="確認", actor=staff)
    _new_version("linkage_fee", {"fee_24h_yen": 2500})
    april = ProvisionFactory(claim__month=FY2026, provided_on=FY2026, twenty_four_hour=True).claim
    services.approve_claim(claim=april, reason="確認", actor=staff)
    claim.refresh_from_db()
    april.refresh_from_db()
    assert (claim.total_yen, april.total_yen) == (2000, 2500)
    statement = staff_client.get(reverse("programs:linkage_claim_csv", args=[claim.pk])).content.decode("utf-8-sig")
    assert statement.splitlines()[1].split(",")[7] == "2000" and "月1回2,000円" in statement


# --- adding and correcting versions -------------------------------------------------------------------------

def test_a_version_used_by_a_decision_cannot_be_corrected(staff):
    claim = ProvisionFactory().claim
    services.approve_claim(claim=claim, reason="確認", actor=staff)
    rule = seeded_rule("linkage_fee")
    with pytest.raises(AppError, match="決定に使われているため変更できません") as refused:
        services.update_rule_version(rule=rule, parameters={"fee_24h_yen": 1, "fee_standard_yen": 1}, note="x",
                                     actor=staff)
    assert refused.value.status == 409
    rule.refresh_from_db()
    assert rule.parameters == SEED.MUSASHINO["linkage_fee"]


def test_a_used_version_cannot_be_deleted(staff):
    services.approve_claim(claim=ProvisionFactory().claim, reason="確認", actor=staff)
    with pytest.raises(ProtectedError):
        seeded_rule("linkage_fee").delete()


def test_an_unused_version_can_be_corrected_on_its_page(staff_client):
    rule = _new_version("linkage_fee", {"fee_24h_yen": 2500})
    staff_client.post(reverse("programs:rule_edit", args=[rule.pk]), {
        "parameters": json.dumps({"fee_24h_yen": 2400, "fee_standard_yen": 1000}), "note": "単価の誤りを訂正"})
    rule.refresh_from_db()
    assert rule.parameters["fee_24h_yen"] == 2400 and rule.note == "単価の誤りを訂正"
    assert AuditEvent.objects.filter(action="update", object_type="programs.programrule").exists()


def test_a_version_cannot_start_on_or_before_a_decided_date(staff):
    claim = ClaimFactory(month=dt.date(2026, 5, 1))
    ProvisionFactory(claim=claim, provided_on=dt.date(2026, 5, 2))
    services.approve_claim(claim=claim, reason="確認", actor=staff)
    with pytest.raises(AppError, match="2026年05月01日の日付の申請・請求が既に決定されています"):
        _new_version("linkage_fee", {"fee_24h_yen": 2500}, effective_from=dt.date(2026, 5, 1))
    assert _new_version("linkage_fee", {"fee_24h_yen": 2500}, effective_from=dt.date(2026, 5, 2)).pk


def test_a_returned_claim_no_longer_blocks_an_earlier_version(staff):
    claim = ClaimFactory(month=dt.date(2026, 5, 1))
    ProvisionFactory(claim=claim, provided_on=dt.date(2026, 5, 2))
    services.approve_claim(claim=claim, reason="確認", actor=staff)
    services.return_claim(claim=claim, reason="差戻し", actor=staff)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.rule is None
    approval, returned = Decision.objects.order_by("pk")
    assert (approval.rule, returned.rule) == (seeded_rule("linkage_fee"), None)  # the approval keeps its version
    assert _new_version("linkage_fee", {"fee_24h_yen": 2500}, effective_from=dt.date(2026, 5, 1)).pk


@pytest.mark.parametrize("parameters, says", [
    ({"fee_24h_yen": 2000}, "「fee_standard_yen」がありません"),
    ({"fee_24h_yen": -1, "fee_standard_yen": 1000}, "「fee_24h_yen」は0以上の整数"),
    ({"fee_24h_yen": "2000", "fee_standard_yen": 1000}, "「fee_24h_yen」は0以上の整数"),
    ({"fee_24h_yen": 2000, "fee_standard_yen": 1000, "bonus": 1}, "「bonus」は"),
    ([1, 2], "JSON のオブジェクト"),
])
def test_bad_parameters_are_refused_with_each_problem(staff, parameters, says):
    with pytest.raises(AppError, match=says):
        services.add_rule_version(municipality=city("13203"), program="linkage_fee", effective_from=FY2026,
                                  parameters=parameters, note="x", actor=staff)
    assert ProgramRule.objects.filter(effective_from=FY2026).count() == 0


def test_two_versions_on_one_day_are_refused(staff):
    _new_version("linkage_fee", {"fee_24h_yen": 2500})
    with pytest.raises(AppError, match="2026年04月01日から適用する版は既にあります"):
        _new_version("linkage_fee", {"fee_24h_yen": 2600})


def test_a_version_needs_its_source(staff):
    with pytest.raises(AppError, match="根拠・備考"):
        services.add_rule_version(municipality=city("13203"), program="end_of_life", effective_from=FY2026,
                                  parameters={}, note=" ", actor=staff)


# --- the staff page -----------------------------------------------------------------------------------------

def test_staff_see_only_their_cities_versions(client, login):
    login(StaffFactory(acts_for=[city("13204")]))
    assert client.get(reverse("programs:rule_list")).context["rows"] == []
    login(StaffFactory())
    rows = client.get(reverse("programs:rule_list")).context["rows"]
    assert {r["rule"].program for r in rows} == set(Program.values) and all(r["in_force"] for r in rows)


def test_staff_add_a_version_for_their_city_on_the_page(staff_client, staff):
    r = staff_client.post(reverse("programs:rule_list"), {
        "municipality": city("13203").pk, "program": "rescue_helper", "effective_from": "2026-04-01",
        "parameters": json.dumps(SEED.MUSASHINO["rescue_helper"] | {"fee_per_unit_yen": 300}), "note": "改正"})
    assert r.status_code == 302
    rule = ProgramRule.objects.get(effective_from=FY2026)
    assert (rule.municipality.code, rule.params.fee_per_unit_yen, rule.created_by) == ("13203", 300, staff)
    assert AuditEvent.objects.filter(action="create", object_type="programs.programrule").exists()


def test_a_bad_json_is_shown_on_the_form_never_a_500(staff_client):
    r = staff_client.post(reverse("programs:rule_list"), {
        "municipality": city("13203").pk, "program": "linkage_fee", "effective_from": "2026-04-01",
        "parameters": "{not json", "note": "x"})
    assert r.status_code == 200 and "正しい JSON" in r.content.decode()


def test_the_page_copies_the_current_version(staff_client):
    form = staff_client.get(reverse("programs:rule_list"), {"program": "linkage_fee"}).context["form"]
    assert form.initial["parameters"] == SEED.MUSASHINO["linkage_fee"]


def test_a_non_staff_user_cannot_see_the_rules_page(client, login):
    from tests.factories import UserFactory

    login(UserFactory())
    assert client.get(reverse("programs:rule_list")).status_code == 403


def test_the_rules_page_uses_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    url = reverse("programs:rule_list")
    with django_assert_num_queries(9) as ctx:
        staff_client.get(url)
    _new_version("linkage_fee", {"fee_24h_yen": 2500})
    _new_version("rescue_helper", {"fee_per_unit_yen": 300})
    with django_assert_num_queries(len(ctx.captured_queries)):
        staff_client.get(url)


def test_a_rescue_application_dated_before_the_first_version_says_so(staff_client):
    from tests.programs.factories import RescueApplicationFactory

    application = RescueApplicationFactory(received_on=dt.date(2015, 4, 1), status=RescueStatus.RECEIVED)
    page = staff_client.get(reverse("programs:rescue_detail", args=[application.pk]))
    assert page.status_code == 200 and "2015年04月01日の日付に有効な規程がありません" in page.content.decode()


def test_the_data_migration_links_existing_decisions_to_musashinos_first_version(staff):
    from django.apps import apps

    claim = ClaimFactory(status=ClaimStatus.APPROVED, total_yen=1000, patients=1)
    services._decide(subject=claim, outcome="approved", label="承認済", reason="移行前の決定", actor=staff)
    assert Decision.objects.get().rule is None
    SEED.seed(apps, None)  # what the migration does on a database with decisions made before versions
    claim.refresh_from_db()
    assert claim.rule == Decision.objects.get().rule == seeded_rule("linkage_fee")
    assert ProgramRule.objects.filter(municipality__code="13203").count() == 4  # run twice, seeded once
