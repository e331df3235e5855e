"""Demo directory: the real Musashino / 北多摩南部 open data shipped in data/, plus labelled fictional entries.

Idempotent: the real data goes through the importer (keyed by official id), the fictional
entries are updated in place by name. Runs after core/demo.py.
"""
import json
from datetime import date, time, timedelta

from django.conf import settings
from django.utils import timezone

from renkei.core.models import Affiliation, Facility, FacilityKind, Municipality, User

from . import geo
from .importing import Row, apply_rows, parse_iryo_facilities, parse_kaigo, parse_open_days
from .models import (
    Capacity,
    ConsultationWindow,
    CoordSource,
    FacilityCapability,
    FacilityProfile,
    ReferralAnswer,
    ReferralRequest,
    Schedule,
    Service,
    ServiceArea,
)
from .services import sync_profile
from .windows import CAPACITY_FLAGS

DATA = geo.DATA_DIR
AS_OF = date(2025, 6, 1)
MUSASHINO = "13203"

KAIGO_FILES = {
    "kaigo_home_help_musashino.json": "110",
    "kaigo_day_service_musashino.json": "150",
    "kaigo_tokuyou_musashino.json": "510",
    "kaigo_rouken_musashino.json": "520",
    "kaigo_community_day_service_musashino.json": "780",
}
# The six cities' rows of the ministry's 介護サービス情報公表 files ("_derived": reduced copies, see SOURCES.md).
AREA_KAIGO_FILES = {
    "kaigo_130_hokutama_nanbu_derived.csv": "130",
    "kaigo_140_hokutama_nanbu.csv": "140",
    "kaigo_160_hokutama_nanbu.csv": "160",
    "kaigo_430_hokutama_nanbu_derived.csv": "430",
    "kaigo_710_hokutama_nanbu.csv": "710",
    "kaigo_760_hokutama_nanbu.csv": "760",
    "kaigo_770_hokutama_nanbu.csv": "770",
}
MEDICAL_FILES = {"medical_dental_musashino.json": FacilityKind.DENTAL,
                 "medical_pharmacy_musashino.json": FacilityKind.PHARMACY}

WEEKDAYS = [1, 2, 3, 4, 5]
WEEKDAYS_SAT = [1, 2, 3, 4, 5, 6]
ALL_WEEK = [1, 2, 3, 4, 5, 6, 7, 8]

# name, kana, kind, 町丁目, capabilities, extra profile fields, (days, opens, closes), visiting areas
FICTIONAL = [
    ("（架空）吉祥寺ほんちょう訪問歯科", "カクウ キチジョウジホンチョウホウモンシカ", FacilityKind.DENTAL, "吉祥寺本町二丁目",
     ["dental_home_visit"], {"accepting_new": True}, (WEEKDAYS_SAT, "09:30", "18:00"), ["武蔵野市", "三鷹市"]),
    ("（架空）なかみち歯科クリニック", "カクウ ナカミチシカクリニック", FacilityKind.DENTAL, "吉祥寺本町四丁目",
     ["dental_home_visit", "dementia"], {"accepting_new": False}, (WEEKDAYS, "10:00", "19:00"), ["武蔵野市"]),
    ("（架空）さかい駅前歯科", "カクウ サカイエキマエシカ", FacilityKind.DENTAL, "境一丁目",
     [], {}, (WEEKDAYS_SAT, "09:00", "18:00"), []),
    ("（架空）けやき通り内科クリニック", "カクウ ケヤキドオリナイカクリニック", FacilityKind.HOME_CARE_CLINIC, "吉祥寺本町一丁目",
     ["home_visit", "house_call", "end_of_life", "around_the_clock", "home_care_support"],
     {"accepting_new": True, "languages": "英語"}, (WEEKDAYS_SAT, "09:00", "18:00"), ["武蔵野市"]),
    ("（架空）むさしさかい診療所", "カクウ ムサシサカイシンリョウジョ", FacilityKind.CLINIC, "境二丁目",
     ["house_call"], {"accepting_new": True}, (WEEKDAYS, "09:00", "17:30"), ["武蔵野市"]),
    ("（架空）せきまえファミリークリニック", "カクウ セキマエファミリークリニック", FacilityKind.CLINIC, "関前三丁目",
     ["rehab_outpatient", "rehab_musculoskeletal"], {"pt_count": 2}, (WEEKDAYS_SAT, "09:00", "12:30"), []),
    ("（架空）きょうなん訪問看護ステーション", "カクウ キョウナンホウモンカンゴステーション", FacilityKind.VISITING_NURSING, "境南町二丁目",
     ["around_the_clock", "end_of_life"], {"accepting_new": True, "pt_count": 1},
     (ALL_WEEK, "08:30", "17:30"), ["武蔵野市", "三鷹市", "小金井市"]),
    ("（架空）ひばり訪問看護ステーション", "カクウ ヒバリホウモンカンゴステーション", FacilityKind.VISITING_NURSING, "境南町四丁目",
     ["around_the_clock"], {"accepting_new": False}, (WEEKDAYS, "09:00", "18:00"), ["武蔵野市"]),
    ("（架空）きちじょうじ北訪問看護", "カクウ キチジョウジキタホウモンカンゴ", FacilityKind.VISITING_NURSING, "吉祥寺北町二丁目",
     ["end_of_life", "dementia"], {"accepting_new": True, "languages": "中国語"}, (WEEKDAYS_SAT, "09:00", "18:00"),
     ["武蔵野市", "練馬区"]),
    ("（架空）みどりまち居宅介護支援センター", "カクウ ミドリマチキョタクカイゴシエンセンター", FacilityKind.CARE_MANAGEMENT, "緑町二丁目",
     [], {"accepting_new": True}, (WEEKDAYS, "08:30", "17:30"), ["武蔵野市"]),
    ("（架空）なかまちケアプランセンター", "カクウ ナカマチケアプランセンター", FacilityKind.CARE_MANAGEMENT, "中町一丁目",
     [], {"accepting_new": False}, (WEEKDAYS, "09:00", "18:00"), ["武蔵野市"]),
    ("（架空）さくらづつみ訪問リハビリテーション", "カクウ サクラヅツミホウモンリハビリテーション", FacilityKind.VISITING_REHAB, "桜堤二丁目",
     ["rehab_visiting", "rehab_cerebrovascular", "rehab_musculoskeletal", "rehab_disuse"],
     {"accepting_new": True, "pt_count": 4, "ot_count": 2, "st_count": 1}, (WEEKDAYS_SAT, "09:00", "17:00"),
     ["武蔵野市", "西東京市"]),
    ("（架空）ごてんやまデイケアセンター", "カクウ ゴテンヤマデイケアセンター", FacilityKind.DAY_REHAB, "御殿山一丁目",
     ["rehab_day", "rehab_cerebrovascular", "rehab_respiratory", "rehab_cardiovascular", "rehab_disuse"],
     {"capacity": 40, "vacancies": 3, "pt_count": 3, "ot_count": 2, "st_count": 1}, (WEEKDAYS_SAT, "09:00", "16:30"), []),
]

# Capabilities of core's fictional demo facilities (demo accounts can edit them).
CORE_DEMO_CAPABILITIES = {
    "（架空）みどりの森在宅クリニック": ["home_visit", "house_call", "end_of_life", "around_the_clock", "home_care_support"],
    "（架空）さくら訪問看護ステーション": ["around_the_clock", "end_of_life"],
    "（架空）ひまわり調剤薬局": ["pharmacy_home_visit"],
}


def _load_json(name):
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


def _hospital_rows():
    """The 65-column rows (with open days) win over the 7-column list of the six cities."""
    rows = {r.official_id: r for r in parse_iryo_facilities(
        (DATA / "mhlw_hospitals_kitatama_nanbu_7col_20250601.csv").read_bytes(), kind=FacilityKind.HOSPITAL)}
    for row in parse_iryo_facilities((DATA / "mhlw_hospitals_musashino_mitaka_20250601.csv").read_bytes()):
        rows[row.official_id] = row
    for item in _load_json("medical_hospital_musashino.json"):
        if item["id"] in rows:
            rows[item["id"]].departments = ",".join(item.get("departments") or [])[:500]
    for row in rows.values():
        if not row.municipality_code:
            row.municipality_code = _municipality_code_of(row.address)
    return list(rows.values())


def _municipality_code_of(address):
    for municipality in Municipality.objects.all():
        if municipality.name in address:
            return municipality.code
    return ""


def _medical_rows(name, kind):
    return [Row(official_id=item["id"], kind=kind, name=item["name"], municipality_code=MUSASHINO,
                address=item["address"], phone=item.get("tel") or "", url=item.get("url") or "",
                departments=",".join(item.get("departments") or [])[:500])
            for item in _load_json(name)]


def _kaigo_rows(name, code):
    from .taxonomy import KAIGO_SERVICES

    kind, service_name = KAIGO_SERVICES[code]
    rows = []
    for item in _load_json(name):
        days = parse_open_days(",".join(item.get("openDays") or []))
        rows.append(Row(
            official_id=item["id"], kind=kind, name=item["name"], name_kana=item.get("kana") or "",
            municipality_code=MUSASHINO, address=item["address"], lat=item.get("lat"), lon=item.get("lng"),
            phone=item.get("tel") or "", url=item.get("url") or "", capacity=item.get("capacity") or None,
            hours_note=(item.get("openDaysNote") or "")[:500], service=(code, service_name),
            schedules=[(d, None, None, "") for d in days] if days else None,
        ))
    return rows


def load_real_data(stdout=None):
    """Import the shipped extracts through the same code path as the ministry files."""
    results = [apply_rows(_hospital_rows(), source="iryo:hospital", file_name="医療情報ネット 病院（北多摩南部）",
                          source_date=AS_OF)]
    for name, kind in MEDICAL_FILES.items():
        results.append(apply_rows(_medical_rows(name, kind), source=f"iryo:{kind}", file_name=name, source_date=AS_OF))
    for name, code in KAIGO_FILES.items():
        results.append(apply_rows(_kaigo_rows(name, code), source=f"kaigo:{code}", file_name=name, source_date=AS_OF))
    city_codes = {m.name: m.code for m in Municipality.objects.all()}
    for name, code in AREA_KAIGO_FILES.items():
        # The files do not state their date (SOURCES.md): no confirmation date is derived from them.
        rows = parse_kaigo((DATA / name).read_bytes(), code, city_codes=city_codes)
        results.append(apply_rows(rows, source=f"kaigo:{code}", file_name=name))
    if stdout:
        for result in results:
            stdout.write(result.summary())
    return results


def _set_capabilities(facility, codes):
    FacilityCapability.objects.filter(facility=facility).exclude(code__in=codes).delete()
    FacilityCapability.objects.bulk_create([FacilityCapability(facility=facility, code=c) for c in codes],
                                           ignore_conflicts=True)


def load_fictional():
    """The fictional entries for categories the shipped data lacks, each visibly labelled."""
    musashino = Municipality.objects.get(code=MUSASHINO)
    today = timezone.localdate()
    for name, kana, kind, town, capabilities, extra, (days, opens, closes), areas in FICTIONAL:
        lat, lon = geo.town_centre(town)
        facility, _created = Facility.objects.update_or_create(name=name, defaults={
            "name_kana": kana, "kind": kind, "municipality": musashino, "is_fictional": True,
            "address": f"東京都武蔵野市{town}（架空の所在地）", "lat": lat, "lon": lon, "phone": "0422-00-0000",
        })
        profile = FacilityProfile.objects.get(facility=facility)
        values = {"accepting_new": None, "vacancies": None, "languages": "", "pt_count": None, "ot_count": None,
                  "st_count": None, "capacity": None, **extra}
        for field, value in values.items():
            setattr(profile, field, value)
        profile.source, profile.coord_source = "demo", CoordSource.TOWN_CENTRE
        profile.description = "デモ用の架空の事業所です。実在しません。"
        profile.accepting_confirmed_on = today if values["accepting_new"] is not None else None
        profile.vacancies_confirmed_on = today if values["vacancies"] is not None else None
        profile.last_confirmed_on = today
        profile.save()
        _set_capabilities(facility, capabilities)
        Schedule.objects.filter(facility=facility).delete()
        Schedule.objects.bulk_create([Schedule(facility=facility, weekday=d, opens_at=time.fromisoformat(opens),
                                               closes_at=time.fromisoformat(closes)) for d in days])
        ServiceArea.objects.filter(facility=facility).exclude(name__in=areas).delete()
        ServiceArea.objects.bulk_create([ServiceArea(facility=facility, name=a) for a in areas], ignore_conflicts=True)
        Service.objects.get_or_create(facility=facility, code="", name=facility.get_kind_display())
    for name, codes in CORE_DEMO_CAPABILITIES.items():
        facility = Facility.objects.filter(name=name).first()
        if facility:
            sync_profile(facility)
            _set_capabilities(facility, codes)


# Consultation windows (ケアマネタイム) of fictional providers: name → [(days, starts, ends, channel, number, note)].
WINDOWS = {
    "（架空）みどりの森在宅クリニック": [
        ([2], "14:00", "15:00", "phone", "0422-00-0101", "訪問診療の新規相談は火曜14時〜"),
        ([4], "13:00", "14:00", "network", "", "Renkei のメッセージで随時。返信は木曜午後"),
    ],
    "（架空）けやき通り内科クリニック": [
        ([1, 3, 5], "12:30", "13:30", "phone", "0422-00-0102", "昼休みに医師が直接対応します"),
        ([6], "12:00", "12:30", "fax", "0422-00-0103", "FAXは平日に返信"),
    ],
    "（架空）むさしさかい診療所": [([2, 4], "17:30", "18:00", "phone", "0422-00-0104", "往診の相談は診療終了後に")],
    "（架空）さくら訪問看護ステーション": [
        ([1, 2, 3, 4, 5], "09:00", "17:00", "phone", "0422-00-0201", "新規依頼は管理者（訪看 さくら）まで"),
    ],
    "（架空）きょうなん訪問看護ステーション": [([1, 2, 3, 4, 5, 6], "09:00", "17:30", "phone", "0422-00-0202", "")],
    "（架空）みどりまち居宅介護支援センター": [([1, 3], "10:00", "12:00", "in_person", "", "来所相談は予約制")],
}
# Capacity answers of fictional providers: name → (accepting, flags, languages, days since confirmed).
CAPACITIES = {
    "（架空）みどりの森在宅クリニック": (True, ["around_the_clock", "end_of_life", "dementia"], "", 3),
    "（架空）けやき通り内科クリニック": (True, ["around_the_clock", "end_of_life"], "英語", 10),
    "（架空）むさしさかい診療所": (False, [], "", 5),
    "（架空）さくら訪問看護ステーション": (True, ["around_the_clock", "end_of_life", "ventilator"], "", 2),
    "（架空）きょうなん訪問看護ステーション": (True, ["around_the_clock", "end_of_life", "pediatric"], "", 7),
    "（架空）ひばり訪問看護ステーション": (True, ["around_the_clock"], "", 75),  # stale: shown as unknown
    "（架空）きちじょうじ北訪問看護": (True, ["dementia"], "中国語", 12),
    "（架空）けやき居宅介護支援事業所": (True, [], "", 4),
    "（架空）みどりまち居宅介護支援センター": (True, ["dementia"], "", 20),
    "（架空）なかまちケアプランセンター": (False, [], "", 9),
}
# Referral requests of the demo care manager: (need, place, days ago, [(provider, answer, reason, hours later)]).
REFERRALS = [
    ("80代女性、退院後の在宅療養。24時間対応の訪問看護を来週から週2回希望（胃ろう管理あり）。", "吉祥寺本町", 6, [
        ("（架空）さくら訪問看護ステーション", "accepted", "来週火曜から訪問できます。退院前カンファレンスに参加します。", 3),
        ("（架空）きょうなん訪問看護ステーション", "declined", "今月は新規の枠がありません。来月なら相談可能です。", 20),
    ]),
    ("90代男性、通院困難。訪問診療の新規開始を相談したい（独居、認知症あり）。", "境南町", 1, [
        ("（架空）みどりの森在宅クリニック", "pending", "", None),
        ("（架空）けやき通り内科クリニック", "pending", "", None),
    ]),
]
DEMO_REQUESTER = "caremanager"


def load_professional():
    """Windows, capacity answers and referral requests of the fictional providers (their own entries)."""
    by_name = {f.name: f for f in Facility.objects.filter(name__in=set(WINDOWS) | set(CAPACITIES) | {
        n for _need, _place, _days, answers in REFERRALS for n, *_rest in answers})}
    ConsultationWindow.objects.filter(facility__in=[by_name[n] for n in WINDOWS if n in by_name]).delete()
    ConsultationWindow.objects.bulk_create([
        ConsultationWindow(facility=by_name[name], weekday=day, starts_at=time.fromisoformat(starts),
                           ends_at=time.fromisoformat(ends), channel=channel, direct_number=number, note=note)
        for name, rows in WINDOWS.items() if name in by_name
        for days, starts, ends, channel, number, note in rows for day in days])
    today = timezone.localdate()
    for name, (accepting, flags, languages, days_ago) in CAPACITIES.items():
        if name not in by_name:
            continue
        confirmed = today - timedelta(days=days_ago)
        Capacity.objects.update_or_create(facility=by_name[name], defaults={
            "accepting_new": accepting, "languages": languages, "confirmed_on": confirmed, "reminded_on": None,
            **{f: f in flags for f in CAPACITY_FLAGS}})
        FacilityProfile.objects.filter(facility=by_name[name]).update(accepting_new=accepting,
                                                                      accepting_confirmed_on=confirmed)
    requester = User.objects.filter(username=DEMO_REQUESTER).first()
    if requester is None:
        return
    answerers = {a.facility_id: a.user for a in Affiliation.objects.filter(
        facility__in=by_name.values()).select_related("user")}
    ReferralRequest.objects.filter(requester=requester, need__in=[r[0] for r in REFERRALS]).delete()
    own = requester.affiliations.select_related("facility__municipality").first()
    now = timezone.now()
    for need, place, days_ago, answers in REFERRALS:
        created = now - timedelta(days=days_ago)
        referral = ReferralRequest.objects.create(
            requester=requester, requester_facility=own.facility if own else None,
            municipality=own.facility.municipality if own else Municipality.objects.get(code=MUSASHINO),
            need=need, place=place, conditions={"near": [place], "new": ["1"]}, created_at=created)
        ReferralAnswer.objects.bulk_create([
            ReferralAnswer(request=referral, facility=by_name[name], status=status, reason=reason,
                           answered_at=created + timedelta(hours=hours) if hours is not None else None,
                           answered_by=answerers.get(by_name[name].pk) if hours is not None else None)
            for name, status, reason, hours in answers if name in by_name])


def load(stdout=None):
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    load_real_data(stdout)
    load_fictional()
    load_professional()
    if stdout:
        stdout.write(f"directory: {FacilityProfile.objects.count()} entries")
