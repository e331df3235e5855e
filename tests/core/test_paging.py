"""One page helper and one page-links template for every list page; the links keep the filters."""
from django.template.loader import render_to_string
from django.test import RequestFactory

from renkei.core.paging import paginate


def test_the_page_carries_the_filters_without_the_page_number():
    request = RequestFactory().get("/x", {"status": "open", "q": "山田 太郎", "page": "2"})
    page = paginate(request, list(range(25)), 10)
    assert page.number == 2
    assert page.query == "status=open&q=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E"


def test_a_bad_or_out_of_range_page_gives_the_nearest_page():
    assert paginate(RequestFactory().get("/x", {"page": "abc"}), list(range(25)), 10).number == 1
    assert paginate(RequestFactory().get("/x", {"page": "99"}), list(range(25)), 10).number == 3


def test_the_page_links_keep_the_filters():
    page = paginate(RequestFactory().get("/x", {"status": "open", "page": "2"}), list(range(25)), 10)
    html = render_to_string("_pagination.html", {"page": page})
    assert 'href="?status=open&amp;page=1"' in html
    assert 'href="?status=open&amp;page=3"' in html
    assert "2 / 3 ページ（全25件）" in html


def test_a_single_page_shows_only_the_count():
    html = render_to_string("_pagination.html", {"page": paginate(RequestFactory().get("/x"), [1, 2], 10)})
    assert "全2件" in html and "href" not in html


def test_the_registration_list_keeps_its_search_in_the_page_links(db, staff_client, monkeypatch):
    from renkei.core.models import RegistrationStatus
    from renkei.core.views import registration
    from tests.factories import UserFactory

    monkeypatch.setattr(registration, "PAGE_SIZE", 1)
    for n in range(2):
        UserFactory(name=f"申請 山田{n}", registration_status=RegistrationStatus.PENDING, approved_on=None)
    body = staff_client.get("/staff/registrations/", {"q": "山田"}).content.decode()
    assert 'href="?q=%E5%B1%B1%E7%94%B0&amp;page=2"' in body


def test_the_search_box_carries_the_list_filters_and_the_words():
    html = render_to_string("_search.html", {"label": "氏名で検索", "query": "山田", "placeholder": "例: やまだ",
                                             "keep": [("facility", 7), ("status", "approved")]})
    assert '<input type="hidden" name="facility" value="7">' in html
    assert '<input type="hidden" name="status" value="approved">' in html
    assert 'value="山田" placeholder="例: やまだ"' in html and '<label for="q">氏名で検索</label>' in html
    assert "hidden" not in render_to_string("_search.html", {"label": "氏名で検索", "query": ""})


def test_the_registration_search_stays_on_its_tab(db, staff_client):
    body = staff_client.get("/staff/registrations/", {"status": "approved"}).content.decode()
    assert '<input type="hidden" name="status" value="approved">' in body
