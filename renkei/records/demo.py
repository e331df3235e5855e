"""Demo data of the program records: Musashino's council and its five subcommittees as 資料2 lists them,
and fictional records of the current fiscal year (令和8年度) so that its report counts real records; plus a
few obviously fictional records of Mitaka (13204), so that the demo shows two cities kept apart, and one
area meeting (ク) recorded by Musashino with Mitaka and Fuchu taking part."""
import datetime

from django.conf import settings
from django.utils import timezone

from renkei.core.models import Municipality, User

from . import models
from .services import DEFAULT_QUESTIONS, set_members

SOURCE = "資料2（令和4年3月28日）"
MUSASHINO, MITAKA, FUCHU = "13203", "13204", "13206"


def city(code):
    return Municipality.objects.get(code=code)

COUNCIL = "武蔵野市在宅医療・介護連携推進協議会"
COUNCIL_MEMBERS = [
    "武蔵野市医師会", "医師会在宅医療介護連携支援室", "武蔵野市歯科医師会", "武蔵野市薬剤師会", "武蔵野赤十字病院",
    "居宅介護支援事業所", "訪問介護事業所", "訪問看護・訪問リハビリテーション事業所", "通所介護・通所リハビリテーション事業所",
    "地域包括支援センター(基幹型)", "在宅介護・地域包括支援センター", "基幹相談支援センター", "地域活動支援センター",
    "武蔵野市福祉公社", "武蔵野健康づくり事業団", "東京都多摩府中保健所", "武蔵野市",
]
# name: (items served, established, secretariat, member organisations) — 令和3年度の構成 of 資料2
SUBCOMMITTEES = {
    "入退院時支援部会": (["u"], None, "地域支援課", [
        "医師会", "医師会(病院部)", "医師会支援室", "歯科医師会", "武蔵野赤十字病院(医療連携センター)", "居宅介護支援事業所",
        "訪問介護", "訪問看護・訪問リハ", "通所介護・通所リハ", "吉祥寺南病院地域医療連携室", "武蔵境病院地域医療連携室",
        "武蔵野陽和会病院医療福祉相談室", "吉方病院", "地域包括支援センター(基幹型)", "在宅介護・地域包括支援センター",
        "生活福祉課", "障害者福祉課", "健康課", "事務局(地域支援課)",
    ]),
    "ICT連携部会": (["e"], None, "地域支援課", [
        "医師会", "医師会支援室", "歯科医師会", "武蔵野赤十字病院", "居宅介護支援事業所", "訪問看護・訪問リハ", "訪問介護",
        "通所介護・通所リハ", "地域包括支援センター(基幹型)", "在宅介護・地域包括支援センター", "高齢者支援課",
        "事務局(地域支援課)",
    ]),
    "多職種連携推進・研修部会": (["ka"], None, "地域支援課", [
        "医師会", "医師会支援室", "歯科医師会", "薬剤師会", "武蔵野赤十字病院(医療連携センター)", "居宅介護支援事業所",
        "訪問看護・訪問リハ", "訪問介護", "通所介護・通所リハ", "福祉公社", "地域包括支援センター(基幹型)",
        "在宅介護・地域包括支援センター", "多摩府中保健所", "健康づくり事業団", "生活福祉課", "高齢者支援課",
        "障害者福祉課", "保険年金課", "健康課", "事務局(地域支援課)",
    ]),
    "普及・啓発部会": (["ki"], None, "地域支援課", [
        "医師会支援室", "歯科医師会", "薬剤師会", "武蔵野赤十字病院(医療連携センター)", "居宅介護支援事業所",
        "訪問看護・訪問リハ", "訪問介護", "地域包括支援センター(基幹型)", "在宅介護・地域包括支援センター",
        "健康づくり事業団", "高齢者支援課", "健康課", "事務局(地域支援課)",
    ]),
    "認知症連携部会": (["u", "e"], datetime.date(2017, 7, 1), "高齢者支援課相談支援係", [
        "医師会", "武蔵野赤十字病院", "日赤医療連携センター", "訪問看護・訪問リハ", "福祉公社(ホームヘルプセンター)",
        "居宅介護支援事業所", "訪問介護", "通所介護・通所リハ", "認知症介護指導者", "地域支援課",
        "地域包括支援センター(基幹型)", "在宅介護・地域包括支援センター", "事務局(高齢者支援課相談支援係)",
    ]),
}


def load_bodies():
    """Musashino's council and the five subcommittees with their member organisations (idempotent)."""
    musashino = city(MUSASHINO)
    council, _ = models.Body.objects.update_or_create(
        municipality=musashino, name=COUNCIL,
        defaults={"kind": models.BodyKind.COUNCIL, "items": ["i"], "term_start": datetime.date(2021, 4, 1),
                  "term_end": datetime.date(2024, 3, 31), "secretariat": "地域支援課", "order": 0},
    )
    set_members(body=council, organisations=COUNCIL_MEMBERS)
    bodies = {COUNCIL: council}
    for order, (name, (items, established, secretariat, members)) in enumerate(SUBCOMMITTEES.items(), start=1):
        body, _ = models.Body.objects.update_or_create(
            municipality=musashino, name=name,
            defaults={"kind": models.BodyKind.SUBCOMMITTEE, "council": council, "items": items, "established_on": established,
                      "secretariat": secretariat, "order": order},
        )
        set_members(body=body, organisations=members)
        bodies[name] = body
    return bodies


def _day(value):
    """Demo records are never dated in the future."""
    return min(value, timezone.localdate())


# (date, channel, asker, organisation, category, summary, response, referral, minutes, follow-up status)
CONSULTATIONS = [
    ("2026-04-08", "phone", "care_manager", "（架空）けやき居宅介護支援事業所", "admission_discharge", "退院日が決まった利用者の訪問診療先を探したい", "在宅療養支援診療所の一覧を案内", "（架空）みどりの森在宅クリニック", 20, "done"),
    ("2026-04-15", "phone", "family", "", "home_medical", "通院が難しくなった父の訪問診療について知りたい", "訪問診療の仕組みと費用の目安を説明", "", 25, "none"),
    ("2026-04-22", "email", "hospital_liaison", "（架空）武蔵野中央病院 医療連携室", "admission_discharge", "入院時情報連携シートの書式の確認", "最新の書式を送付", "", 10, "none"),
    ("2026-05-07", "phone", "nurse", "（架空）さくら訪問看護ステーション", "ict", "ICT連携の新規登録の手続き", "登録申請の方法を案内", "", 15, "none"),
    ("2026-05-19", "desk", "resident", "", "dementia", "物忘れが増えた家族の相談先", "地域包括支援センターと認知症初期集中支援チームを紹介", "在宅介護・地域包括支援センター", 40, "open"),
    ("2026-05-28", "phone", "care_manager", "（架空）けやき居宅介護支援事業所", "end_of_life", "自宅での看取りを希望する利用者の支援体制", "訪問看護と訪問診療の連携について助言", "", 30, "done"),
    ("2026-06-10", "online", "physician", "（架空）みどりの森在宅クリニック", "care_services", "医療処置の必要な方の短期入所先", "受け入れ可能な施設の情報を提供", "", 20, "none"),
    ("2026-06-24", "phone", "community_support", "在宅介護・地域包括支援センター", "referral", "歯科訪問診療が可能な歯科医院の紹介", "歯科医師会の窓口を案内", "武蔵野市歯科医師会", 15, "none"),
    ("2026-07-03", "home_visit", "family", "", "end_of_life", "人生会議（ACP）の進め方について", "ACPのパンフレットを渡し、かかりつけ医への相談を勧めた", "", 60, "open"),
    ("2026-07-16", "phone", "pharmacist", "（架空）ひまわり調剤薬局", "home_medical", "在宅患者訪問薬剤管理の依頼方法", "主治医・ケアマネジャーとの連絡手順を説明", "", 15, "none"),
    ("2026-08-05", "email", "therapist", "（架空）訪問リハビリ事業所", "ict", "ICT連携で患者チームに招待する方法", "操作手順を案内", "", 10, "none"),
    ("2026-08-20", "phone", "hospital_liaison", "（架空）武蔵野中央病院 医療連携室", "admission_discharge", "身寄りのない入院患者の退院支援", "関係機関による調整会議を提案", "生活福祉課", 45, "open"),
    ("2026-09-09", "desk", "resident", "", "care_services", "介護保険の申請について", "申請窓口と流れを説明", "高齢者支援課", 20, "none"),
    ("2026-09-25", "phone", "care_manager", "（架空）けやき居宅介護支援事業所", "dementia", "認知症の方の服薬管理", "訪問薬剤管理指導の利用を提案", "", 20, "done"),
    ("2026-10-06", "phone", "home_helper", "（架空）訪問介護事業所", "other", "研修会の申込方法", "申込方法を案内", "", 5, "none"),
    ("2026-10-21", "online", "nurse", "（架空）さくら訪問看護ステーション", "end_of_life", "看取り期の急変時の連絡体制", "24時間対応体制の確認方法を助言", "", 30, "none"),
    ("2026-11-04", "phone", "family", "", "admission_discharge", "退院後の生活に向けた準備", "退院前カンファレンスへの参加を勧めた", "", 25, "open"),
    ("2026-11-12", "email", "physician", "（架空）みどりの森在宅クリニック", "ict", "ICTで共有した情報の保存期間", "運用ルールを説明", "", 10, "none"),
]


def load_consultations(coordinator, rows=CONSULTATIONS, code=MUSASHINO):
    municipality = city(code)
    for row in rows:
        received_on = _day(datetime.date.fromisoformat(row[0]))
        models.Consultation.objects.update_or_create(
            municipality=municipality, received_on=received_on, summary=row[5],
            defaults={"channel": row[1], "asker_profession": row[2], "asker_organisation": row[3], "category": row[4],
                      "response": row[6], "referral": row[7], "minutes_spent": row[8], "follow_up_status": row[9],
                      "follow_up": "次回の連絡日を調整中" if row[9] == "open" else "", "recorded_by": coordinator},
        )


def load_meetings(bodies, staff):
    council = bodies[COUNCIL]
    models.Meeting.objects.update_or_create(
        body=council, held_on=_day(datetime.date(2026, 7, 28)),
        defaults={"title": "令和8年度 第1回", "format": "in_person", "created_by": staff,
                  "agenda": "1 令和7年度の事業報告\n2 各部会の活動計画\n3 入退院時の連携の課題について",
                  "attendees": "\n".join(f"{m}（委員）" for m in COUNCIL_MEMBERS[:12]),
                  "minutes": "各部会から活動計画の報告があり、入退院時の情報共有について課題を整理した。"},
    )
    plans = {
        "入退院時支援部会": (datetime.date(2026, 6, 18), "入院時情報連携シートの活用状況の共有"),
        "ICT連携部会": (datetime.date(2026, 6, 25), "ICT連携の登録状況と運用ルールの見直し"),
        "多職種連携推進・研修部会": (datetime.date(2026, 5, 21), "令和8年度研修の企画"),
        "普及・啓発部会": (datetime.date(2026, 8, 6), "市民向けセミナーの企画"),
        "認知症連携部会": (datetime.date(2026, 9, 10), "認知症初期集中支援事業の事例検討"),
    }
    meetings = {}
    for name, (held_on, agenda) in plans.items():
        meetings[name], _ = models.Meeting.objects.update_or_create(
            body=bodies[name], held_on=_day(held_on),
            defaults={"title": "令和8年度 第1回", "format": "in_person", "agenda": agenda, "created_by": staff,
                      "attendees": "\n".join(m.organisation for m in bodies[name].members.all()[:8]),
                      "minutes": f"{agenda}について意見交換を行った。"},
        )
    issue, _ = models.Issue.objects.update_or_create(
        body__municipality=council.municipality, title="退院時の看護サマリーが居宅介護支援事業所に届かないことがある",
        defaults={"body": bodies["入退院時支援部会"], "meeting": meetings["入退院時支援部会"], "item": "u",
                  "raised_on": meetings["入退院時支援部会"].held_on, "status": "addressed",
                  "description": "退院当日までにケアマネジャーが看護サマリーを受け取れず、サービス調整が遅れる事例が報告された。"},
    )
    models.Countermeasure.objects.update_or_create(
        issue=issue, description="退院前に看護サマリーを共有する手順を各病院の連携室と確認し、手引きにまとめる",
        defaults={"item": "u", "owner": "入退院時支援部会（事務局：地域支援課）", "due_on": datetime.date(2027, 3, 31),
                  "progress": "in_progress", "progress_note": "3病院と手順を確認済み"},
    )
    issue, _ = models.Issue.objects.update_or_create(
        body__municipality=council.municipality, title="ICT連携に参加していない事業所がある",
        defaults={"body": bodies["ICT連携部会"], "meeting": meetings["ICT連携部会"], "item": "e",
                  "raised_on": meetings["ICT連携部会"].held_on, "status": "open"},
    )
    models.Countermeasure.objects.update_or_create(
        issue=issue, description="未登録の事業所に個別に案内し、操作説明会を開く",
        defaults={"item": "e", "owner": "医師会在宅医療介護連携支援室", "due_on": datetime.date(2026, 12, 25),
                  "progress": "not_started"},
    )


PROFESSIONS = ["physician", "nurse", "care_manager", "care_manager", "pharmacist", "therapist", "home_helper",
               "community_support", "hospital_liaison", "nurse", "care_manager", "dentist"]


def load_events(staff):
    musashino = city(MUSASHINO)
    workshop, _ = models.Event.objects.update_or_create(
        municipality=musashino, title="多職種で考えるACP事例検討会", starts_on=datetime.date(2026, 7, 11),
        defaults={"theme": "ACP", "kind": "group_work", "audience": "professionals", "delivery": "in_person",
                  "venue": "武蔵野市役所 会議室", "ends_on": datetime.date(2026, 7, 11), "registration_required": True,
                  "created_by": staff, "status": "planned", "participants": None},
    )
    for i, profession in enumerate(PROFESSIONS, start=1):
        models.Registration.objects.update_or_create(
            event=workshop, name=f"受講者{i:02d}（架空）",
            defaults={"profession": profession, "organisation": "（架空）市内事業所", "attended": i <= 10},
        )
    workshop.participants = workshop.registrations.filter(attended=True).count()
    workshop.status = "held"
    workshop.save()
    survey, created = models.Survey.objects.get_or_create(
        event=workshop, kind="after",
        defaults={"title": "多職種で考えるACP事例検討会 事後アンケート", "opens_on": datetime.date(2026, 7, 11)},
    )
    if created:
        for order, (text, kind) in enumerate(DEFAULT_QUESTIONS["after"], start=1):
            models.Question.objects.create(survey=survey, text=text, kind=kind, order=order)
    models.Survey.objects.get_or_create(
        event=workshop, kind="follow_up",
        defaults={"title": "多職種で考えるACP事例検討会 3か月後アンケート", "opens_on": datetime.date(2026, 10, 11)},
    )
    questions = list(survey.questions.all())
    for i, registration in enumerate(workshop.registrations.filter(attended=True)):
        invitation, _ = models.SurveyInvitation.objects.get_or_create(survey=survey, registration=registration)
        if i < 7 and invitation.answered_at is None:
            for q in questions:
                models.Answer.objects.get_or_create(
                    invitation=invitation, question=q,
                    defaults={"scale": 5 - (i % 2) if q.kind == "scale" else None,
                              "text": "他職種の考え方が分かった" if q.kind == "text" and i % 3 == 0 else ""},
                )
            invitation.answered_at = timezone.now()
            invitation.save()
    events = [
        ("在宅医療・介護連携 オンライン研修（令和8年度）", datetime.date(2026, 10, 3), datetime.date(2026, 10, 3),
         {"theme": "災害時の在宅療養支援", "kind": "training", "audience": "professionals", "delivery": "online",
          "participants": 124, "online_accounts": 87, "status": "held"}),
        ("市民向けセミナー「住み慣れた地域で、安心して医療と介護を受けるために」", datetime.date(2026, 9, 1), datetime.date(2026, 9, 14),
         {"theme": "在宅療養", "kind": "film", "audience": "residents", "delivery": "streamed", "participants": 96,
          "status": "held"}),
        ("ケアリンピック武蔵野2026", datetime.date(2026, 11, 8), datetime.date(2026, 11, 8),
         {"theme": "介護の魅力", "kind": "event", "audience": "residents", "delivery": "in_person",
          "venue": "武蔵野市民文化会館", "participants": 512, "status": "held"}),
        ("認知症初期集中支援事例 研修会", datetime.date(2027, 2, 13), datetime.date(2027, 2, 13),
         {"theme": "認知症", "kind": "training", "audience": "professionals", "delivery": "in_person",
          "venue": "武蔵野市役所", "status": "planned"}),
    ]
    for title, starts_on, ends_on, fields in events:
        held = fields["status"] == "held"
        if held and starts_on > timezone.localdate():
            fields = fields | {"status": "planned", "participants": None, "online_accounts": None}
        models.Event.objects.update_or_create(
            municipality=musashino, title=title, starts_on=starts_on,
            defaults=fields | {"ends_on": ends_on, "created_by": staff},
        )


def load_outreach_and_regional():
    musashino = city(MUSASHINO)
    pamphlet, _ = models.Pamphlet.objects.update_or_create(
        municipality=musashino, title="在宅医療・介護 ガイドブック", defaults={"description": "住み慣れた地域で医療と介護を受けるための市民向け冊子"}
    )
    edition, _ = models.PamphletEdition.objects.update_or_create(
        pamphlet=pamphlet, edition="改訂版（令和4年）",
        defaults={"published_on": datetime.date(2022, 3, 31), "print_run": 3000},
    )
    for place, day, copies in [
        ("市役所 高齢者支援課窓口", datetime.date(2026, 5, 10), 300),
        ("在宅介護・地域包括支援センター（6か所）", datetime.date(2026, 6, 1), 600),
    ]:
        models.PamphletDistribution.objects.update_or_create(
            edition=edition, place=place, distributed_on=_day(day), defaults={"copies": copies}
        )
    for title, counterpart, day, fmt, summary, participants in [
        ("北多摩南部保健医療圏 在宅療養担当者情報交換会", "北多摩南部保健医療圏", datetime.date(2026, 6, 15), "in_person",
         "6市（武蔵野・三鷹・府中・調布・小金井・狛江）の取組を共有", []),
        ("東京都在宅療養担当者連絡会", "東京都", datetime.date(2026, 10, 20), "written", "資料の送付による情報共有", []),
        ("（架空）圏域3市 入退院支援ルール合同検討会", "北多摩南部保健医療圏（武蔵野・三鷹・府中）",
         datetime.date(2026, 8, 27), "online",
         "（架空のデモ記録）3市の入退院支援ルールの違いを確認し、共通の連絡票の案を作ることにした", [MITAKA, FUCHU]),
    ]:
        activity, _ = models.RegionalActivity.objects.update_or_create(
            municipality=musashino, title=title, held_on=_day(day),
            defaults={"counterpart": counterpart, "format": fmt, "summary": summary},
        )
        activity.participants.set(Municipality.objects.filter(code__in=participants))


# Mitaka (13204): a few records, all fictional (marked （架空）), to show that each city keeps its own.
MITAKA_COUNCIL = "（架空）三鷹市在宅医療・介護連携推進協議会"
MITAKA_SUBCOMMITTEE = "（架空）三鷹市入退院支援部会"
MITAKA_CONSULTATIONS = [
    ("2026-04-20", "phone", "care_manager", "（架空）三鷹ひだまり居宅介護支援事業所", "admission_discharge",
     "（架空）退院予定の利用者の訪問看護の探し方", "市内の訪問看護ステーションの一覧を案内", "", 15, "none"),
    ("2026-06-03", "desk", "family", "", "end_of_life",
     "（架空）自宅で最期を迎えたいという母の希望について", "訪問診療と訪問看護の体制を説明", "", 35, "open"),
    ("2026-09-17", "email", "hospital_liaison", "（架空）三鷹みなみ病院 医療連携室", "ict",
     "（架空）ICT連携で退院前カンファレンスの日程を共有したい", "患者チームへの招待方法を案内", "", 10, "none"),
]


def load_mitaka(staff_mitaka):
    """Mitaka's council with one subcommittee, three consultations and one training (idempotent)."""
    mitaka = city(MITAKA)
    council, _ = models.Body.objects.update_or_create(
        municipality=mitaka, name=MITAKA_COUNCIL,
        defaults={"kind": models.BodyKind.COUNCIL, "items": ["i"], "term_start": datetime.date(2025, 4, 1),
                  "term_end": datetime.date(2027, 3, 31), "secretariat": "（架空）高齢者支援課", "order": 0},
    )
    set_members(body=council, organisations=["（架空）三鷹市医師会", "（架空）三鷹市歯科医師会", "（架空）三鷹市薬剤師会",
                                             "（架空）地域包括支援センター", "三鷹市"])
    subcommittee, _ = models.Body.objects.update_or_create(
        municipality=mitaka, name=MITAKA_SUBCOMMITTEE,
        defaults={"kind": models.BodyKind.SUBCOMMITTEE, "council": council, "items": ["u"],
                  "secretariat": "（架空）高齢者支援課", "order": 1},
    )
    set_members(body=subcommittee, organisations=["（架空）三鷹市医師会", "（架空）三鷹みなみ病院 医療連携室",
                                                  "（架空）居宅介護支援事業所"])
    models.Meeting.objects.update_or_create(
        body=subcommittee, held_on=_day(datetime.date(2026, 6, 30)),
        defaults={"title": "令和8年度 第1回", "format": "online", "created_by": staff_mitaka,
                  "agenda": "（架空）退院時の情報共有の現状", "minutes": "（架空のデモ記録）現状を共有した。"},
    )
    load_consultations(staff_mitaka, MITAKA_CONSULTATIONS, MITAKA)
    starts_on = datetime.date(2026, 7, 25)
    held = starts_on <= timezone.localdate()
    models.Event.objects.update_or_create(
        municipality=mitaka, title="（架空）三鷹市 多職種連携研修「退院支援の基本」", starts_on=starts_on,
        defaults={"theme": "退院支援", "kind": "training", "audience": "professionals", "delivery": "in_person",
                  "venue": "（架空）三鷹市内 会議室", "ends_on": starts_on, "created_by": staff_mitaka,
                  "status": "held" if held else "planned", "participants": 38 if held else None},
    )


def load(stdout=None):
    """Load the council, subcommittees and this fiscal year's fictional records (RENKEI_DEMO=1 only)."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    staff = User.objects.filter(username="staff").first()
    coordinator = User.objects.filter(username="coordinator").first()
    bodies = load_bodies()
    load_consultations(coordinator)
    load_meetings(bodies, staff)
    load_events(staff)
    load_outreach_and_regional()
    load_mitaka(User.objects.filter(username="staff_mitaka").first())
    if stdout:
        stdout.write("records: 武蔵野市 council, 5 subcommittees, 令和8年度の記録; 三鷹市（架空）council, subcommittee, records")
