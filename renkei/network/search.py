"""Name search keys: kanji or kana, insensitive to hiragana/katakana, full/half width, case and spaces."""
import re
import unicodedata

import jaconv

_SPACES = re.compile(r"\s+")


def normalise(text):
    """Fold a name for matching: NFKC (half-width kana → full, full-width ASCII → half), katakana → hiragana."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = jaconv.kata2hira(folded).lower()
    return _SPACES.sub("", folded)


def search_key(*parts):
    """The stored search column of a record: its normalised parts joined by a separator."""
    return "|".join(normalise(p) for p in parts if p)
