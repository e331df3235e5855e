"""A facility administrator registers and withdraws the facility's staff from a CSV file: a preview line by
line, nothing written until confirmed, then everything at once or nothing."""
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.core import facility_staff
from renkei.core.models import AuditEvent, FacilityAdminStatus, RegistrationStatus, User
from renkei.network.models import CareTeamMember, MemberStatus
from tests.core import facility_world
from tests.core.facility_world import DATA, HEADER
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db

def _plan(w, text):
    return facility_staff.plan_file(facility=w.station, text=text, by=w.admin)


def _upload(client, data, name="staff.csv"):
    return client.post("/facility/people/import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_the_utf8_sample_previews_every_line_without_errors(w):
    plan = _plan(w, facility_staff.decode((DATA / "facility_staff_utf8.csv").read_bytes()))
    assert plan.ok and [line.number for line in plan.lines] == [2, 3, 4]


def test_the_cp932_sample_reads_as_the_utf8_one(w):
    data = (DATA / "facility_staff_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    utf8 = facility_staff.decode((DATA / "facility_staff_utf8.csv").read_bytes())
    assert facility_staff.decode(data).replace("\r\n", "\n") == utf8


def test_the_preview_page_writes_nothing(admin_client, w):
    accounts = User.objects.count()
    r = _upload(admin_client, (DATA / "facility_staff_cp932.csv").read_bytes())
    assert "新人 花子 さん（看護師（訪問看護））を登録し" in r.content.decode()
    assert User.objects.count() == accounts and User.objects.get(pk=w.leaver.pk).is_approved


def test_confirming_applies_the_file(admin_client, w):
    text = facility_staff.decode((DATA / "facility_staff_utf8.csv").read_bytes())
    r = admin_client.post("/facility/people/import/", {"facility": w.station.pk, "csv_text": text})
    assert r.status_code == 302
    new = User.objects.get(email="hanako.new@station.invalid")
    assert new.is_approved and new.affiliations.get().facility == w.station and not new.has_usable_password()
    assert User.objects.get(pk=w.leaver.pk).registration_status == RegistrationStatus.WITHDRAWN


def test_a_new_member_gets_a_set_password_link_that_works(admin_client, client, w,
                                                          django_capture_on_commit_callbacks):
    text = HEADER + "新人 花子,しんじん はなこ,看護師,hanako.new@station.invalid,登録,\n"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/facility/people/import/", {"facility": w.station.pk, "csv_text": text})
    (message,) = [m for m in mail.outbox if m.to == ["hanako.new@station.invalid"]]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    admin_client.logout()
    form = client.get(link, follow=True)
    r = client.post(form.redirect_chain[-1][0], {"new_password1": "kyou-kara-renkei-42", "new_password2":
                                                 "kyou-kara-renkei-42"})
    assert r.status_code == 302 and User.objects.get(email="hanako.new@station.invalid").has_usable_password()


def test_a_new_member_must_enrol_the_second_factor_at_first_login(client, w):
    new = facility_staff.register_person(request=None, facility=w.station, by=w.admin, name="新人 花子",
                                         name_kana="シンジン ハナコ", profession="nurse", email="h@station.invalid")
    new.set_password("kyou-kara-renkei-42")
    new.save()
    client.post("/accounts/login/", {"username": new.username, "password": "kyou-kara-renkei-42"})
    assert client.get("/accounts/otp/").url.startswith("/accounts/otp/setup/")


def test_a_new_member_may_ask_for_the_link_again(client, w):
    facility_staff.register_person(request=None, facility=w.station, by=w.admin, name="新人 花子",
                                   name_kana="シンジン ハナコ", profession="nurse", email="h@station.invalid")
    client.post("/accounts/password/reset/", {"email": "h@station.invalid"})
    assert [m.to for m in mail.outbox] == [["h@station.invalid"]]


def test_applying_is_all_or_nothing(admin_client, w):
    text = HEADER + "新人 花子,しんじん はなこ,看護師,ok@station.invalid,登録,\n新人 次郎,しんじん,宇宙飛行士,x@station.invalid,登録,\n"
    r = admin_client.post("/facility/people/import/", {"facility": w.station.pk, "csv_text": text})
    assert r.status_code == 400 and not User.objects.filter(email="ok@station.invalid").exists()


def test_applying_is_audited(w):
    facility_staff.apply_file(request=None, facility=w.station, by=w.admin,
                              text=HEADER + "新人 花子,しんじん はなこ,看護師,h@station.invalid,登録,\n")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"facility_staff.registered", "facility_staff.imported"} <= actions


@pytest.mark.parametrize("row, message", [
    ("新人,しんじん,宇宙飛行士,a@station.invalid,登録,", "職種「宇宙飛行士」は登録できません"),
    ("新人,しんじん,看護師,a@station.invalid,入社,", "操作は「登録」か「退職」"),
    ("新人,しんじん,看護師,not-an-address,登録,", "形式が正しくありません"),
    (",しんじん,看護師,a@station.invalid,登録,", "氏名を入力してください"),
    ("新人,shinjin,看護師,a@station.invalid,登録,", "ふりがなはひらがなかカタカナ"),
    ("新人,しんじん,市職員,a@station.invalid,登録,", "職種「市職員」は登録できません"),
    ("誰か,だれか,看護師,nobody@station.invalid,退職,", "この事業所の職員に、このメールアドレスの方はいません"),
    ("管理,かんり,看護師,admin@station.invalid,退職,", "ご自身を退職にすることはできません"),
    ("退職,たいしょく,看護師,leaver@station.invalid,退職,", "ケアチームの担当が1件あります"),
    ("退職,たいしょく,看護師,leaver@station.invalid,退職,member@other.invalid", "この事業所の登録済みの職員ではありません"),
    ("同僚,どうりょう,看護師,colleague@station.invalid,登録,", "すでにこの事業所の職員として登録されています"),
    ("他所,たしょ,看護師,member@other.invalid,登録,", "すでに別のアカウントで使われています"),
    ("他所,たしょ,看護師,member@other.invalid,退職,", "この事業所の職員に、このメールアドレスの方はいません"),
])
def test_each_bad_line_gets_its_number_and_a_japanese_message(w, row, message):
    plan = _plan(w, HEADER + "新人 花子,しんじん はなこ,看護師,fine@station.invalid,登録,\n" + row + "\n")
    assert not plan.ok
    ((number, problem),) = plan.problems
    assert number == 3 and message in problem


@pytest.mark.parametrize("word, profession", [
    ("理学療法士", "therapist"), ("作業療法士", "therapist"), ("言語聴覚士", "therapist"),
    ("理学療法士・作業療法士・言語聴覚士", "therapist"), ("看護師", "nurse"), ("看護師（訪問看護）", "nurse"),
    ("病院 医療連携室", "hospital_liaison"), ("病院 医療連携室（MSW・看護師）", "hospital_liaison"),
    ("care_manager", "care_manager"),
])
def test_a_profession_is_read_by_its_label_a_part_of_it_or_its_code(w, word, profession):
    plan = _plan(w, HEADER + f"新人 次郎,しんじん じろう,{word},jiro@station.invalid,登録,\n")
    assert plan.ok and plan.lines[0].profession == profession


@pytest.mark.parametrize("word", ["MSW", "病院 医療連携室（MSW", "療法士"])
def test_a_fragment_of_a_bracket_or_a_word_is_not_a_profession(w, word):
    plan = _plan(w, HEADER + f"新人 次郎,しんじん じろう,{word},jiro@station.invalid,登録,\n")
    assert not plan.ok and "は登録できません" in plan.problems[0][1]


def test_a_duplicate_address_names_the_first_line(w):
    plan = _plan(w, HEADER + "甲,こう,看護師,same@station.invalid,登録,\n乙,おつ,看護師,SAME@station.invalid,登録,\n")
    assert plan.problems == [(3, "メールアドレス「SAME@station.invalid」が2行目と重複しています。")]


def test_a_successor_who_also_leaves_is_refused(w):
    plan = _plan(w, HEADER + "退職,たいしょく,看護師,leaver@station.invalid,退職,colleague@station.invalid\n"
                 "同僚,どうりょう,看護師,colleague@station.invalid,退職,\n")
    assert any("もこのファイルで退職" in m for _, m in plan.problems)


def test_a_member_of_two_facilities_is_left_to_the_city(w):
    w.colleague.affiliations.create(facility=FacilityFactory())
    plan = _plan(w, HEADER + "同僚,どうりょう,看護師,colleague@station.invalid,退職,\n")
    assert "ほかの事業所にも所属" in plan.problems[0][1]


def test_a_file_without_the_columns_is_refused_on_line_one(w):
    plan = _plan(w, "名前,メール\n花子,h@station.invalid\n")
    assert plan.problems[0][0] == 1 and "ふりがな" in plan.problems[0][1]


def test_an_empty_file_is_refused(w):
    assert _plan(w, HEADER).problems == [(1, "登録・退職する行がありません。")]


def test_a_malformed_file_is_refused_with_a_message(w):
    plan = _plan(w, HEADER + '新人,"しんじん\0,看護師\n')
    assert not plan.ok


def test_an_undecodable_file_is_refused_on_the_page(admin_client, w):
    r = _upload(admin_client, b"\xff\xfe\x00\x81\x00")
    assert r.status_code == 400 and "文字コードを読み取れません" in r.content.decode()


def test_the_preview_takes_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(n):
        lines = [f"新人{i},しんじん,看護師,n{i}@station.invalid,登録," for i in range(n)]
        return HEADER + "退職,たいしょく,看護師,leaver@station.invalid,退職,colleague@station.invalid\n" + "\n".join(lines)

    with CaptureQueriesContext(connection) as small:
        _plan(w, rows(1))
    with django_assert_max_num_queries(len(small)):
        _plan(w, rows(40))


def test_withdrawing_in_the_file_hands_over_the_places(w):
    facility_staff.apply_file(request=None, facility=w.station, by=w.admin,
                              text=HEADER + "退職,たいしょく,看護師,leaver@station.invalid,退職,colleague@station.invalid\n")
    assert CareTeamMember.objects.get(patient=w.patient, user=w.colleague).status == MemberStatus.ACTIVE


def test_a_non_administrator_gets_403(login, w):
    r = _upload(login(w.colleague), (DATA / "facility_staff_utf8.csv").read_bytes())
    assert r.status_code == 403 and User.objects.get(pk=w.leaver.pk).is_approved


def test_a_revoked_administrator_gets_403(admin_client, w):
    w.role.status = FacilityAdminStatus.REVOKED
    w.role.save()
    assert admin_client.get("/facility/people/import/").status_code == 403


def test_another_facility_named_in_the_form_is_missing(admin_client, w):
    r = admin_client.post("/facility/people/import/", {"facility": w.other_station.pk,
                                                       "csv_text": HEADER + "他,た,看護師,member@other.invalid,退職,\n"})
    assert r.status_code == 404 and User.objects.get(pk=w.other_member.pk).is_approved


def test_a_pending_nominee_is_not_yet_an_administrator(login, w):
    from renkei.core.models import FacilityAdministrator

    FacilityAdministrator.objects.create(facility=w.station, user=w.colleague, nominated_by=w.colleague)
    assert login(w.colleague).get("/facility/people/").status_code == 403


def test_an_administrator_of_two_facilities_chooses_one(admin_client, w):
    second = FacilityFactory(name="（架空）第二ステーション")
    facility_world.make_admin(w.admin, second)
    r = admin_client.get("/facility/people/")
    assert "（架空）第二ステーション" in r.content.decode() and "退職 予定子" not in r.content.decode()


def test_the_preview_pages_confirm_button_applies_what_was_previewed(admin_client, w):
    import html

    page = _upload(admin_client, (DATA / "facility_staff_cp932.csv").read_bytes()).content.decode()
    text = html.unescape(re.search(r'name="csv_text" value="([^"]*)"', page).group(1))
    r = admin_client.post("/facility/people/import/", {"facility": w.station.pk, "csv_text": text})
    assert r.status_code == 302 and User.objects.filter(email="jiro.new@station.invalid").exists()
