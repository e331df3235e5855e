import pytest
from django.urls import reverse

from renkei.core.models import AuditEvent
from renkei.network import services
from renkei.network.models import MemberStatus, Post, PostRead, PostRevision
from tests.network.conftest import queries_of
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


def _url(w, name="timeline"):
    return reverse(f"network:{name}", args=[w.patient.pk])


def test_a_member_sees_the_timeline(world, login):
    PostFactory(patient=world.patient, author=world.physician, body="褥瘡の処置を変更しました")
    r = login(world.nurse).get(_url(world))
    assert r.status_code == 200 and "褥瘡の処置を変更しました" in r.content.decode()


def test_viewing_the_timeline_is_audited(world, login):
    login(world.nurse).get(_url(world))
    assert AuditEvent.objects.filter(action="read", patient_id=str(world.patient.pk), actor=world.nurse).exists()


def test_viewing_marks_posts_read_and_shows_the_reader_to_others(world, login, client):
    post = PostFactory(patient=world.patient, author=world.physician)
    login(world.nurse).get(_url(world))
    assert PostRead.objects.filter(post=post, user=world.nurse).exists()
    page = login(world.physician).get(_url(world)).content.decode()
    assert "既読 1" in page and "訪看 さくら" in page


def test_an_outsider_gets_404_like_a_missing_patient(world, login):
    c = login(world.stranger)
    assert c.get(_url(world)).status_code == 404
    assert c.get(reverse("network:timeline", args=[999999])).status_code == 404


def test_a_denied_view_writes_an_audit_row(world, login):
    login(world.stranger).get(_url(world))
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.stranger).exists()


def test_a_removed_member_gets_404_on_the_next_request(world, login):
    c = login(world.nurse)
    assert c.get(_url(world)).status_code == 200
    world.nurse_member.status = MemberStatus.REMOVED
    world.nurse_member.save()
    assert c.get(_url(world)).status_code == 404


def test_the_second_factor_is_required(world, login):
    r = login(world.nurse, verified=False).get(_url(world))
    assert r.status_code == 302 and "/accounts/otp/" in r["Location"]


def test_a_member_posts_text(world, login):
    r = login(world.nurse).post(_url(world, "post_create"), {"body": "本日訪問、発熱なし。"})
    assert r.status_code == 302 and Post.objects.get(author=world.nurse).body == "本日訪問、発熱なし。"


def test_an_empty_post_is_refused_with_a_message(world, login):
    r = login(world.nurse).post(_url(world, "post_create"), {"body": "  "})
    assert r.status_code == 400 and "本文を入力するか" in r.content.decode()
    assert not Post.objects.exists()


def test_posting_on_another_teams_patient_is_404_and_saves_nothing(world, login):
    url = reverse("network:post_create", args=[world.other_patient.pk])
    r = login(world.nurse).post(url, {"body": "なりすまし"})
    assert r.status_code == 404 and not Post.objects.exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor=world.nurse).exists()


def test_a_reply_to_another_patients_post_is_404(world, login):
    foreign = PostFactory(patient=world.other_patient, author=world.stranger)
    r = login(world.nurse).post(_url(world, "post_create"), {"body": "返信", "parent": foreign.pk})
    assert r.status_code == 404 and Post.objects.count() == 1


def test_a_reply_appears_under_its_post(world, login):
    post = PostFactory(patient=world.patient, author=world.physician)
    login(world.nurse).post(_url(world, "post_create"), {"body": "承知しました", "parent": post.pk})
    assert post.replies.get().body == "承知しました"


def test_a_mention_notifies_the_member(world, login):
    login(world.nurse).post(_url(world, "post_create"), {"body": "ご確認ください", "mentions": [world.physician.pk]})
    assert world.physician.network_notifications.filter(kind="mention").exists()


def test_mentioning_a_non_member_is_refused(world, login):
    r = login(world.nurse).post(_url(world, "post_create"), {"body": "x", "mentions": [world.stranger.pk]})
    assert r.status_code == 400 and not Post.objects.exists()


def test_an_important_post_notifies_the_team(world, login):
    login(world.nurse).post(_url(world, "post_create"), {"body": "転倒しました", "important": "on"})
    assert world.physician.network_notifications.filter(kind="important").exists()


def test_an_edit_keeps_the_previous_text_and_shows_edited(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, body="血圧 150")
    c = login(world.nurse)
    c.post(reverse("network:post_edit", args=[post.pk]), {"body": "血圧 130"})
    assert PostRevision.objects.get(post=post).body == "血圧 150"
    assert "編集済み" in c.get(_url(world)).content.decode()


def test_an_edit_after_24_hours_is_refused(world, login):
    from datetime import timedelta

    from django.utils import timezone

    post = PostFactory(patient=world.patient, author=world.nurse, created_at=timezone.now() - timedelta(hours=25))
    r = login(world.nurse).post(reverse("network:post_edit", args=[post.pk]), {"body": "変更"})
    assert r.status_code == 400 and "24時間" in r.content.decode()


def test_someone_elses_post_cannot_be_edited(world, login):
    post = PostFactory(patient=world.patient, author=world.physician, body="原文")
    login(world.nurse).post(reverse("network:post_edit", args=[post.pk]), {"body": "改ざん"})
    post.refresh_from_db()
    assert post.body == "原文"


def test_a_guessed_post_id_of_another_team_is_404(world, login):
    foreign = PostFactory(patient=world.other_patient, author=world.stranger)
    c = login(world.nurse)
    assert c.get(reverse("network:post_history", args=[foreign.pk])).status_code == 404
    assert c.get(reverse("network:post_history", args=[999999])).status_code == 404


def test_a_retraction_leaves_a_trace(world, login):
    post = PostFactory(patient=world.patient, author=world.nurse, body="誤って投稿")
    c = login(world.nurse)
    c.post(reverse("network:post_retract", args=[post.pk]))
    page = c.get(_url(world)).content.decode()
    assert "取り消しました" in page and "誤って投稿" not in page


def test_timeline_pages_by_cursor_ten_posts_a_page(world, login):
    posts = PostFactory.create_batch(15, patient=world.patient, author=world.physician)
    c = login(world.nurse)
    first = c.get(_url(world))
    assert first.context["next_cursor"] == posts[5].pk
    second = c.get(_url(world), {"before": first.context["next_cursor"]})
    assert [p.pk for p in second.context["posts"]] == [p.pk for p in reversed(posts[:5])]


def test_the_compose_box_is_collapsed_until_tapped(world, login):
    page = login(world.nurse).get(_url(world)).content.decode()
    assert '<details class="compose"><summary class="button primary">投稿する</summary>' in page


def test_the_compose_box_opens_again_when_the_post_is_refused(world, login):
    page = login(world.nurse).post(reverse("network:post_create", args=[world.patient.pk]), {"body": ""}).content.decode()
    assert '<details class="compose" open>' in page


def test_a_system_notice_is_folded_into_one_line(world, login):
    services.post_notice(patient=world.patient, author=world.physician, body="診療情報提供書（第1版）を送付しました。")
    page = login(world.nurse).get(_url(world)).content.decode()
    assert '<details class="notice-line"><summary><span class="badge">お知らせ</span><span class="notice-text">' \
           '診療情報提供書（第1版）を送付しました。</span>' in page


def test_the_clinical_view_leaves_out_the_system_notices(world, login):
    services.post_notice(patient=world.patient, author=world.physician, body="診療情報提供書を送付しました。")
    PostFactory(patient=world.patient, author=world.physician, body="食事量が減っています")
    page = login(world.nurse).get(_url(world), {"show": "clinical"}).content.decode()
    assert "食事量が減っています" in page and "診療情報提供書を送付しました。" not in page


def test_the_poll_of_the_clinical_view_leaves_out_the_system_notices(world, login):
    services.post_notice(patient=world.patient, author=world.physician, body="診療情報提供書を送付しました。")
    body = login(world.nurse).get(_url(world, "poll"), {"after": 0, "show": "clinical"}).content.decode()
    assert "診療情報提供書を送付しました。" not in body and "show=clinical" in body


def test_the_older_page_link_keeps_the_clinical_view(world, login):
    PostFactory.create_batch(11, patient=world.patient, author=world.physician)
    page = login(world.nurse).get(_url(world), {"show": "clinical"}).content.decode()
    assert '?show=clinical&amp;before=' in page


def test_the_vitals_are_behind_their_own_tab(world, login):
    page = login(world.nurse).get(_url(world)).content.decode()
    assert "バイタルの推移" not in page and '?show=vitals"' in page


def test_the_poll_returns_only_new_posts(world, login):
    old = PostFactory(patient=world.patient, author=world.physician, body="古い投稿")
    PostFactory(patient=world.patient, author=world.physician, body="新しい投稿")
    r = login(world.nurse).get(_url(world, "poll"), {"after": old.pk})
    body = r.content.decode()
    assert "新しい投稿" in body and "古い投稿" not in body


def _fill(world, n):
    for post in PostFactory.create_batch(n, patient=world.patient, author=world.physician):
        reply = PostFactory(patient=world.patient, author=world.physician, parent=post)
        services.mark_read(posts=[reply], user=world.caremanager)


def test_the_timeline_page_runs_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    from tests.factories import UserFactory

    world.caremanager = UserFactory()
    c = login(world.nurse)
    _fill(world, 2)
    c.get(_url(world))
    _fill(world, 1)
    queries = queries_of(lambda: c.get(_url(world)))
    _fill(world, 19)
    with django_assert_num_queries(queries):
        c.get(_url(world))


def test_polling_stops_at_the_idle_timeout(world, login, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    settings.NETWORK_POLL_SECONDS = 10
    body = login(world.nurse).get(_url(world, "poll"), {"after": 0, "n": 5}).content.decode()
    assert "自動更新を停止しました" in body and "hx-get" not in body


def test_the_poll_refreshes_the_bell(world, login):
    from renkei.network.services import create_post

    create_post(author=world.physician, body=f"@{world.nurse.username} 確認お願いします", patient=world.patient)
    body = login(world.nurse).get(_url(world, "poll"), {"after": 0}).content.decode()
    assert 'id="bell" hx-swap-oob' in body and "未読1件" in body
