"""Demo data of the core app: the CONTRACT demo accounts and their facilities (RENKEI_DEMO=1 only)."""
from django.conf import settings
from django.utils import timezone

from .models import Affiliation, Facility, FacilityKind, Municipality, Profession, RegistrationStatus, User
from .otp import demo_totp_device

DEMO_PASSWORD = "renkei-demo-2026"

# Fictional facilities for the demo accounts, visibly labelled as fictional.
DEMO_FACILITIES = {
    "city": ("武蔵野市 健康福祉部 地域支援課", "ムサシノシ ケンコウフクシブ チイキシエンカ", FacilityKind.MUNICIPAL_OFFICE),
    "office": ("（架空）武蔵野市医師会 在宅医療介護連携支援室", "カクウ ムサシノシイシカイ ザイタクイリョウカイゴレンケイシエンシツ", FacilityKind.SUPPORT_OFFICE),
    "clinic": ("（架空）みどりの森在宅クリニック", "カクウ ミドリノモリザイタククリニック", FacilityKind.HOME_CARE_CLINIC),
    "nursing": ("（架空）さくら訪問看護ステーション", "カクウ サクラホウモンカンゴステーション", FacilityKind.VISITING_NURSING),
    "caremgmt": ("（架空）けやき居宅介護支援事業所", "カクウ ケヤキキョタクカイゴシエンジギョウショ", FacilityKind.CARE_MANAGEMENT),
    "pharmacy": ("（架空）ひまわり調剤薬局", "カクウ ヒマワリチョウザイヤッキョク", FacilityKind.PHARMACY),
}

# username: (name, kana, profession, facility key, staff, coordinator)
DEMO_ACCOUNTS = {
    "staff": ("市役 花子", "シヤク ハナコ", Profession.MUNICIPAL, "city", True, False),
    "coordinator": ("連携 調太郎", "レンケイ チョウタロウ", Profession.COORDINATOR, "office", False, True),
    "doctor": ("往診 一郎", "オウシン イチロウ", Profession.PHYSICIAN, "clinic", False, False),
    "nurse": ("訪看 さくら", "ホウカン サクラ", Profession.NURSE, "nursing", False, False),
    "caremanager": ("計画 ケア子", "ケイカク ケアコ", Profession.CARE_MANAGER, "caremgmt", False, False),
    "outsider": ("部外 薬太", "ブガイ ヤクタ", Profession.PHARMACIST, "pharmacy", False, False),
}

MUSASHINO_CENTRE = (35.7178, 139.5661)


def load(stdout=None):
    """Create (or bring back to their demo state) the demo facilities and accounts."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    musashino = Municipality.objects.get(code="13203")
    facilities = {}
    for key, (name, kana, kind) in DEMO_FACILITIES.items():
        facilities[key], _ = Facility.objects.update_or_create(
            name=name,
            defaults={
                "name_kana": kana,
                "kind": kind,
                "municipality": musashino,
                "address": "東京都武蔵野市（架空の所在地）",
                "lat": MUSASHINO_CENTRE[0],
                "lon": MUSASHINO_CENTRE[1],
                "is_fictional": key != "city",
            },
        )
    for username, (name, kana, profession, fac, staff, coord) in DEMO_ACCOUNTS.items():
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "name_kana": kana,
                "profession": profession,
                "email": f"{username}@demo.renkei.invalid",
                "is_municipal_staff": staff,
                "is_coordinator": coord,
                "registration_status": RegistrationStatus.APPROVED,
                "decision_reason": "デモ用アカウント",
            },
        )
        if created or not user.approved_on:
            user.approved_on = timezone.localdate()
            user.decided_at = timezone.now()
        user.set_password(DEMO_PASSWORD)
        user.save()
        Affiliation.objects.update_or_create(user=user, facility=facilities[fac], defaults={"is_admin": True})
        demo_totp_device(user)
    if stdout:
        stdout.write(f"demo accounts: {', '.join(DEMO_ACCOUNTS)} (password {DEMO_PASSWORD})")
