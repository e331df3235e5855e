"""Text folding shared by every stored search key (patients' names, the directory's facilities)."""
import re
import unicodedata

import jaconv

# Spaces (incl. U+3000) and the punctuation people type or leave out at will in names and addresses.
_DROPPED = re.compile(r"[\s・,、.。()「」]+")


def normalise(text: str | None) -> str:
    """A search key: NFKC (half-width kana → full, full-width ASCII/digits → half, ① → 1),
    katakana → hiragana, lower case, spaces and ・,、.。()「」 dropped."""
    folded = unicodedata.normalize("NFKC", text or "")
    folded = jaconv.kata2hira(folded).lower()
    return _DROPPED.sub("", str(folded))
