"""Forms of the annual report: the fiscal-year range, narrative lines, historical figures."""
from django import forms
from django.utils import timezone

from renkei.core.fields import FiscalYearField, Form, ModelForm, range_message
from renkei.core.wareki import fiscal_year

from . import rules
from .models import HistoricalFigure, ReportLine

FY_HELP = "西暦（例：2021）または和暦（例：令和3年度）"


class RangeForm(Form):
    from_fy = FiscalYearField(label="開始年度", help_text=FY_HELP)
    to_fy = FiscalYearField(label="終了年度", help_text=FY_HELP)

    def clean(self):
        data = super().clean()
        if "from_fy" in data and "to_fy" in data:
            check = rules.check_report_range(data["from_fy"], data["to_fy"])
            if not check.ok:
                raise forms.ValidationError(check.reasons)
        return data


def default_range():
    fy = fiscal_year(timezone.localdate())
    return {"from_fy": fy - 2, "to_fy": fy}


class ReportLineForm(ModelForm):
    class Meta:
        model = ReportLine
        fields = ["item", "text", "order", "source"]
        help_texts = {"text": "数値は {records.consultations} のようにキーで書くと、記録から数えた値が入ります。"}


class HistoricalFigureForm(ModelForm):
    """The city the figure belongs to is added by the view (core.forms.add_municipality_field)."""

    class Meta:
        model = HistoricalFigure
        fields = ["fiscal_year", "item", "key", "label", "value", "unit", "source"]
        field_classes = {"fiscal_year": FiscalYearField}
        labels = {"fiscal_year": "年度"}
        help_texts = {"fiscal_year": FY_HELP}


class AreaYearForm(Form):
    fy = FiscalYearField(
        label="年度", help_text=FY_HELP, min_value=rules.FIRST_FY, max_value=rules.LAST_FY,
        error_messages={
            "min_value": range_message("年度", rules.FIRST_FY, rules.LAST_FY),
            "max_value": range_message("年度", rules.FIRST_FY, rules.LAST_FY),
        },
    )
