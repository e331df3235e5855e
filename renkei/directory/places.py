"""Places a resident names for 「近く」: 町丁目 of the six cities, stations, city halls and facilities.

Everything is placed with open data shipped in data/ (see data/SOURCES.md): 町丁目 at their Geolonia
representative point; stations and city halls at the mean of the points of the 町丁目 they stand on
(a few hundred metres at most from the building); a facility at its own coordinates. No queries here:
the facilities to consider are handed in by the caller (selectors.facility_places).
"""
import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .geo import DATA_DIR, normalise, town_from_address

AREA_CITIES = ("武蔵野市", "三鷹市", "府中市", "調布市", "小金井市", "狛江市")
KIND_ORDER = {"station": 0, "city_hall": 1, "town": 2, "facility": 3}
MAX_CANDIDATES = 10
_CHOME = re.compile(r"[一二三四五六七八九十]+丁目$")
_PREFECTURE = re.compile(r"^\s*東京都")


@dataclass(frozen=True)
class Place:
    """A named point; `label` is what the page shows and what a candidate link sends back as 「近く」."""

    label: str
    kind: str  # station, city_hall, town or facility
    lat: float
    lon: float
    detail: str = ""


@dataclass(frozen=True)
class Resolution:
    """The one place a text names, or the candidates when it names several (both empty: unknown)."""

    place: Place | None
    candidates: tuple[Place, ...] = ()


@lru_cache(maxsize=1)
def area_towns():
    """{(city, 町丁目): (lat, lon)} for the six cities (Musashino's file and the other five cities' file)."""
    with open(DATA_DIR / "geolonia_musashino_towns.json", encoding="utf-8") as f:
        points = {("武蔵野市", row["town"]): (row["lat"], row["lng"]) for row in json.load(f)}
    with open(DATA_DIR / "geolonia_area_towns.json", encoding="utf-8") as f:
        points |= {(row["city"], row["town"]): (row["lat"], row["lng"]) for row in json.load(f)}
    return points


def _mean(points):
    points = list(points)
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _town_base(town):
    """'吉祥寺本町一丁目' → '吉祥寺本町' (a town without 丁目 is its own base)."""
    return _CHOME.sub("", town)


@lru_cache(maxsize=1)
def _towns() -> list[tuple[Place, tuple[str, str]]]:
    """[(Place, keys)] of every 町丁目 and every bare town (the mean of its 丁目), per city."""
    bases: dict[tuple[str, str], list] = {}
    entries = []
    for (city, town), point in area_towns().items():
        entries.append((Place(f"{city}{town}", "town", point[0], point[1], detail="町丁目"), city, town))
        bases.setdefault((city, _town_base(town)), []).append(point)
    for (city, base), points in bases.items():
        if (city, base) not in area_towns():
            lat, lon = _mean(points)
            entries.append((Place(f"{city}{base}", "town", lat, lon, detail="町名"), city, base))
    return [(place, (normalise(town), normalise(city + town))) for place, city, town in entries]


@lru_cache(maxsize=1)
def landmarks():
    """[(Place, keys)] of the stations and city halls in data/area_landmarks.csv."""
    towns = area_towns()
    result = []
    with open(DATA_DIR / "area_landmarks.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            points = []
            for name in row["towns"].split("・"):
                city = next(c for c in AREA_CITIES if name.startswith(c))
                points.append(towns[(city, name[len(city):])])
            detail = row["lines"] or "市役所"
            place = Place(row["name"], row["kind"], *_mean(points), detail=detail)
            keys = {normalise(row["name"]), normalise(row["kana"])}
            if row["kind"] == "station":  # 「吉祥寺」, 「きちじょうじ」 and 「きちじょうじ駅」 name the station too
                kana = row["kana"].removesuffix("えき")
                keys |= {normalise(row["name"].removesuffix("駅")), normalise(kana), normalise(kana + "駅")}
            result.append((place, tuple(keys)))
    return result


def _address_key(text):
    """The 町丁目 key of an address-like text ('武蔵野市吉祥寺本町1-2-3' → 'きちじょうじほんちょういっちょうめ'-style)."""
    text = _PREFECTURE.sub("", text).strip()
    city = next((c for c in AREA_CITIES if text.startswith(c)), "")
    town = town_from_address(text, city) if city else town_from_address(text)
    # Only a text that starts with the town is an address (「さくら薬局（三鷹市下連雀3-1）」 is a name).
    if not town or not re.search(r"\d", text) or not normalise(text).startswith(normalise(city + _town_base(town))):
        return ""
    return normalise(city + town)


def _facility_place(row):
    name, address, lat, lon = row
    return Place(name, "facility", lat, lon, detail=address)


def resolve(text, facilities=()):
    """The place a resident means by `text` (kana and width folded by `normalise`).

    `facilities` are (name, address, lat, lon) rows that may match (selectors.facility_places gives
    them). Exact names win over partial ones; one match resolves, several are candidates.
    """
    key = normalise(_PREFECTURE.sub("", text or ""))
    if not key:
        return Resolution(None)
    named = [(place, keys) for place, keys in landmarks() + _towns()]
    exact = [place for place, keys in named if key in keys]
    address = _address_key(text)
    if address and not exact:
        exact = [place for place, keys in named if place.kind == "town" and address in keys]
    facility_places = [_facility_place(row) for row in facilities]
    if not exact:
        exact = [p for p in facility_places if key in (normalise(p.label), normalise(p.label + p.detail))]
    if exact:
        return _answer(exact)
    partial = [place for place, keys in named if any(key in k for k in keys)]
    partial += [p for p in facility_places if key in normalise(p.label)]
    return _answer(partial)


def _answer(places):
    unique = list(dict.fromkeys(places))
    if len(unique) == 1:
        return Resolution(unique[0])
    unique.sort(key=lambda p: (KIND_ORDER[p.kind], p.label, p.detail))
    labels = [p.label for p in unique]
    # Two facilities of one name are told apart by their address (resolve accepts 「名称（所在地）」).
    shown = [Place(f"{p.label}（{p.detail}）", p.kind, p.lat, p.lon, p.detail)
             if p.kind == "facility" and labels.count(p.label) > 1 else p for p in unique]
    return Resolution(None, tuple(shown[:MAX_CANDIDATES]))
