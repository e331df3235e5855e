"""The ending note (エンディングノート) as a printable A4 PDF, written for Renkei in Japanese.

Fonts are ReportLab's built-in CID fonts (no files to install): HeiseiMin-W3 for the text,
HeiseiKakuGo-W5 for headings. The contents are our own wording, not a copy of any city's note.
"""
import functools
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

MINCHO = "HeiseiMin-W3"
GOTHIC = "HeiseiKakuGo-W5"

# (chapter title, lead text, rows of (item, number of writing lines)) — the note's contents.
CHAPTERS = [
    (
        "1. わたしのこと",
        "まずは、あなた自身のことを書いてみましょう。分かるところからで大丈夫です。",
        [("氏名（ふりがな）", 1), ("生年月日", 1), ("住所", 2), ("電話番号", 1), ("本籍地", 1),
         ("血液型・アレルギー", 1), ("生まれた場所・育った町", 2), ("これまでの仕事・活動", 3),
         ("好きなこと・大切にしていること", 3), ("わたしの歩み（思い出に残る出来事）", 5)],
    ),
    (
        "2. 医療と介護の希望",
        "病気やけがで自分の考えを伝えられなくなったときに備えて、希望を書いておきましょう。"
        "気持ちは変わってよいものです。かかりつけ医や家族、ケアマネジャーと話し合い、ときどき見直してください。",
        [("かかりつけ医（医療機関・電話番号）", 2), ("持病・服薬中の薬・お薬手帳の保管場所", 3),
         ("病名や余命の告知について", 2), ("延命のための治療（人工呼吸器・胃ろう・心臓マッサージなど）について", 4),
         ("最期を過ごしたい場所（自宅・病院・施設など）", 2), ("介護が必要になったときの希望（在宅・施設、頼みたい人）", 3),
         ("わたしに代わって医療・介護の判断をしてほしい人", 2), ("臓器提供・献体について", 1)],
    ),
    (
        "3. 連絡してほしい人",
        "入院したとき、亡くなったときに知らせてほしい家族・親せき・友人・支援者を書いておきましょう。",
        [("氏名 ／ 関係 ／ 電話番号 ／ 入院時・葬儀のどちらに連絡するか", 12),
         ("担当のケアマネジャー・地域包括支援センター", 2), ("近所で頼りにしている人", 2)],
    ),
    (
        "4. 葬儀とお墓",
        "葬儀やお墓について希望があれば書いておくと、残された人が迷わずにすみます。"
        "葬儀や家財整理の生前契約について相談したいときは、市の窓口にお問い合わせください。",
        [("葬儀の形式（一般葬・家族葬・直葬など）・宗教・宗派", 2), ("葬儀を頼みたい葬儀社・互助会・生前契約", 2),
         ("喪主になってほしい人", 1), ("遺影に使ってほしい写真", 1), ("お墓・納骨・散骨の希望", 2),
         ("費用の準備（保険・預貯金など）", 2)],
    ),
    (
        "5. 財産と身の回りのもの",
        "大切なものの保管場所を書いておきましょう。暗証番号やパスワードそのものは書かないでください。",
        [("預貯金（金融機関・支店）", 3), ("年金・保険（種類・会社）", 3), ("不動産", 2), ("借入・ローン・保証人", 2),
         ("公共料金・携帯電話・定期的な支払い", 3), ("パソコン・スマートフォン・インターネットのサービス", 2),
         ("家財・形見分けの希望", 3), ("ペットの世話を頼みたい人", 1), ("遺言書の有無と保管場所", 2)],
    ),
    (
        "6. 大切な人へのメッセージ",
        "家族や友人、お世話になった人へ、伝えたい気持ちを自由に書いてください。",
        [("　へ", 6), ("　へ", 6), ("　へ", 6)],
    ),
]


def _styles():
    for name in (MINCHO, GOTHIC):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
    return {
        "title": ParagraphStyle("title", fontName=GOTHIC, fontSize=26, leading=36, alignment=1),
        "subtitle": ParagraphStyle("subtitle", fontName=MINCHO, fontSize=13, leading=22, alignment=1),
        "h1": ParagraphStyle("h1", fontName=GOTHIC, fontSize=17, leading=24, spaceAfter=4 * mm),
        "body": ParagraphStyle("body", fontName=MINCHO, fontSize=10.5, leading=17, spaceAfter=3 * mm),
        "item": ParagraphStyle("item", fontName=GOTHIC, fontSize=10, leading=14),
        "small": ParagraphStyle("small", fontName=MINCHO, fontSize=9, leading=14),
    }


def _on_page(canvas, doc):
    canvas.saveState()
    canvas.setFont(MINCHO, 8.5)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"わたしのエンディングノート　— {doc.page} —")
    canvas.restoreState()


def _writing_table(rows, s):
    """Item name on the left, ruled lines to write on at the right."""
    data, spans, style = [], [], [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8c959f")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f6f9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for item, lines in rows:
        start = len(data)
        for i in range(lines):
            data.append([Paragraph(item, s["item"]) if i == 0 else "", ""])
        if lines > 1:
            spans.append(("SPAN", (0, start), (0, start + lines - 1)))
            style += [("LINEBELOW", (1, r), (1, r), 0.3, colors.HexColor("#d0d7de")) for r in range(start, start + lines - 1)]
    table = Table(data, colWidths=[55 * mm, 115 * mm], rowHeights=9 * mm)
    table.setStyle(TableStyle(style + spans))
    return table


@functools.lru_cache(maxsize=1)
def ending_note_pdf() -> bytes:
    """The whole note (cover, how to use, six chapters) as PDF bytes."""
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title="わたしのエンディングノート", author="Renkei",
                            subject="エンディング（終活）支援")
    story = [
        Spacer(1, 60 * mm),
        Paragraph("わたしのエンディングノート", s["title"]),
        Spacer(1, 8 * mm),
        Paragraph("これからの人生を、わたしらしく過ごすために", s["subtitle"]),
        Spacer(1, 50 * mm),
        Paragraph("記入日　　　　年　　月　　日", s["subtitle"]),
        Spacer(1, 6 * mm),
        Paragraph("氏名　＿＿＿＿＿＿＿＿＿＿＿＿＿＿", s["subtitle"]),
        PageBreak(),
        Paragraph("このノートの使い方", s["h1"]),
        Paragraph("エンディングノートは、これまでの人生を振り返り、これからの医療や介護、もしものときの希望を"
                  "書きとめておくためのノートです。遺言書のような法的な効力はありませんが、あなたの思いを"
                  "家族や支援者に伝え、いざというときに周りの人を助けます。", s["body"]),
        Paragraph("・書けるところから、鉛筆で気軽に書き始めてください。全部を埋める必要はありません。", s["body"]),
        Paragraph("・気持ちや状況が変わったら、いつでも書き直してください。見直した日付を書いておくと安心です。", s["body"]),
        Paragraph("・ノートの保管場所を、信頼できる人に伝えておきましょう。", s["body"]),
        Paragraph("・キャッシュカードの暗証番号やパスワードは書かないでください。", s["body"]),
        Paragraph("・財産の分け方を確実に残したいときは、公正証書遺言など法的な手続きをご検討ください。", s["body"]),
        Spacer(1, 4 * mm),
        Paragraph("ご相談は、お住まいの市区町村の高齢者支援の窓口、在宅介護・地域包括支援センターへ。"
                  "葬儀や家財整理などの生前契約については、窓口から福祉公社などの相談先をご案内します。", s["body"]),
        Spacer(1, 6 * mm),
        Paragraph("見直した日", s["item"]),
        _writing_table([("　　年　　月　　日", 1)] * 4, s),
    ]
    for title, lead, rows in CHAPTERS:
        story += [PageBreak(), Paragraph(title, s["h1"]), Paragraph(lead, s["body"]), _writing_table(rows, s)]
    story += [
        Spacer(1, 8 * mm),
        Paragraph("このノートは在宅医療・介護連携の基盤 Renkei のために作成したもので、自由に印刷してお使いいただけます。",
                  s["small"]),
    ]
    doc.build(story, onFirstPage=_on_page, onLaterPages=_on_page)
    return buffer.getvalue()
