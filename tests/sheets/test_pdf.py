"""Each kind prints as A4 with extractable Japanese text, boxes and fax-legible sizes."""
import io

import pytest
from pypdf import PdfReader

from renkei.sheets.models import SheetKind
from renkei.sheets.pdf import BODY_PT, GOTHIC, MINCHO, render_sheet_pdf
from renkei.sheets.schemas import CONTENT_FORMS
from tests.sheets.factories import SheetFactory

pytestmark = pytest.mark.django_db


def _text(pdf):
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


@pytest.mark.parametrize("kind", SheetKind.values)
def test_every_kind_prints_its_japanese_title(world, kind):
    pdf = render_sheet_pdf(SheetFactory(patient=world.patient, author=world.care_manager, kind=kind))
    assert CONTENT_FORMS[kind].title in _text(pdf)


@pytest.mark.parametrize("kind", SheetKind.values)
def test_every_page_is_a4_portrait(world, kind):
    reader = PdfReader(io.BytesIO(render_sheet_pdf(SheetFactory(patient=world.patient, author=world.care_manager, kind=kind))))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}


def test_a_draft_says_so_on_paper(world):
    from renkei.sheets.models import SheetStatus

    sheet = SheetFactory(patient=world.patient, author=world.care_manager, status=SheetStatus.DRAFT)
    assert "下書き（未確定）" in _text(render_sheet_pdf(sheet))


def test_the_text_is_never_smaller_than_10_points():
    from renkei.sheets.pdf import _styles

    assert BODY_PT >= 10 and min(style.fontSize for style in _styles().values()) >= 10


def test_the_pdf_draws_in_black_only(world):
    pdf = render_sheet_pdf(SheetFactory(patient=world.patient, author=world.care_manager))
    assert GOTHIC.encode() in pdf and MINCHO.encode() in pdf
    from renkei.sheets.pdf import _styles

    assert {style.textColor.hexval() for style in _styles().values()} == {"0x000000"}


def test_scores_are_printed_with_their_totals(world):
    sheet = SheetFactory(patient=world.patient, author=world.care_manager, kind=SheetKind.DEMENTIA)
    assert "DASC-21 合計（21〜84）" in _text(render_sheet_pdf(sheet))
