"""The e-mail digest: counts per kind, including the kinds other parts write (no patient data)."""
from renkei.network.digest import digest_text


def test_it_counts_each_known_kind():
    assert "・メンション 2件" in digest_text({"mention": 2}, "https://renkei.example")


def test_the_directorys_kinds_have_their_own_words():
    text = digest_text({"referral": 1, "reconfirm": 2}, "https://renkei.example")
    assert "・受け入れ依頼 1件" in text and "・受け入れ状況の再確認 2件" in text and "その他" not in text


def test_a_kind_without_a_label_is_counted_as_other_notices():
    text = digest_text({"some_future_kind": 3}, "https://renkei.example")
    assert "・その他のお知らせ 3件" in text
