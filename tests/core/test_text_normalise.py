"""One kana/width fold for every stored search key (patients and the directory)."""
import re
import unicodedata

import jaconv
import pytest

from renkei.core.text import normalise
from renkei.directory import geo
from renkei.network import search


def old_network_normalise(text):
    """network/search.py before the merge."""
    folded = jaconv.kata2hira(unicodedata.normalize("NFKC", text or "")).lower()
    return re.sub(r"\s+", "", folded)


def old_directory_normalise(text):
    """directory/geo.py before the merge."""
    if not text:
        return ""
    text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return re.sub(r"[\s　・,，、.。()（）「」]+", "", jaconv.kata2hira(text).lower())


# What the project stores: names, kana, addresses.
STORED = [
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう"),
    ("ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟ", "がぎぐげごぱぴぷ"),
    ("ヤマダ　タロウ", "やまだたろう"),  # U+3000
    ("山田 太郎", "山田太郎"),
    ("ヴァイオリン ｳﾞｧ", "ゔぁいおりんゔぁ"),
    ("コーヒー ｺｰﾋｰ", "こーひーこーひー"),
    ("ＡＢＣ１２３ abc", "abc123abc"),
    ("Ｍａｒｙ", "mary"),
    ("東京都武蔵野市吉祥寺本町１−２−３", "東京都武蔵野市吉祥寺本町1−2−3"),
    ("吉祥寺本町1-2-3", "吉祥寺本町1-2-3"),
    ("〒180-0001 東京都武蔵野市", "〒180-0001東京都武蔵野市"),
    ("〜", "〜"),
    ("ケ ヶ", "けゖ"),
    ("", ""),
    (None, ""),
]


@pytest.mark.parametrize(("text", "key"), STORED)
def test_the_one_normalise_gives_the_keys_both_old_ones_gave_on_stored_text(text, key):
    assert normalise(text) == key
    assert old_network_normalise(text) == key
    assert old_directory_normalise(text) == key


# Where the old two differed, the one function folds as far as either did, so search works for both.
DIFFERED = [
    ("①②", "12"),  # the directory kept ①
    ("Ⅲ", "iii"),
    ("㎡", "m2"),
    ("㈱山田", "株山田"),
    ("（株）山田", "株山田"),  # the network kept the brackets
    ("ジョン・スミス", "じょんすみす"),
    ("ｼﾞｮﾝ･ｽﾐｽ", "じょんすみす"),
    ("訪問看護ステーション、ひだまり。", "訪問看護すてーしょんひだまり"),
    ("「ひまわり」", "ひまわり"),
    ("ﾞ", "゙"),
]


@pytest.mark.parametrize(("text", "key"), DIFFERED)
def test_where_the_old_functions_differed_the_one_folds_as_far_as_either(text, key):
    assert normalise(text) == key
    assert old_network_normalise(text) != old_directory_normalise(text)


def test_patients_and_the_directory_both_use_the_one_function():
    assert search.normalise is normalise
    assert geo.normalise is normalise
    assert search.search_key("ﾔﾏﾀﾞ・ﾀﾛｳ", "やまだ たろう") == "やまだたろう|やまだたろう"
