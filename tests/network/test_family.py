import pytest
from django.urls import reverse

from renkei.network.models import FamilyAccess, Post
from renkei.network.services import grant_family_access
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world):
    access, _ = grant_family_access(patient=world.patient, by=world.physician, name="武蔵野 架空太郎",
                                    relationship="長男", username="family-taro")
    return access.user


def test_a_manager_creates_a_family_account_shown_once(world, login):
    r = login(world.physician).post(reverse("network:family_account_create", args=[world.patient.pk]),
                                 {"name": "武蔵野 架空太郎", "relationship": "長男", "username": "family-taro"})
    assert r.status_code == 200 and "初期パスワード" in r.content.decode()
    assert FamilyAccess.objects.get().user.username == "family-taro"


def test_a_non_manager_cannot_create_a_family_account(world, login):
    login(world.nurse).post(reverse("network:family_account_create", args=[world.patient.pk]),
                            {"name": "x", "relationship": "長男", "username": "family-x"})
    assert not FamilyAccess.objects.exists()


def test_a_taken_username_is_refused(world, login, family):
    login(world.physician).post(reverse("network:family_account_create", args=[world.patient.pk]),
                             {"name": "x", "relationship": "長女", "username": "family-taro"})
    assert FamilyAccess.objects.count() == 1


def test_the_family_member_posts_and_the_team_reads_it(world, login, family):
    login(family).post(reverse("network:family_post_create", args=[world.patient.pk]), {"body": "昨夜よく眠れました"})
    page = login(world.nurse).get(reverse("network:family_timeline", args=[world.patient.pk])).content.decode()
    assert "昨夜よく眠れました" in page


def test_the_family_never_sees_the_professionals_timeline(world, login, family):
    PostFactory(patient=world.patient, author=world.physician, body="専門職どうしの連絡")
    c = login(family)
    assert c.get(reverse("network:timeline", args=[world.patient.pk])).status_code == 404
    assert "専門職どうしの連絡" not in c.get(reverse("network:family_timeline", args=[world.patient.pk])).content.decode()


def test_the_family_cannot_reach_the_api_or_team_pages(world, login, family):
    c = login(family)
    for name in ("team", "consent", "profile"):
        assert c.get(reverse(f"network:{name}", args=[world.patient.pk])).status_code == 404


def test_the_family_is_sent_to_its_timeline_from_the_patient_list(world, login, family):
    r = login(family).get(reverse("network:patient_list"))
    assert r.status_code == 302 and r["Location"] == reverse("network:family_home")


def test_another_patients_family_timeline_is_404(world, login, family):
    assert login(family).get(reverse("network:family_timeline", args=[world.other_patient.pk])).status_code == 404


def test_a_family_account_cannot_be_invited_to_a_team(world, login, family):
    r = login(world.physician).get(reverse("network:team", args=[world.patient.pk]), {"q": "架空太郎"})
    assert list(r.context["candidates"]) == []


def test_a_revoked_family_account_loses_access(world, login, family):
    access = FamilyAccess.objects.get()
    login(world.physician).post(reverse("network:family_account_revoke", args=[world.patient.pk, access.pk]))
    r = login(family).get(reverse("network:family_timeline", args=[world.patient.pk]))
    assert r.status_code == 404


def test_family_posts_stay_out_of_the_professionals_timeline(world, login, family):
    login(family).post(reverse("network:family_post_create", args=[world.patient.pk]), {"body": "家族より"})
    assert Post.objects.get().channel == "family"
    page = login(world.nurse).get(reverse("network:timeline", args=[world.patient.pk])).content.decode()
    assert "家族より" not in page


def test_the_family_page_offers_no_link_to_team_pages(world, login, family):
    page = login(family).get(reverse("network:family_timeline", args=[world.patient.pk])).content.decode()
    assert reverse("network:team", args=[world.patient.pk]) not in page


PROFESSIONAL_PAGES = ["network:patient_list", "sheets:index", "sheets:backbed_index", "sheets:dementia_index",
                      "core:tokens"]


@pytest.mark.parametrize("name", PROFESSIONAL_PAGES)
def test_a_family_account_is_refused_the_professional_pages(world, login, family, name):
    r = login(family).get(reverse(name))
    # The patient list sends a family account to its own page (test above); the others refuse it.
    assert r.status_code in (403, 404) or r["Location"] == reverse("network:family_home")


def test_a_family_account_sees_no_professional_menu(world, login, family):
    page = login(family).get(reverse("network:family_timeline", args=[world.patient.pk])).content.decode()
    for name in PROFESSIONAL_PAGES:
        assert f'href="{reverse(name)}"' not in page
    assert "重要（全員に通知）" not in page
    # A professional still sees them.
    page = login(world.nurse).get(reverse("network:family_timeline", args=[world.patient.pk])).content.decode()
    assert f'href="{reverse("network:patient_list")}"' in page


def test_a_family_account_cannot_forge_an_important_post(world, login, family):
    login(family).post(reverse("network:family_post_create", args=[world.patient.pk]),
                       {"body": "至急", "important": "on"})
    assert not Post.objects.filter(important=True).exists()


def test_the_family_home_shows_no_professional_link(world, login, family):
    client = login(family)
    for url in (reverse("core:home"), reverse("network:family_home")):
        r = client.get(url, follow=True)
        page = r.content.decode()
        assert r.status_code == 200
        for name in PROFESSIONAL_PAGES:
            assert f'href="{reverse(name)}"' not in page, (url, name)
