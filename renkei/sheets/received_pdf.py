"""A4 PDF of a document received from a hospital: its sections' narrative, boxed like the sheets' PDFs."""
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from renkei.core.wareki import format_era_date

from .pdf import USABLE, _box, render_boxed_pdf
from .received import sections_of


def render_received_pdf(document):
    head = [("患者", f"{document.patient.name}（{document.patient.name_kana}）"),
            ("作成機関", document.source), ("作成者", document.author_name),
            ("文書日付", format_era_date(document.document_date)),
            ("受信", f"{format_era_date(timezone.localtime(document.received_at))}　{document.received_by}")]

    def body(styles):
        story = []
        for title, text in sections_of(document):
            story += [_box([("", text)], USABLE, styles, header=title), Spacer(1, 3 * mm)]
        return story

    footer = f"Renkei 受信文書 No.{document.pk}（JP-CLINS {document.bundle_identifier[:60]}）"
    return render_boxed_pdf(document.title, head, body, footer,
                            document_title=f"{document.title} {document.patient.name}")
