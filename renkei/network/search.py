"""Name search keys: kanji or kana, insensitive to hiragana/katakana, full/half width, case and spaces."""
from renkei.core.text import normalise

__all__ = ["normalise", "search_key"]


def search_key(*parts: str | None) -> str:
    """The stored search column of a record: its normalised parts joined by a separator."""
    return "|".join(normalise(p) for p in parts if p)
