"""How a sheet reads: titled blocks of (label, text) rows, shared by the page, the PDF and the FHIR narrative."""
from dataclasses import dataclass, field

from .schemas import CONTENT_FORMS, ROUTES, STAGE_FORMS
from .schemas.base import SECTION_SYSTEM_LOCAL

SCORE_LABELS = {
    "nihss": "NIHSS（0〜42）",
    "mrs": "mRS（0〜6）",
    "barthel": "バーセルインデックス 合計（0〜100）",
    "fim_motor": "FIM 運動項目 合計（13〜91）",
    "fim_cognitive": "FIM 認知項目 合計（5〜35）",
    "fim_total": "FIM 合計（18〜126）",
    "dasc21": "DASC-21 合計（21〜84）",
    "dasc21_note": "DASC-21 判定の目安",
    "dasc21_cognition": "DASC-21 認知機能障害（問1〜9）",
    "dasc21_function": "DASC-21 生活機能障害（問10〜21）",
}  # each DASC-21 domain prints with its maximum in the sheet's profile block (DementiaContent.summaries)


@dataclass
class Block:
    title: str
    rows: list
    code: str
    system: str = SECTION_SYSTEM_LOCAL
    stage: str | None = None
    table: tuple | None = None  # (header, rows) of a log printed as a table under the rows


@dataclass
class Presented:
    title: str
    blocks: list = field(default_factory=list)


def score_rows(scores):
    return [(label, str(scores[key])) for key, label in SCORE_LABELS.items() if scores.get(key) not in (None, "")]


def stage_label(kind, stage_key):
    return dict(ROUTES.get(kind, [])).get(stage_key, stage_key)


def sheet_sections(sheet, *, stages=(), paper=False):
    """The sheet's content (and answered route stages) as titled blocks of rows.

    `paper`: as the printed form shows it (every option of a choice ticked or not, for kinds that follow a
    ministry sample form)."""
    form = CONTENT_FORMS[sheet.kind]
    presented = Presented(form.title)
    for section, rows in form.display(sheet.content, paper=paper):
        presented.blocks.append(Block(section.title, rows, section.code, section.system,
                                      table=form.section_table(section, sheet.content)))
    scores = score_rows(sheet.content.get("scores") or {})
    if scores:
        presented.blocks.append(Block("評価（自動計算）", scores, "scores"))
    for stage in stages:
        label = stage_label(sheet.kind, stage.stage)
        stage_form = STAGE_FORMS[stage.stage]
        for section, rows in stage_form.display(stage.content):
            if not any(value for _, value in rows):
                continue  # an optional block left empty at this stage (e.g. FIM at home) is not printed
            presented.blocks.append(Block(f"{label}：{section.title}", rows, f"{stage.stage}-{section.code}",
                                          stage=stage.stage))
        extra = score_rows(stage.content.get("scores") or {})
        answered = [("記入者", f"{stage.answered_by}{'（' + stage.facility.name + '）' if stage.facility else ''}")]
        presented.blocks.append(Block(f"{label}：評価と記入者", extra + answered, f"{stage.stage}-summary",
                                      stage=stage.stage))
    return presented
