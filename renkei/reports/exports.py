"""The annual report as an Excel sheet and a PDF, both laid out like 資料2 on A3 landscape."""
import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from renkei.core.exports import put_cell

TITLE = "在宅医療・介護連携推進事業 ～国の定める8事業(ア)～(ク)への取り組みについて～"
GOTHIC, MINCHO = "HeiseiKakuGo-W5", "HeiseiMin-W3"


def _item_mark(title):
    mark, _, name = title.partition(" ")
    return mark, name


def _cell_text(cell):
    return "\n".join(f"・{line}" for line in cell.activities)


def report_xlsx(report, *, municipality="", issued_on=""):
    """One worksheet: item mark, item name, then one column per fiscal year's 実績."""
    wb = Workbook()
    ws = wb.active
    ws.title = "8事業の実績"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    last_col = 2 + len(report.fiscal_years)

    put_cell(ws, row=1, column=1, value=f"{municipality}{TITLE}").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    if issued_on:
        put_cell(ws, row=2, column=last_col, value=issued_on).alignment = Alignment(horizontal="right")

    header = ["", "8事業"] + [f"{label}の実績" for label in report.year_labels]
    for col, text in enumerate(header, start=1):
        c = put_cell(ws, row=3, column=col, value=text)
        c.font, c.fill, c.border = Font(bold=True), head_fill, border
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(report.rows(), start=4):
        mark, name = _item_mark(row["title"])
        values = [mark, name] + [_cell_text(cell) for cell in row["cells"]]
        for col, text in enumerate(values, start=1):
            c = put_cell(ws, row=r, column=col, value=text)
            c.border, c.alignment = border, wrap_top
            if col <= 2:
                c.font = Font(bold=True)
        lines = max([len(cell.activities) for cell in row["cells"]] + [1])
        ws.row_dimensions[r].height = max(45, 16 * lines + 8)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 22
    year_width = max(30, min(60, 150 // max(1, len(report.fiscal_years))))
    for col in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = year_width
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.print_area = f"A1:{get_column_letter(last_col)}{3 + len(report.rows())}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fonts():
    for name in (GOTHIC, MINCHO):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def report_pdf(report, *, municipality="", issued_on=""):
    """A3 landscape PDF with the 資料2 table; Japanese through ReportLab's built-in CID fonts."""
    _fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A3), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
        title=f"{municipality}{TITLE}", author="Renkei",
    )
    title = ParagraphStyle("title", fontName=GOTHIC, fontSize=16, leading=22)
    head = ParagraphStyle("head", fontName=GOTHIC, fontSize=10, leading=13, alignment=1, wordWrap="CJK")
    item = ParagraphStyle("item", fontName=GOTHIC, fontSize=9.5, leading=13, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=MINCHO, fontSize=9, leading=12.5, wordWrap="CJK")
    story = [Paragraph(escape(f"{municipality}{TITLE}"), title)]
    if issued_on:
        story.append(Paragraph(escape(issued_on), ParagraphStyle("date", parent=body, alignment=2)))
    story.append(Spacer(1, 4 * mm))
    data = [[Paragraph("", head), Paragraph("8事業", head)] + [Paragraph(escape(f"{y}の実績"), head) for y in report.year_labels]]
    for row in report.rows():
        mark, name = _item_mark(row["title"])
        cells = [
            Paragraph("<br/>".join(f"・{escape(line)}" for line in cell.activities), body) for cell in row["cells"]
        ]
        data.append([Paragraph(escape(mark), item), Paragraph(escape(name), item)] + cells)
    usable = landscape(A3)[0] - 24 * mm
    first = [14 * mm, 48 * mm]
    year_width = (usable - sum(first)) / max(1, len(report.fiscal_years))
    table = Table(data, colWidths=first + [year_width] * len(report.fiscal_years), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return out.getvalue()
