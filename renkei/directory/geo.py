"""Places: 町丁目 from an address, 町丁目 centres (Geolonia data shipped in data/), distances, text keys."""
import json
import math
import re
from functools import lru_cache
from pathlib import Path

import jaconv

from renkei.core.text import normalise  # migration 0002 imports it from here

DATA_DIR = Path(__file__).resolve().parent / "data"
EARTH_RADIUS_M = 6_371_008.8
KANJI_DIGITS = "〇一二三四五六七八九"
_HYPHENS = re.compile(r"[‐‑‒–—―−ｰ－ー]")


def kanji_number(n):
    """1 → 一, 10 → 十, 12 → 十二 (丁目 numbers are small)."""
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + (KANJI_DIGITS[ones] if ones else "")


@lru_cache(maxsize=1)
def _town_rows():
    with open(DATA_DIR / "geolonia_musashino_towns.json", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def towns():
    """{町丁目 name: (lat, lon)} of the shipped town file (武蔵野市)."""
    return {row["town"]: (row["lat"], row["lng"]) for row in _town_rows()}


def town_zip(town):
    """The postal code of a 町丁目 of the shipped town file ('1800004'), or ''."""
    return next((row["zip"] for row in _town_rows() if row["town"] == town), "")


def street_part(address, municipality_name=""):
    """The part of an address after the prefecture and municipality, digits half-width."""
    text = jaconv.z2h(address or "", kana=False, ascii=True, digit=True).strip()
    text = _HYPHENS.sub("-", text)
    if municipality_name and municipality_name in text:
        text = text.split(municipality_name, 1)[1]
    else:
        text = re.sub(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)", "", text)
        text = re.sub(r"^.+?郡.+?[町村](?=\D)|^.+?[市区](?=\D)", "", text, count=1)
    return text.strip()


def town_from_address(address, municipality_name=""):
    """The 町丁目 of an address in the form of the town file ('境南町一丁目'), or the bare town."""
    rest = street_part(address, municipality_name)
    match = re.match(r"^([^\d一二三四五六七八九十]+?)([一二三四五六七八九十]+)丁目", rest)
    if match:
        return f"{match.group(1)}{match.group(2)}丁目"
    match = re.match(r"^([^\d]+?)\s*(\d+)", rest)
    if match:
        base = match.group(1).strip()
        if int(match.group(2)) > 99:  # a lot number (番地) right after the town, not a 丁目
            return base
        return f"{base}{kanji_number(int(match.group(2)))}丁目" if base else ""
    return re.split(r"[\s\d]", rest, maxsplit=1)[0]


def town_centre(name):
    """(lat, lon) of a 町丁目, or the mean of a town's 丁目 when given the bare town ('吉祥寺本町')."""
    name = (name or "").strip()
    if not name:
        return None
    known = towns()
    if name in known:
        return known[name]
    key = normalise(name)
    matches = [point for town, point in known.items() if normalise(town).startswith(key)]
    if not matches:
        return None
    return (sum(p[0] for p in matches) / len(matches), sum(p[1] for p in matches) / len(matches))


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat, lon, radius_m):
    """(min_lat, max_lat, min_lon, max_lon) around a point, a cheap prefilter before haversine."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def valid_point(lat, lon):
    """True for a usable coordinate (the ministry files use 0,0 or blanks for unknown)."""
    if lat is None or lon is None:
        return False
    if abs(lat) < 1e-9 and abs(lon) < 1e-9:
        return False
    # Japan, generously.
    return 20 <= lat <= 46 and 122 <= lon <= 154
