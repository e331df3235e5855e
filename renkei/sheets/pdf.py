"""A4 PDF of a sheet, laid out to survive a fax: black on white, 10 pt or larger, boxed fields, no tints.

Japanese text uses ReportLab's built-in CID fonts (no font files, no system packages), so the
text stays extractable and searchable.
"""
import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from renkei.core.wareki import format_era_date

from .presentation import sheet_sections

GOTHIC = "HeiseiKakuGo-W5"
MINCHO = "HeiseiMin-W3"
BODY_PT = 10.5
LINE = 0.8  # box line width in points: thick enough to survive a fax's 200 dpi
SHORT = 16  # characters: a label and value this short share a line with the next pair
PAGE_WIDTH, _ = A4
MARGIN = 15 * mm
USABLE = PAGE_WIDTH - 2 * MARGIN  # the width of the boxes


def _register_fonts():
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (GOTHIC, MINCHO):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def _styles():
    base = {"wordWrap": "CJK", "textColor": colors.black}
    return {
        "title": ParagraphStyle("title", fontName=GOTHIC, fontSize=16, leading=22, alignment=TA_CENTER, **base),
        "heading": ParagraphStyle("heading", fontName=GOTHIC, fontSize=12, leading=16, **base),
        "label": ParagraphStyle("label", fontName=GOTHIC, fontSize=BODY_PT, leading=14, **base),
        "value": ParagraphStyle("value", fontName=MINCHO, fontSize=11, leading=15, **base),
        "small": ParagraphStyle("small", fontName=GOTHIC, fontSize=10, leading=13, **base),
    }


def _p(text, style):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _is_short(row):
    label, value = row
    return len(str(value or "")) <= SHORT and len(label) <= SHORT


def _box(rows, usable, styles, header=None):
    """A boxed table of label/value rows; short pairs share a line (four columns) to save paper."""
    widths = [usable * 0.22, usable * 0.28, usable * 0.22, usable * 0.28]
    data, commands = [], [
        ("GRID", (0, 0), (-1, -1), LINE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        data.append([_p(header, styles["heading"]), "", "", ""])
        # A heading is set off by a heavier rule, not a grey fill (tints turn to noise on a fax).
        commands += [("SPAN", (0, 0), (-1, 0)), ("LINEBELOW", (0, 0), (-1, 0), 2, colors.black)]
    pending = list(rows)
    while pending:
        row = pending.pop(0)
        if _is_short(row) and pending and _is_short(pending[0]):
            other = pending.pop(0)
            data.append([_p(row[0], styles["label"]), _p(row[1], styles["value"]),
                         _p(other[0], styles["label"]), _p(other[1], styles["value"])])
        else:
            data.append([_p(row[0], styles["label"]), _p(row[1], styles["value"]), "", ""])
            commands.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(TableStyle(commands))
    return table


def _log(table, usable, styles):
    """A log of entries (e.g. the hearing log) as a grid with a header row; blank rows print for handwriting."""
    header, entries = table
    widths = [usable * 0.1, usable * 0.25, usable * 0.4, usable * 0.25]
    data = [[_p(h, styles["label"]) for h in header]] + [[_p(c, styles["value"]) for c in e] for e in entries]
    grid = Table(data, colWidths=widths, repeatRows=1, rowHeights=[None] + [None if any(e[1:]) else 8 * mm for e in entries])
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), LINE, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 2, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return grid


def render_sheet_pdf(sheet, *, stages=(), deliveries=()):
    """The sheet (with its route stages and deliveries) as A4 PDF bytes."""
    title = sheet_sections(sheet).title
    state = "確定" if sheet.is_finalised else "下書き（未確定）"
    head = [
        ("患者", f"{sheet.content.get('patient_name', '')}（{sheet.content.get('patient_kana', '')}）"),
        ("版・状態", f"第{sheet.version}版　{state}"),
        ("作成者", f"{sheet.author}{'　' + sheet.author_facility.name if sheet.author_facility else ''}"),
        ("文書日付", format_era_date(sheet.document_date)),
    ]

    def body(styles):
        story = []
        # Every item prints, empty ones too (a blank box), as on the ministry's paper forms.
        for block in sheet_sections(sheet, stages=stages, paper=True).blocks:
            box = _box(block.rows, USABLE, styles, header=block.title)
            parts = [box, _log(block.table, USABLE, styles)] if block.table else [box]
            story += [KeepTogether(parts)] if len(block.rows) < 12 else parts
            story.append(Spacer(1, 3 * mm))
        if deliveries:
            rows = [(d.facility.name, f"送付 {_when(d.sent_at)}　受領確認 {_when(d.received_at) or '未'}")
                    for d in deliveries]
            story += [_box(rows, USABLE, styles, header="送付先・受領確認")]
        return story

    footer = f"Renkei 連携シート No.{sheet.pk}-{sheet.version}　印刷 {_when(timezone.now())}"
    return render_boxed_pdf(title, head, body, footer, document_title=f"{title} {sheet.content.get('patient_name', '')}",
                            subject=sheet.get_kind_display())


def render_boxed_pdf(title, head, body, footer, *, document_title, **info):
    """An A4 PDF as the sheets print: the title, a box of the heading rows, then body(styles) (a list of
    flowables), with the footer line and the page number at the foot of every page."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=18 * mm, title=document_title, author="Renkei", **info)
    story = [_p(title, styles["title"]), Spacer(1, 3 * mm), _box(head, USABLE, styles), Spacer(1, 4 * mm),
             *body(styles)]
    build_with_footer(doc, story, footer, margin=MARGIN, width=PAGE_WIDTH)
    return buffer.getvalue()


def build_with_footer(doc, story, footer, *, margin, width):
    """Build the document with the footer line and the page number at the foot of every page."""

    def _decorate(canvas, document):
        canvas.saveState()
        canvas.setFont(GOTHIC, 10)
        canvas.setFillColor(colors.black)
        canvas.drawString(margin, 10 * mm, footer)
        canvas.drawRightString(width - margin, 10 * mm, f"{document.page} ページ")
        canvas.restoreState()

    doc.build(story, onFirstPage=_decorate, onLaterPages=_decorate)


def _when(value):
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{format_era_date(local)} {local:%H:%M}"
