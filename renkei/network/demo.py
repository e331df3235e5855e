"""Demo data of the care-team network: six obviously fictional patients, their teams, consents,
a few weeks of timeline posts with vitals and a generated photo, groups, and one family account.

Five patients live in Musashino; the sixth lives in Mitaka and her team crosses city lines: the
Musashino demo professionals and the liaison office of a fictional hospital in Fuchu (`liaison_fuchu`).

Idempotent: rows are keyed on natural keys, and post times are offsets from each patient's
first load, so a second run finds and keeps the same rows.
"""
import datetime
import io
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import OutputWrapper
from django.utils import timezone
from PIL import Image, ImageDraw

from renkei.core.demo import DEMO_PASSWORD, demo_account
from renkei.core.models import (
    Facility,
    FacilityKind,
    Municipality,
    Profession,
    RegistrationStatus,
    User,
)
from renkei.core.otp import demo_totp_device

from . import attachments, unread
from .models import (
    CareTeamMember,
    Channel,
    Consent,
    ConsentMethod,
    FamilyAccess,
    FamilyContact,
    Group,
    GroupKind,
    GroupMember,
    MemberStatus,
    Patient,
    Post,
    PostAcknowledgement,
    PostKind,
    PostRead,
    ReplyTemplate,
    TeamRole,
    VitalSigns,
)
from .services import MENTION, ensure_facility_group

# name, kana, birth date, sex, care level, status, address, consent?, key person (name, relation, phone),
# municipality code (the patient's residence)
PATIENTS = [
    ("武蔵野 テスト花子", "むさしの てすとはなこ", datetime.date(1937, 6, 14), "female", "care_3", "home",
     "武蔵野市（架空）緑町9-9-1", True, ("武蔵野 テスト一郎", "長男", "090-0000-0001"), "13203"),
    ("吉祥寺 架空太郎", "きちじょうじ かくうたろう", datetime.date(1942, 2, 3), "male", "care_2", "home",
     "武蔵野市（架空）吉祥寺北町9-9-2", True, ("吉祥寺 架空良子", "妻", "090-0000-0002"), "13203"),
    ("境 見本ウメ", "さかい みほんうめ", datetime.date(1931, 11, 20), "female", "care_5", "home",
     "武蔵野市（架空）境南町9-9-3", True, ("境 見本一美", "長女", "090-0000-0003"), "13203"),
    ("関前 仮名次郎", "せきまえ かめいじろう", datetime.date(1946, 8, 8), "male", "care_1", "hospital",
     "武蔵野市（架空）関前9-9-4", True, ("関前 仮名春子", "妻", "090-0000-0004"), "13203"),
    ("桜堤 試験ハナ", "さくらづつみ しけんはな", datetime.date(1939, 4, 1), "female", "applying", "home",
     "武蔵野市（架空）桜堤9-9-5", False, ("桜堤 試験健", "甥", "090-0000-0005"), "13203"),
    ("三鷹 架空キヨ", "みたか かくうきよ", datetime.date(1935, 9, 12), "female", "care_4", "home",
     "三鷹市（架空）下連雀9-9-6", True, ("三鷹 架空修", "次男", "090-0000-0006"), "13204"),
]
MITAKA_PATIENT = 5

# The Fuchu hospital whose liaison office is on the Mitaka patient's team (fictional, like its account).
FUCHU_HOSPITAL = ("（架空）府中けやき総合病院", "カクウ フチュウケヤキソウゴウビョウイン", "13206",
                  "東京都府中市（架空の所在地）", (35.6690, 139.4776))
FUCHU_LIAISON = ("liaison_fuchu", "府中 連携子", "フチュウ レンケイコ")
LIAISON_APPROVED_ON = datetime.date(2024, 4, 1)
# patient index: members beyond TEAM (username, role, manager)
EXTRA_TEAM = {MITAKA_PATIENT: [(FUCHU_LIAISON[0], TeamRole.HOSPITAL_LIAISON, False)]}

TEAM = [("doctor", TeamRole.PHYSICIAN, True), ("nurse", TeamRole.VISITING_NURSE, False),
        ("caremanager", TeamRole.CARE_MANAGER, True)]

# (patient index, day offset, hour, author, body, important, reply-to key or None, key)
POSTS = [
    (0, 1, 10, "caremanager", "退院後初回のサービス担当者会議の日程を調整しています。来週火曜14時はいかがでしょうか。", False, None, "a1"),
    (0, 1, 18, "doctor", "火曜14時で参加可能です。心不全の増悪予防のため、体重を毎回記録してください。", False, "a1", "a2"),
    (0, 1, 19, "nurse", "承知しました。訪問時に体重・下腿浮腫を確認して記録します。", False, "a1", "a3"),
    (0, 3, 11, "nurse", "仙骨部に発赤（1.5cm程度）あり。体位変換の間隔を2時間に変更し、写真を添付します。", True, None, "a4"),
    (0, 3, 15, "doctor", "確認しました。明日の往診時に診察します。エアマットへの変更も検討をお願いします。", False, "a4", "a5"),
    (0, 4, 9, "caremanager", "福祉用具事業所にエアマットの手配を依頼しました。本日午後に搬入予定です。", False, "a4", "a6"),
    (0, 8, 16, "nurse", "体重が3日で1.2kg増加、下腿浮腫（+）。息切れの訴えはありません。", True, None, "a7"),
    (0, 8, 17, "doctor", "利尿薬を増量します（処方は薬局へFAX済み）。2日後に再評価をお願いします。", False, "a7", "a8"),
    (0, 15, 10, "nurse", "発赤は消退傾向です。食事摂取量は7割程度。ご家族の介護負担感の訴えあり。", False, None, "a9"),
    (0, 15, 13, "caremanager", "ショートステイの利用について、ご長男と来週面談します。", False, "a9", "a10"),
    (1, 2, 10, "nurse", "在宅酸素 安静時1L/分で SpO2 95%。労作時は 90% まで低下します。", False, None, "b1"),
    (1, 2, 14, "doctor", "労作時は2L/分に上げて構いません。指示書を更新しました。", False, "b1", "b2"),
    (1, 9, 11, "caremanager", "ご本人より通所リハの再開希望あり。主治医意見をいただけますか。", False, None, "b3"),
    (1, 9, 19, "doctor", "呼吸状態は安定しており、週1回から再開可能です。", False, "b3", "b4"),
    (2, 1, 9, "doctor", "看取りの方針についてご家族と話し合いました。自宅で最期まで過ごす希望です。", True, None, "c1"),
    (2, 1, 12, "nurse", "緊急時の連絡先と対応をご家族に説明しました。夜間も24時間対応で連絡を受けます。", False, "c1", "c2"),
    (2, 6, 10, "caremanager", "訪問入浴を週2回に増やしました。ご家族の休息のため訪問介護も調整中です。", False, None, "c3"),
    (3, 2, 15, "caremanager", "本日、肺炎のため（架空）武蔵野中央病院に入院されました。入院時情報連携シートを送付予定です。", True, None, "d1"),
    (3, 2, 17, "doctor", "承知しました。紹介状を病院の医療連携室へ送ります。", False, "d1", "d2"),
    (3, 10, 11, "nurse", "病院の退院支援看護師より、来週の退院前カンファレンスの案内がありました。", False, None, "d3"),
    (5, 1, 10, "liaison_fuchu", "（架空）府中けやき総合病院 医療連携室です。大腿骨骨折の術後、今月末の退院を予定しています。退院前カンファレンスを調整します。", True, None, "f1"),
    (5, 1, 15, "caremanager", "ありがとうございます。三鷹市の住所地で介護保険の区分変更を申請済みです。カンファレンスに参加します。", False, "f1", "f2"),
    (5, 2, 11, "doctor", "退院後の訪問診療を引き受けます。診療情報提供書をお送りください。", False, "f1", "f3"),
    (5, 6, 14, "nurse", "退院翌日に初回訪問します。疼痛時の指示を主治医と確認しました。", False, None, "f4"),
]

# (patient index, day offset, hour, systolic, diastolic, pulse, spo2, temperature, weight)
VITALS = [
    (0, 2, 10, 128, 74, 78, 96, "36.5", "47.8"), (0, 5, 10, 134, 76, 82, 95, "36.7", "48.3"),
    (0, 8, 15, 142, 80, 88, 94, "36.6", "49.0"), (0, 10, 10, 130, 72, 80, 96, "36.4", "48.2"),
    (0, 12, 10, 126, 70, 76, 97, "36.5", "47.9"), (0, 15, 9, 124, 70, 74, 97, "36.3", "47.7"),
    (1, 2, 10, 118, 68, 84, 95, "36.8", "55.2"), (1, 5, 10, 122, 70, 86, 94, "37.1", "55.0"),
    (1, 9, 10, 120, 72, 82, 95, "36.6", "54.8"), (1, 12, 10, 116, 66, 80, 96, "36.5", "54.9"),
    (2, 1, 9, 98, 58, 92, 93, "36.9", None), (2, 4, 9, 94, 56, 96, 92, "37.2", None),
    (2, 7, 9, 90, 54, 100, 91, "37.0", None),
]

FAMILY_USERNAME = "family"

# What waits in the demo physician's list (renkei/network/inbox.py), a few hours old at each load:
# (patient index, hours ago, author, body, important).
WAITING_FOR_DOCTOR = [
    (0, 3, "nurse", "本日の訪問で37.8℃の発熱あり。食事摂取は半分程度、呼吸音に異常はありません。", True),
    (1, 5, "caremanager", "@doctor 来週の担当者会議で、主治医意見書の内容をご家族に共有してもよろしいですか？", False),
    (2, 7, "nurse", "夜間の疼痛時の頓用薬について、1日の上限回数を教えていただけますか？", False),
]
# The demo physician's reply templates (「定型文」), inserted with one tap when replying from the list.
DOCTOR_REPLY_TEMPLATES = ["確認しました。次回の往診で診察します。", "指示どおり継続してください。", "本日中にお電話します。"]


def demo_photo() -> bytes:
    """A generated stand-in for a wound photo (no real person or body), as PNG bytes."""
    image = Image.new("RGB", (640, 480), (238, 226, 214))
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 170, 390, 290), fill=(225, 150, 140))
    draw.ellipse((285, 200, 355, 260), fill=(205, 110, 105))
    draw.rectangle((20, 20, 190, 60), fill=(255, 255, 255))
    draw.text((30, 30), "DEMO IMAGE 1.5cm", fill=(0, 0, 0))
    for x in range(40, 600, 40):
        draw.line((x, 440, x, 455), fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _patients(cities: Mapping[str, Municipality], creator: User) -> list[Patient]:
    patients = []
    first_load = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) - datetime.timedelta(days=18)
    for name, kana, born, sex, level, status, address, _, key, code in PATIENTS:
        patient, _ = Patient.objects.update_or_create(
            name=name, is_fictional=True,
            defaults={"name_kana": kana, "birth_date": born, "sex": sex, "care_level": level, "status": status,
                      "address": address, "municipality": cities[code]},
            create_defaults={"name_kana": kana, "birth_date": born, "sex": sex, "care_level": level,
                             "status": status, "address": address, "municipality": cities[code],
                             "created_by": creator, "created_at": first_load},
        )
        FamilyContact.objects.update_or_create(
            patient=patient, name=key[0], defaults={"relationship": key[1], "phone": key[2], "is_key_person": True})
        patients.append(patient)
    return patients


def _teams(patients: list[Patient], users: Mapping[str, User]) -> None:
    for index, patient in enumerate(patients):
        for username, role, manager in TEAM + EXTRA_TEAM.get(index, []):
            CareTeamMember.objects.update_or_create(
                patient=patient, user=users[username],
                defaults={"role": role, "is_manager": manager, "status": MemberStatus.ACTIVE,
                          "invited_by": users["doctor"], "invited_at": patient.created_at,
                          "responded_at": patient.created_at, "removed_at": None, "removed_by": None},
            )
        if PATIENTS[index][7]:
            Consent.objects.update_or_create(
                patient=patient, obtained_on=timezone.localtime(patient.created_at).date(),
                defaults={"method": ConsentMethod.WRITTEN, "obtained_by": users["caremanager"], "withdrawn_at": None},
            )


def _at(patient: Patient, day: int, hour: float) -> datetime.datetime:
    return patient.created_at + datetime.timedelta(days=day, hours=hour - 8)


def _posts(patients: list[Patient], users: Mapping[str, User]) -> None:
    by_key: dict[str, Post] = {}
    for index, day, hour, author, body, important, reply_to, key in POSTS:
        patient = patients[index]
        post, _ = Post.objects.update_or_create(
            patient=patient, channel=Channel.TEAM, author=users[author], created_at=_at(patient, day, hour),
            kind=PostKind.TEXT, defaults={"body": body, "important": important,
                      "parent": by_key.get(reply_to) if reply_to else None},
        )
        by_key[key] = post
        readers = [users[u] for u, _, _ in TEAM + EXTRA_TEAM.get(index, [])]
        for reader in readers:
            if reader != post.author and day < 15:
                PostRead.objects.get_or_create(post=post, user=reader,
                                               defaults={"read_at": post.created_at + datetime.timedelta(hours=1)})
    photo_post = by_key["a4"]
    if not photo_post.attachments.exists():
        prepared = attachments.prepare(SimpleUploadedFile("創部写真_デモ.png", demo_photo(), "image/png"))
        attachments.store(prepared, written=[], uploaded_by=photo_post.author, post=photo_post)
    for index, day, hour, sys_, dia, pulse, spo2, temp, weight in VITALS:
        patient = patients[index]
        post, _ = Post.objects.update_or_create(
            patient=patient, channel=Channel.TEAM, author=users["nurse"], created_at=_at(patient, day, hour + 0.5),
            kind=PostKind.VITALS, defaults={"body": "訪問時のバイタルです。"},
        )
        VitalSigns.objects.update_or_create(
            post=post, defaults={"patient": patient, "measured_at": post.created_at, "systolic": sys_,
                                 "diastolic": dia, "pulse": pulse, "spo2": spo2, "temperature": Decimal(temp),
                                 "weight": Decimal(weight) if weight else None},
        )
    _waiting_for_doctor(patients, users, by_key)
    Post.objects.update_or_create(
        patient=patients[4], channel=Channel.TEAM, author=users["caremanager"], kind=PostKind.NOTICE,
        created_at=_at(patients[4], 1, 9),
        defaults={"body": "ケアチームを編成しました。情報共有の同意は次回訪問時に取得予定です。"},
    )


def _waiting_for_doctor(patients: list[Patient], users: Mapping[str, User], by_key: Mapping[str, Post]) -> None:
    """Posts in the demo physician's list, their templates, and one earlier 「確認しました」 on the timeline."""
    doctor = users["doctor"]
    now = timezone.now()
    for index, hours, author, body, important in WAITING_FOR_DOCTOR:
        post, _ = Post.objects.update_or_create(
            patient=patients[index], channel=Channel.TEAM, author=users[author], body=body, kind=PostKind.TEXT,
            defaults={"important": important, "created_at": now - datetime.timedelta(hours=hours), "parent": None},
        )
        if MENTION.search(body):
            post.mentions.set([doctor])
        PostAcknowledgement.objects.filter(post=post, user=doctor).delete()
        Post.objects.filter(parent=post, author=doctor).delete()
    PostAcknowledgement.objects.get_or_create(
        post=by_key["a4"], user=doctor, defaults={"acknowledged_at": by_key["a4"].created_at + datetime.timedelta(hours=2)})
    for body in DOCTOR_REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(user=doctor, body=body)


def _family(patient: Patient, users: Mapping[str, User]) -> None:
    user, created = User.objects.update_or_create(
        username=FAMILY_USERNAME,
        defaults={"name": "武蔵野 テスト一郎", "name_kana": "ムサシノ テストイチロウ", "profession": "other",
                  "email": "family@demo.renkei.invalid", "registration_status": RegistrationStatus.APPROVED,
                  "decision_reason": "デモ用の家族アカウント"},
    )
    user.set_password(DEMO_PASSWORD)
    if not user.approved_on:
        user.approved_on = timezone.localdate()
    user.save()
    demo_totp_device(user)
    FamilyAccess.objects.update_or_create(patient=patient, user=user,
                                          defaults={"relationship": "長男", "invited_by": users["doctor"]})
    Post.objects.update_or_create(
        patient=patient, channel=Channel.FAMILY, author=user, created_at=_at(patient, 14, 20),
        defaults={"body": "母は昨夜よく眠れたようです。食事は朝食を半分ほど食べました。"},
    )
    Post.objects.update_or_create(
        patient=patient, channel=Channel.FAMILY, author=users["nurse"], created_at=_at(patient, 15, 9),
        defaults={"body": "ご連絡ありがとうございます。本日の訪問でも様子を確認します。"},
    )


def _fuchu_liaison() -> User:
    """The fictional Fuchu hospital and its liaison office's account (demo password and TOTP secret)."""
    name, kana, code, address, (lat, lon) = FUCHU_HOSPITAL
    hospital, _ = Facility.objects.update_or_create(
        name=name,
        defaults={"name_kana": kana, "kind": FacilityKind.HOSPITAL, "municipality": Municipality.objects.get(code=code),
                  "address": address, "lat": lat, "lon": lon, "is_fictional": True},
    )
    username, person, person_kana = FUCHU_LIAISON
    account = cast("Callable[..., User]", demo_account)  # renkei.core.demo is not annotated yet (issue 17)
    return account(username, person, person_kana, Profession.HOSPITAL_LIAISON, hospital,
                   reason="デモ用アカウント（府中市の病院 医療連携室）", approved_on=LIAISON_APPROVED_ON)


def _groups(users: Mapping[str, User]) -> None:
    for username in ("doctor", "nurse", "caremanager"):
        for facility in Facility.objects.filter(affiliations__user=users[username]):
            ensure_facility_group(facility=facility)
    group, _ = Group.objects.update_or_create(
        name="在宅医療・介護連携 事例検討会（デモ）", kind=GroupKind.FREE,
        defaults={"description": "地区の多職種による事例検討の連絡用グループ", "created_by": users["doctor"]},
    )
    for username, manager in (("doctor", True), ("nurse", False), ("caremanager", False)):
        GroupMember.objects.update_or_create(
            group=group, user=users[username],
            defaults={"is_manager": manager, "status": MemberStatus.ACTIVE, "invited_by": users["doctor"]})
    anchor = timezone.localtime(group.created_at).replace(hour=9, minute=0, second=0, microsecond=0)
    Post.objects.update_or_create(
        group=group, author=users["doctor"], created_at=anchor,
        defaults={"body": "次回の事例検討会は第3木曜19時からオンラインで行います。事例提供は訪問看護さんにお願いします。"},
    )


def load(stdout: OutputWrapper | None = None) -> None:
    """Create (or bring back to their demo state) the network demo data."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    users = {u.username: u for u in User.objects.filter(username__in=["doctor", "nurse", "caremanager"])}
    users[FUCHU_LIAISON[0]] = _fuchu_liaison()
    cities = {m.code: m for m in Municipality.objects.filter(code__in={p[-1] for p in PATIENTS})}
    patients = _patients(cities, users["doctor"])
    _teams(patients, users)
    _posts(patients, users)
    _family(patients[0], users)
    _groups(users)
    unread.recount(patient_ids=[p.pk for p in patients])  # the loader writes rows directly, not via services
    if stdout:
        stdout.write(f"network: {len(patients)} fictional patients (one in Mitaka, with '{FUCHU_LIAISON[0]}' of a "
                     f"Fuchu hospital on her team), family account '{FAMILY_USERNAME}'")
