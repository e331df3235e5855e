"""The e-mail digest: counts per kind, including the kinds other parts write (no patient data)."""
from renkei.network.digest import digest_text


def test_it_counts_each_known_kind():
    assert "・メンション 2件" in digest_text({"mention": 2}, "https://renkei.example")


def test_it_counts_kinds_of_other_parts_as_other_notices():
    text = digest_text({"referral": 1, "reconfirm": 2}, "https://renkei.example")
    assert "・その他のお知らせ 3件" in text
