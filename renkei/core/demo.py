"""Demo data of the core app (RENKEI_DEMO=1 only): the CONTRACT demo accounts and their facilities,
fictional registered members whose numbers follow Musashino's published ICT-network figures, and a few
applications waiting for the staff's decision.

Two cities of the area have their own staff on the demo: `staff` (and `coordinator`) act for Musashino
(13203), `staff_mitaka` for Mitaka (13204); the professionals' teams span both."""
import datetime
import random
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import (
    Affiliation,
    Facility,
    FacilityAdministrator,
    FacilityAdminStatus,
    FacilityKind,
    Municipality,
    Profession,
    RegistrationStatus,
    User,
)
from .otp import demo_totp_device

DEMO_PASSWORD = "renkei-demo-2026"


class Output(Protocol):
    """Where load() reports what it made: a management command's stdout."""

    def write(self, msg: str, /) -> object: ...

# Fictional facilities for the demo accounts, visibly labelled as fictional.
DEMO_FACILITIES = {
    "city": ("武蔵野市 健康福祉部 地域支援課", "ムサシノシ ケンコウフクシブ チイキシエンカ", FacilityKind.MUNICIPAL_OFFICE),
    "office": ("（架空）武蔵野市医師会 在宅医療介護連携支援室", "カクウ ムサシノシイシカイ ザイタクイリョウカイゴレンケイシエンシツ", FacilityKind.SUPPORT_OFFICE),
    "clinic": ("（架空）みどりの森在宅クリニック", "カクウ ミドリノモリザイタククリニック", FacilityKind.HOME_CARE_CLINIC),
    "nursing": ("（架空）さくら訪問看護ステーション", "カクウ サクラホウモンカンゴステーション", FacilityKind.VISITING_NURSING),
    "caremgmt": ("（架空）けやき居宅介護支援事業所", "カクウ ケヤキキョタクカイゴシエンジギョウショ", FacilityKind.CARE_MANAGEMENT),
    "pharmacy": ("（架空）ひまわり調剤薬局", "カクウ ヒマワリチョウザイヤッキョク", FacilityKind.PHARMACY),
    "mitaka_city": ("（架空）三鷹市 健康福祉部", "カクウ ミタカシ ケンコウフクシブ", FacilityKind.MUNICIPAL_OFFICE),
}
MUSASHINO, MITAKA = "13203", "13204"
MUSASHINO_CENTRE = (35.7178, 139.5661)
MITAKA_CENTRE = (35.6836, 139.5597)
# facility key: (municipality code, address, (lat, lon)); the others are in Musashino.
FACILITY_CITY = {"mitaka_city": (MITAKA, "東京都三鷹市（架空の所在地）", MITAKA_CENTRE)}

# username: (name, kana, profession, facility key, staff, coordinator)
DEMO_ACCOUNTS = {
    "staff": ("市役 花子", "シヤク ハナコ", Profession.MUNICIPAL, "city", True, False),
    "coordinator": ("連携 調太郎", "レンケイ チョウタロウ", Profession.COORDINATOR, "office", False, True),
    "doctor": ("往診 一郎", "オウシン イチロウ", Profession.PHYSICIAN, "clinic", False, False),
    "nurse": ("訪看 さくら", "ホウカン サクラ", Profession.NURSE, "nursing", False, False),
    "caremanager": ("計画 ケア子", "ケイカク ケアコ", Profession.CARE_MANAGER, "caremgmt", False, False),
    "outsider": ("部外 薬太", "ブガイ ヤクタ", Profession.PHARMACIST, "pharmacy", False, False),
}
# Staff of the other demo city. Approved after the last figures Musashino published (2023-01-31), so
# the demo's member counts of those years stay the city's own.
OTHER_CITY_ACCOUNTS = {
    "staff_mitaka": ("三鷹 みどり", "ミタカ ミドリ", Profession.MUNICIPAL, "mitaka_city", True, False),
}
OTHER_CITY_APPROVED_ON = datetime.date(2024, 4, 1)
# username: the code of the municipality the account acts for (staff and coordinators only)
# The facility administrator (施設管理者) of the fictional nursing station (added with issue #20; not in CONTRACT).
FACILITY_ADMIN = "facility_admin"
ACTS_FOR = {"staff": MUSASHINO, "coordinator": MUSASHINO, "staff_mitaka": MITAKA}


def load(stdout: Output | None = None) -> None:
    """Create (or bring back to their demo state) the demo facilities and accounts."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    cities = {m.code: m for m in Municipality.objects.filter(code__in=[MUSASHINO, MITAKA])}
    musashino = cities[MUSASHINO]
    facilities: dict[str, Facility] = {}
    for key, (name, kana, kind) in DEMO_FACILITIES.items():
        code, address, (lat, lon) = FACILITY_CITY.get(key, (MUSASHINO, "東京都武蔵野市（架空の所在地）", MUSASHINO_CENTRE))
        facilities[key], _ = Facility.objects.update_or_create(
            name=name,
            defaults={
                "name_kana": kana,
                "kind": kind,
                "municipality": cities[code],
                "address": address,
                "lat": lat,
                "lon": lon,
                "is_fictional": key != "city",
            },
        )
    accounts = [(username, account, DEMO_ACCOUNTS_APPROVED_ON) for username, account in DEMO_ACCOUNTS.items()]
    accounts += [(username, account, OTHER_CITY_APPROVED_ON) for username, account in OTHER_CITY_ACCOUNTS.items()]
    for username, (name, kana, profession, fac, staff, coord), approved_on in accounts:
        user, created = _demo_user(
            username, name, kana, profession,
            {
                "is_municipal_staff": staff,
                "is_coordinator": coord,
                "registration_status": RegistrationStatus.APPROVED,
                "decision_reason": "デモ用アカウント",
            },
        )
        user.approved_on = approved_on
        user.withdrawn_on = None
        if created or not user.decided_at:
            user.decided_at = timezone.now()
        user.set_password(DEMO_PASSWORD)
        user.save()
        Affiliation.objects.update_or_create(user=user, facility=facilities[fac], defaults={"is_admin": True})
        user.acts_for.set([cities[ACTS_FOR[username]]] if username in ACTS_FOR else [])
        demo_totp_device(user)
    members = _load_members(musashino)
    _load_applications(musashino, facilities)
    _load_facility_admin(facilities["nursing"], approver=User.objects.get(username="staff"))
    if stdout:
        names = [*DEMO_ACCOUNTS, *OTHER_CITY_ACCOUNTS, FACILITY_ADMIN]
        stdout.write(f"demo accounts: {', '.join(names)} (password {DEMO_PASSWORD})")
        stdout.write(f"fictional registered members: {members}")


def _load_facility_admin(station: Facility, *, approver: User) -> None:
    """`facility_admin`, the approved facility administrator (施設管理者) of the fictional nursing station where
    `nurse` works, and a fictional newcomer there who has set no password or second factor yet (so the
    administrator's list shows someone to remind). Both approved after Musashino's published figures."""
    user = demo_account(FACILITY_ADMIN, "管理 さくら子", "カンリ サクラコ", Profession.NURSE, station,
                        reason="デモ用アカウント（施設管理者）", approved_on=OTHER_CITY_APPROVED_ON)
    FacilityAdministrator.objects.filter(user=user).exclude(facility=station).delete()
    FacilityAdministrator.objects.get_or_create(
        facility=station, user=user, status=FacilityAdminStatus.APPROVED,
        defaults={"nominated_by": user, "reason": "デモ用", "decided_by": approver, "decided_at": timezone.now()})
    newcomer, _ = User.objects.update_or_create(
        username="sakura_newcomer",
        defaults={"name": "（架空）新人 まだ子", "name_kana": "カクウ シンジン マダコ", "profession": Profession.NURSE,
                  "email": "sakura_newcomer@demo.renkei.invalid", "registration_status": RegistrationStatus.APPROVED,
                  "approved_on": OTHER_CITY_APPROVED_ON, "withdrawn_on": None, "decision_reason": "施設管理者による登録",
                  "password": make_password(None)},
    )
    Affiliation.objects.update_or_create(user=newcomer, facility=station, defaults={"is_admin": False})


def demo_account(username: str, name: str, kana: str, profession: str, facility: Facility, *, reason: str,
                 approved_on: datetime.date | None = None) -> User:
    """A demo account working for `facility`, with the demo password and TOTP secret (brought back to
    that state on every run); `approved_on` defaults to the day it was first created."""
    user, created = User.objects.update_or_create(
        username=username,
        defaults={"name": name, "name_kana": kana, "profession": profession,
                  "email": f"{username}@demo.renkei.invalid", "registration_status": RegistrationStatus.APPROVED,
                  "withdrawn_on": None, "decision_reason": reason},
    )
    if approved_on is not None:
        user.approved_on = approved_on
    elif created or not user.approved_on:
        user.approved_on = timezone.localdate()
    if created or not user.decided_at:
        user.decided_at = timezone.now()
    user.set_password(DEMO_PASSWORD)
    user.save()
    Affiliation.objects.update_or_create(user=user, facility=facility, defaults={"is_admin": False})
    demo_totp_device(user)
    return user


# Registered members by profession on 2023-01-31, as Musashino published them (675 in all, the six demo
# accounts included; 訪問看護・訪問リハビリ split into nurses and therapists, その他 into its kinds).
MEMBERS_BY_PROFESSION = {
    Profession.PHYSICIAN: 80,
    Profession.DENTIST: 45,
    Profession.PHARMACIST: 88,
    Profession.CARE_MANAGER: 126,
    Profession.NURSE: 84,
    Profession.THERAPIST: 27,
    Profession.HOME_HELPER: 129,
    Profession.COMMUNITY_SUPPORT: 40,
    Profession.MUNICIPAL: 7,
    Profession.OTHER: 41,
    Profession.HOSPITAL_LIAISON: 7,
    Profession.COORDINATOR: 1,
}
DEMO_ACCOUNTS_APPROVED_ON = datetime.date(2018, 4, 1)
# (first day, last day, members registered then): totals 605 at the end of FY2019, 637 of FY2020,
# 659 on 2022-02-28 and 675 on 2023-01-31, as in the city's reports.
MEMBER_COHORTS = [
    (datetime.date(2016, 4, 1), datetime.date(2020, 3, 31), 605),
    (datetime.date(2020, 4, 1), datetime.date(2021, 3, 31), 32),
    (datetime.date(2021, 4, 1), datetime.date(2022, 2, 28), 22),
    (datetime.date(2022, 3, 1), datetime.date(2023, 1, 31), 16),
]
MEMBER_FACILITY_KIND = {
    Profession.PHYSICIAN: ("（架空）デモ内科クリニック", FacilityKind.CLINIC),
    Profession.DENTIST: ("（架空）デモ歯科医院", FacilityKind.DENTAL),
    Profession.PHARMACIST: ("（架空）デモ薬局", FacilityKind.PHARMACY),
    Profession.CARE_MANAGER: ("（架空）デモ居宅介護支援事業所", FacilityKind.CARE_MANAGEMENT),
    Profession.NURSE: ("（架空）デモ訪問看護ステーション", FacilityKind.VISITING_NURSING),
    Profession.THERAPIST: ("（架空）デモ訪問リハビリテーション", FacilityKind.VISITING_REHAB),
    Profession.HOME_HELPER: ("（架空）デモ訪問介護事業所", FacilityKind.HOME_HELP),
    Profession.COMMUNITY_SUPPORT: ("（架空）デモ地域包括支援センター", FacilityKind.COMMUNITY_SUPPORT),
    Profession.MUNICIPAL: ("武蔵野市 健康福祉部 地域支援課", FacilityKind.MUNICIPAL_OFFICE),
    Profession.OTHER: ("（架空）デモ介護老人保健施設", FacilityKind.HEALTH_FACILITY),
    Profession.HOSPITAL_LIAISON: ("（架空）デモ総合病院 医療連携室", FacilityKind.HOSPITAL),
    Profession.COORDINATOR: ("（架空）武蔵野市医師会 在宅医療介護連携支援室", FacilityKind.SUPPORT_OFFICE),
}
MEMBER_PREFIX = "demo-member-"


def _member_plan() -> list[tuple[Profession, datetime.date]]:
    """(profession, approved_on) of each fictional member, the same on every run."""
    demo_professions = [account[2] for account in DEMO_ACCOUNTS.values()]
    professions: list[Profession] = []
    for profession, count in MEMBERS_BY_PROFESSION.items():
        professions += [profession] * (count - demo_professions.count(profession))
    rng = random.Random(2023)
    rng.shuffle(professions)
    dates: list[datetime.date] = []
    for first, last, count in MEMBER_COHORTS:
        if first <= DEMO_ACCOUNTS_APPROVED_ON <= last:
            count -= len(DEMO_ACCOUNTS)
        span = (last - first).days
        dates += sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    return list(zip(professions, dates, strict=True))


def _load_members(musashino: Municipality) -> int:
    """Create or reset the fictional members with a fixed number of queries; they cannot log in."""
    facilities: dict[str, Facility] = {}
    for profession, (name, kind) in MEMBER_FACILITY_KIND.items():
        facilities[profession], _ = Facility.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "municipality": musashino, "address": "東京都武蔵野市（架空の所在地）",
                      "is_fictional": kind != FacilityKind.MUNICIPAL_OFFICE},
        )
    existing = {u.username: u for u in User.objects.filter(username__startswith=MEMBER_PREFIX)}
    unusable = make_password(None)
    create: list[User] = []
    update: list[User] = []
    for number, (profession, approved_on) in enumerate(_member_plan(), start=1):
        username = f"{MEMBER_PREFIX}{number:03d}"
        user = existing.get(username) or User(username=username, password=unusable)
        user.name = f"デモ会員 {number:03d}"
        user.name_kana = f"デモカイイン {number:03d}"
        user.email = f"{username}@demo.renkei.invalid"
        user.profession = profession
        user.registration_status = RegistrationStatus.APPROVED
        user.approved_on = approved_on
        user.withdrawn_on = None
        user.applied_at = datetime.datetime.combine(approved_on, datetime.time(9), tzinfo=timezone.get_current_timezone())
        user.decision_reason = "デモ用の架空の会員"
        (update if user.pk else create).append(user)
    User.objects.bulk_create(create)
    User.objects.bulk_update(
        update,
        ["name", "name_kana", "email", "profession", "registration_status", "approved_on", "withdrawn_on",
         "applied_at", "decision_reason"],
        batch_size=500,
    )
    members = User.objects.filter(username__startswith=MEMBER_PREFIX).only("pk", "profession")
    Affiliation.objects.filter(user__username__startswith=MEMBER_PREFIX).delete()
    Affiliation.objects.bulk_create([Affiliation(user=m, facility=facilities[m.profession]) for m in members])
    return len(create) + len(update)


def _demo_user(username: str, name: str, kana: str, profession: str, fields: dict[str, Any]) -> tuple[User, bool]:
    """Create or update a demo account by its username (with a demo e-mail address); returns (user, created)."""
    return User.objects.update_or_create(
        username=username,
        defaults={"name": name, "name_kana": kana, "profession": profession,
                  "email": f"{username}@demo.renkei.invalid", **fields},
    )


# username: (name, kana, profession, listed facility key or None, named facility (name, kind) or None)
DEMO_APPLICATIONS = {
    "applicant-pharmacist": ("（架空）申請 薬子", "シンセイ ヤクコ", Profession.PHARMACIST, "pharmacy", None),
    "applicant-helper": (
        "（架空）申請 介助", "シンセイ カイスケ", Profession.HOME_HELPER, None,
        ("（架空）はなみずき訪問介護", FacilityKind.HOME_HELP),
    ),
}


def _load_applications(musashino: Municipality, facilities: dict[str, Facility]) -> None:
    """Two pending applications for the staff to decide on (brought back to pending on every run)."""
    for username, (name, kana, profession, listed, named) in DEMO_APPLICATIONS.items():
        user, _ = _demo_user(
            username, name, kana, profession,
            {
                "phone": "0422-00-0000",
                "registration_status": RegistrationStatus.PENDING,
                "approved_on": None,
                "withdrawn_on": None,
                "decided_at": None,
                "decided_by": None,
                "decision_reason": "",
                "applied_facility_name": named[0] if named else "",
                "applied_facility_kind": named[1] if named else "",
                "applied_facility_municipality": musashino if named else None,
                "password": make_password(None),
            },
        )
        user.affiliations.all().delete()
        if listed:
            Affiliation.objects.create(user=user, facility=facilities[listed])
