"""The shared machinery of sheet content: a Django form per kind, grouped into sections.

A kind's form validates the content (structured JSON), renders the page form, and describes
the sections that the PDF and the FHIR Composition print. Choice values are stored as their
Japanese wording so that a stored sheet reads the same in ten years, whatever the code says.
"""
import datetime
from dataclasses import dataclass

from django import forms

from renkei.core.fields import EMPTY_LABEL, Form, PastDateField

SECTION_SYSTEM_CLINS = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"
SECTION_SYSTEM_LOCAL = "urn:renkei:fhir:CodeSystem:sheet-section"

ADL_LEVELS = ["自立", "見守り", "一部介助", "全介助"]
# 障害高齢者／認知症高齢者の日常生活自立度（厚生労働省の判定基準）
INDEPENDENCE_PHYSICAL = ["自立", "J1", "J2", "A1", "A2", "B1", "B2", "C1", "C2"]
INDEPENDENCE_DEMENTIA = ["自立", "Ⅰ", "Ⅱa", "Ⅱb", "Ⅲa", "Ⅲb", "Ⅳ", "M"]
UDF_LEVELS = ["区分1 容易にかめる", "区分2 歯ぐきでつぶせる", "区分3 舌でつぶせる", "区分4 かまなくてよい"]  # ユニバーサルデザインフード
ORAL_HYGIENE = ["良", "不良", "著しく不良"]
DENTURES = ["なし", "部分", "総"]
PROCEDURES = ["点滴", "酸素療法", "喀痰吸引", "気管切開", "胃ろう", "経鼻栄養", "経腸栄養", "褥瘡", "尿道カテーテル",
              "尿路ストーマ", "消化管ストーマ", "痛みコントロール", "排便コントロール", "自己注射", "その他"]  # 様式例の15項目
TICKED, UNTICKED = "■", "□"


@dataclass(frozen=True)
class Section:
    """A titled group of fields; `code` is a JP-CLINS document-section code when one fits, else ours."""

    title: str
    fields: tuple
    code: str
    system: str = SECTION_SYSTEM_LOCAL


def clins(title, fields, code):
    """A section coded with the JP-CLINS document-section code system."""
    return Section(title, tuple(fields), code, SECTION_SYSTEM_CLINS)


def local(title, fields, code):
    """A section coded with Renkei's own section codes (no JP-CLINS equivalent)."""
    return Section(title, tuple(fields), code, SECTION_SYSTEM_LOCAL)


def text(label, required=False, rows=3, max_length=2000, help_text=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def line(label, required=False, max_length=200, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)


def day(label, required=False, help_text="", past=False):
    """A date; `past` for the day of something that already happened (core.fields.NotFuture)."""
    field = PastDateField if past else forms.DateField
    return field(label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}))


def choice(label, options, required=False, help_text="", legacy=()):
    """A single choice whose stored value is the Japanese wording.

    `legacy`: wordings of an older version of the form; still valid in stored sheets, offered only to a sheet
    that holds one (see SectionedForm.__init__)."""
    blank = [] if required else [("", EMPTY_LABEL)]
    field = forms.ChoiceField(label=label, required=required, help_text=help_text,
                              choices=blank + [(o, o) for o in options])
    field.legacy = tuple(legacy)  # type: ignore[attr-defined]
    return field


def choices(label, options, help_text="", legacy=()):
    """Several choices (checkboxes), stored as a list of the Japanese wordings (`legacy` as in `choice`)."""
    field = forms.MultipleChoiceField(label=label, required=False, help_text=help_text,
                                      choices=[(o, o) for o in options], widget=forms.CheckboxSelectMultiple)
    field.legacy = tuple(legacy)  # type: ignore[attr-defined]
    return field


def number(label, min_value, max_value, required=False, help_text=""):
    return forms.IntegerField(label=label, required=required, min_value=min_value, max_value=max_value,
                              help_text=help_text)


def flag(label, help_text=""):
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def _given(source, name):
    """The values a form's data or initial holds for a field, as a list."""
    if not source or name not in source:
        return []
    value = source.getlist(name) if hasattr(source, "getlist") else source.get(name)
    return list(value) if isinstance(value, list | tuple) else [value]


class SectionedForm(Form):
    """A content form whose fields are grouped into sections; stores JSON-ready content with its scores."""

    sections: list = []
    date_field = None  # the field that dates the document (else the day it was written)
    tick_boxes = False  # on paper, print every option of a choice as □/■ like the ministry's sample form

    def __init__(self, *args, finalising=False, **kwargs):
        # A draft may be saved incomplete where a kind allows it (DASC-21 items); finalising checks completeness.
        self.finalising = finalising
        if kwargs.get("initial") is not None:
            kwargs["initial"] = self.as_fields(kwargs["initial"])
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            legacy = getattr(field, "legacy", ())
            held = [v for v in _given(self.data, name) + _given(self.initial, name) if v in legacy]
            if held:  # a sheet written on an older version of the form keeps (and may untick) its wording
                field.choices = [*field.choices, *[(v, v) for v in dict.fromkeys(held)]]

    @classmethod
    def as_fields(cls, content):
        """Stored content as the form's field values (forms that store lists of entries override this)."""
        return content

    def to_content(self):
        """The validated content as JSON-ready data (call after is_valid())."""
        content = {name: _json_value(value) for name, value in self.cleaned_data.items()}
        scores = self.scores()
        if scores:
            content["scores"] = scores
        return content

    def scores(self):
        """Computed scores stored with the content (forms with scales override this)."""
        return {}

    def document_date(self):
        return self.cleaned_data.get(self.date_field) if self.date_field else None

    @classmethod
    def all_sections(cls):
        return list(cls.sections)

    @classmethod
    def display(cls, content, *, paper=False):
        """[(section, [(label, text)])] for the page, the PDF and the FHIR narrative.

        With `paper` a form with `tick_boxes` prints every option of its choices, ticked or not."""
        summaries = cls.summaries(content)
        shown = []
        for section in cls.all_sections():
            shown.append((section, cls.section_rows(section, content, paper=paper)))
            shown += [(summary, rows) for after, summary, rows in summaries if after == section.code]
        return shown

    @classmethod
    def section_rows(cls, section, content, *, paper=False):
        fields = cls.base_fields
        if paper and cls.tick_boxes:
            return [(fields[name].label, boxed_value(fields[name], content.get(name))) for name in section.fields]
        return [(fields[name].label, cls.display_field(name, content.get(name))) for name in section.fields]

    @classmethod
    def display_field(cls, name, value):
        """How one stored value prints: a scale's point with its wording (「4 中等度から重度の障害」), else as is."""
        if isinstance(value, int) and not isinstance(value, bool):
            labels = {str(key): label for key, label in getattr(cls.base_fields[name].widget, "choices", ())}
            if str(value) in labels:
                return labels[str(value)]
        return display_value(value)

    @classmethod
    def summaries(cls, content):
        """Computed blocks, each printed after the section of its code: [(after_code, section, rows)]."""
        return []

    @classmethod
    def section_table(cls, section, content):
        """(header, rows) of a section printed as a table (a log of entries), else None."""
        return None


class ContentForm(SectionedForm):
    """Base of every kind's content form: basics of the patient, then the kind's own sections."""

    title = ""  # the printed title
    carries_safety = False  # see HospitalContentForm
    fresh_fields = ()  # fields about one event, never prefilled from the previous sheet

    patient_name = line("氏名", required=True, max_length=100)
    patient_kana = line("氏名（かな）", max_length=200)
    patient_birth_date = day("生年月日", required=True, past=True)
    patient_sex = choice("性別", ["男性", "女性", "その他・回答しない"])
    patient_address = line("住所", max_length=300)
    patient_phone = line("電話番号", max_length=30)

    basics = local("基本情報", ["patient_name", "patient_kana", "patient_birth_date", "patient_sex",
                              "patient_address", "patient_phone"], "basics")

    @classmethod
    def all_sections(cls):
        return [cls.basics, *cls.sections]


class HospitalContentForm(ContentForm):
    """A kind that crosses to or from a hospital: allergies, drug contraindications and infections, kept once
    per patient (`sheets.PatientSafety`), prefilled into each new sheet and stored back when one is finalised."""

    carries_safety = True

    allergies = text("アレルギー（薬剤・食物・その他）", rows=2, max_length=1000,
                     help_text="ない場合は「なし」、分からない場合は「不明」と記入してください。")
    drug_contraindications = text("薬剤の禁忌・副作用歴", rows=2, max_length=1000,
                                  help_text="例：ワーファリン服用中のため NSAIDs 禁忌")
    infections = text("感染症（MRSA・HBV・HCV・結核・疥癬など）", rows=2, max_length=1000,
                      help_text="検査日・結果が分かれば併せて記入してください。")

    safety_sections = [
        clins("アレルギー・不耐性反応・禁忌", ["allergies", "drug_contraindications"], "510"),
        clins("感染症情報", ["infections"], "520"),
    ]

    @classmethod
    def all_sections(cls):
        return [*super().all_sections(), *cls.safety_sections]


SAFETY_FIELDS = ("allergies", "drug_contraindications", "infections")


def boxed_value(field, value):
    """A choice as the paper form prints it: every option, □ or ■; a tick box alone for a yes/no item."""
    if isinstance(field, forms.BooleanField):
        return TICKED if value else UNTICKED
    if not isinstance(field, forms.ChoiceField):  # MultipleChoiceField is a ChoiceField too
        return display_value(value)
    chosen = [str(v) for v in (value if isinstance(value, list) else [value]) if v not in (None, "")]
    options = [str(v) for v, _ in field.choices if v != ""]
    options += [v for v in chosen if v not in options]  # a legacy wording still prints
    return "　".join(f"{TICKED if option in chosen else UNTICKED}{option}" for option in options)


def display_value(value):
    """How a stored value prints: dates in the Western and Japanese calendars, lists joined, booleans as あり/なし."""
    from renkei.core.wareki import format_era_date

    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "あり" if value else "なし"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_era_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)
