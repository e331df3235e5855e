"""Demo data of the annual report: the R1–R3 content of 資料2 (令和4年3月28日) as dated historical figures
and approved narrative lines, and lines for the current fiscal year whose figures are counted from records.
All of it is Musashino's (13203, the home city): 資料2 is Musashino's report."""
from django.conf import settings
from django.utils import timezone

from renkei.core.wareki import fiscal_year

from .models import HistoricalFigure, ReportLine

MUSASHINO = "13203"
SOURCE = "資料2（令和4年3月28日）"

# (fiscal year, item, key, label, value, unit): the figures 資料2 reports for 令和元年度〜令和3年度.
FIGURES = [
    (2019, "i", "records.council_meetings", "協議会の開催", 3, "回"),
    (2020, "i", "records.council_meetings", "協議会の開催", 2, "回"),
    (2021, "i", "records.council_meetings", "協議会の開催", 2, "回"),
    (2019, "i", "records.active_subcommittees", "活動した部会", 5, "部会"),
    (2020, "i", "records.active_subcommittees", "活動した部会", 5, "部会"),
    (2021, "i", "records.active_subcommittees", "活動した部会", 5, "部会"),
    (2019, "e", "network.registered_members", "ICT連携登録数", 605, "件"),
    (2020, "e", "network.registered_members", "ICT連携登録数", 637, "件"),
    (2021, "e", "network.registered_members", "ICT連携登録数", 659, "件"),
    (2019, "o", "records.consultations", "相談実績", 203, "件"),
    (2020, "o", "records.consultations", "相談実績", 276, "件"),
    (2021, "o", "records.consultations", "相談実績", 170, "件"),
    (2019, "ka", "records.training:r1-lecture", "「ACP」事前研修（講演会）参加", 147, "名"),
    (2019, "ka", "records.training:r1-groupwork", "「ACP」合同グループワーク参加", 77, "名"),
    (2020, "ka", "records.training:r2-acp-online", "「ACP」研修会（オンライン）参加", 110, "名"),
    (2021, "ka", "records.training_accounts:r3-covid", "自宅療養支援と在宅医療介護連携 オンライン研修 参加アカウント", 198, "アカウント"),
    (2021, "ka", "records.training:r3-covid", "自宅療養支援と在宅医療介護連携 オンライン研修 参加", 291, "名"),
    (2021, "ka", "records.training:r3-dementia", "「認知症初期集中事例について」参加", 50, "名"),
    (2019, "ki", "records.outreach:r1-seminar", "市民向けセミナー参加", 165, "名"),
    (2019, "ki", "records.outreach:r1-carelympic", "「ケアリンピック武蔵野2019」参加", 704, "名"),
    (2020, "ki", "records.outreach:r2-film", "市民向けセミナー（映画配信）参加", 118, "名"),
    (2021, "ki", "records.outreach:r3-film", "市民向けセミナー（映画配信）参加", 104, "名"),
]

# Narrative lines of 資料2, cell by cell; {key} takes the figure above (or, later, the one counted from records).
LINES = {
    (2019, "a"): ["既存資料の活用", "リハビリテーション機関名簿のWEB化", "WEBマップ導入の検討"],
    (2020, "a"): ["既存資料の活用", "リハビリテーション機関名簿のWEB化（更新）", "医療・介護マップ（WEB版）の導入"],
    (2021, "a"): ["既存資料の活用", "リハビリテーション機関名簿の更新", "医療・介護マップ（WEB版）の活用"],
    (2019, "i"): ["協議会の開催（{records.council_meetings}回開催）", "{records.active_subcommittees}部会で活動"],
    (2020, "i"): ["協議会の開催（{records.council_meetings}回開催）", "{records.active_subcommittees}部会で活動"],
    (2021, "i"): ["協議会の開催（{records.council_meetings}回開催）", "{records.active_subcommittees}部会で活動"],
    (2019, "u"): [
        "入院時の病院への情報提供の仕方について、「入院時情報連携シート」を作成し活用",
        "退院時の情報提供について看護サマリーの活用状況調査",
        "身寄りのない入院患者の意思確認方法について検討",
        "認知症高齢者を支援するための医療と介護のチームによる連携の体制づくりについて検討",
    ],
    (2020, "u"): [
        "「入院時情報連携シート」の活用状況調査",
        "身寄りのない入院患者の対応について事例を通して検討",
        "コロナ禍での入退院時の支援について意見交換",
        "今年度の認知症初期集中支援事業4事例を対象とした事例研究の実施",
    ],
    (2021, "u"): [
        "「入院時情報連携シート」の活用と見直し",
        "コロナ禍での入退院時の支援について意見交換",
        "認知症初期集中支援事業事例を対象とした事例研究の実施",
    ],
    (2019, "e"): [
        "ICT連携の現状把握",
        "ICT連携登録数 {network.registered_members}件",
        "医師会「在宅医療介護連携支援室」のホームページの開設(2月)",
    ],
    (2020, "e"): [
        "コロナ禍でのICT連携の状況把握",
        "ICT連携登録数 {network.registered_members}件",
        "医師会「在宅医療介護連携支援室」のホームページの活用状況の確認",
    ],
    (2021, "e"): [
        "コロナ禍でのICT連携の状況把握",
        "ICT連携登録数 {network.registered_members}件(令和4年2月末現在)",
        "医師会「在宅医療介護連携支援室」のホームページの活用状況の確認",
    ],
    (2019, "o"): ["相談実績 {records.consultations}件", "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加"],
    (2020, "o"): ["相談実績 {records.consultations}件", "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加"],
    (2021, "o"): [
        "相談実績 {records.consultations}件(令和4年2月末現在)",
        "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加",
    ],
    (2019, "ka"): [
        "「ACP」をテーマに事前研修と合同グループワークを実施",
        "①事前研修(講演会) {records.training:r1-lecture}名参加",
        "②合同グループワーク {records.training:r1-groupwork}名参加",
        "他の職種との連携の広がり、テーマに対する知識の深まりの確認のため、3か月後にアンケートを実施",
    ],
    (2020, "ka"): [
        "「ACP」をテーマに研修会(オンライン)を実施 {records.training:r2-acp-online}名参加",
        "コロナ禍のため、合同グループワークは実施せず",
    ],
    (2021, "ka"): [
        "「新型コロナウイルス感染症における自宅療養支援と在宅医療介護連携」をテーマにオンライン研修実施。"
        "{records.training_accounts:r3-covid}アカウント、{records.training:r3-covid}名参加",
        "「認知症初期集中事例について」{records.training:r3-dementia}名参加",
    ],
    (2019, "ki"): [
        "市民向けの普及啓発について検討",
        "①市民向けセミナー開催 2月15日(土) スイグホール {records.outreach:r1-seminar}名参加",
        "「住み慣れた地域で、安心して医療と介護を受けるために～在宅への復帰を支援する『地域包括ケア病床』～」",
        "「ケアリンピック武蔵野2019」{records.outreach:r1-carelympic}名参加",
    ],
    (2020, "ki"): [
        "市民向けの普及啓発について検討",
        "①市民向けセミナー開催(オンライン) 2月19日(金)～25日(木)",
        "「住み慣れた地域で、安心して医療と介護を受けるために」映画「ピア～まちをつなぐもの～」の配信 "
        "{records.outreach:r2-film}名参加",
        "②パンフレットの配布",
        "「ケアリンピック武蔵野」はコロナ禍のため、中止",
    ],
    (2021, "ki"): [
        "市民向けの普及啓発について検討",
        "①市民向けセミナー開催(オンライン) 2月18日(金)～3月3日(木)",
        "「住み慣れた地域で、安心して医療と介護を受けるために」映画「ケアニン～あなたでよかった～」",
        "「ピア～まちをつなぐもの～」の配信 {records.outreach:r3-film}名参加",
        "②パンフレットの改定作業",
        "「ケアリンピック武蔵野2021」オンライン開催",
    ],
    (2019, "ku"): [
        "北多摩南部保健医療圏による情報共有",
        "リハビリテーション機関ナビの更新準備",
        "東京都在宅療養担当者連絡会への参加、情報共有",
    ],
    (2020, "ku"): [
        "北多摩南部保健医療圏による情報共有",
        "リハビリテーション機関名簿のWEB化（更新）(再掲)",
        "東京都在宅療養担当者連絡会(書面開催)",
    ],
    (2021, "ku"): [
        "北多摩南部保健医療圏による情報共有",
        "リハビリテーション機関ナビの更新",
        "東京都在宅療養担当者連絡会(中止)資料送付による、情報共有",
    ],
}

# The current fiscal year: staff's lines; the numbers in them are counted from this year's records.
CURRENT_LINES = {
    "i": ["協議会の開催（{records.council_meetings}回開催）", "{records.active_subcommittees}部会で活動"],
    "o": ["相談実績 {records.consultations}件", "医師会の窓口として(ア)～(ク)8事業へ参加、各部会への参加"],
}


def _lines(city, fy, item, texts, source, user):
    for order, text in enumerate(texts, start=1):
        ReportLine.objects.update_or_create(
            municipality=city, fiscal_year=fy, item=item, order=order,
            defaults={"text": text, "source": source, "approved": True, "approved_by": user,
                      "approved_at": timezone.now()},
        )
    ReportLine.objects.filter(municipality=city, fiscal_year=fy, item=item, order__gt=len(texts)).delete()


def load(stdout=None):
    """Load 資料2's R1–R3 figures and lines and this year's lines (RENKEI_DEMO=1 only; idempotent)."""
    if not settings.DEMO:
        raise RuntimeError("Demo data is only loaded with RENKEI_DEMO=1.")
    from renkei.core.models import Municipality, User

    musashino = Municipality.objects.get(code=MUSASHINO)
    staff = User.objects.filter(username="staff").first()
    for fy, item, key, label, value, unit in FIGURES:
        HistoricalFigure.objects.update_or_create(
            municipality=musashino, fiscal_year=fy, key=key,
            defaults={"item": item, "label": label, "value": value, "unit": unit, "source": SOURCE, "entered_by": staff},
        )
    for (fy, item), texts in LINES.items():
        _lines(musashino, fy, item, texts, SOURCE, staff)
    current = fiscal_year(timezone.localdate())
    for item, texts in CURRENT_LINES.items():
        _lines(musashino, current, item, texts, "", staff)
    if stdout:
        stdout.write("reports: 武蔵野市の資料2（令和元年度〜令和3年度）の数値と記述、今年度の記述")
