"""A4 PDF of a document received from a hospital: its sections' narrative, boxed like the sheets' PDFs."""
import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from renkei.core.wareki import format_era_date

from .pdf import _box, _p, _register_fonts, _styles, build_with_footer
from .received import sections_of


def render_received_pdf(document):
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    width, _ = A4
    margin = 15 * mm
    usable = width - 2 * margin
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=18 * mm, title=f"{document.title} {document.patient.name}", author="Renkei")
    story = [
        _p(document.title, styles["title"]), Spacer(1, 3 * mm),
        _box([("患者", f"{document.patient.name}（{document.patient.name_kana}）"),
              ("作成機関", document.source), ("作成者", document.author_name),
              ("文書日付", format_era_date(document.document_date)),
              ("受信", f"{format_era_date(timezone.localtime(document.received_at))}　{document.received_by}")],
             usable, styles),
        Spacer(1, 4 * mm),
    ]
    for title, text in sections_of(document):
        story += [_box([("", text)], usable, styles, header=title), Spacer(1, 3 * mm)]
    footer = f"Renkei 受信文書 No.{document.pk}（JP-CLINS {document.bundle_identifier[:60]}）"
    build_with_footer(doc, story, footer, margin=margin, width=width)
    return buffer.getvalue()
