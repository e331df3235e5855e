"""Forms of the annual report: the fiscal-year range, narrative lines, historical figures."""
from django import forms
from django.utils import timezone

from renkei.core.fields import FiscalYearField, Form, ModelForm, range_message
from renkei.core.wareki import fiscal_year, fiscal_year_label

from . import rules
from .models import HistoricalFigure, ReportLine

YEARS_BACK = 10  # the selects offer the last ten fiscal years and the next one


class FiscalYearSelect(forms.Select):
    """A select of fiscal years shown in 和暦 (「令和7年度」) whose values stay Western years (2025).

    The choices are the recent years; a valid year given in the address (an old bookmark) is added."""

    def get_context(self, name, value, attrs):
        current = fiscal_year(timezone.localdate())
        years = set(range(current - YEARS_BACK, current + 2))
        if str(value or "").isdigit() and rules.FIRST_FY <= int(value) <= rules.LAST_FY:
            years.add(int(value))
        self.choices = [(fy, fiscal_year_label(fy)) for fy in sorted(years, reverse=True)]
        return super().get_context(name, value, attrs)


def fiscal_year_field(label):
    """A fiscal-year field: chosen in 和暦 from a select, cleaned as the Western year it starts in (a typed
    「令和3年度」 in the address is read too)."""
    return FiscalYearField(label=label, widget=FiscalYearSelect)


class RangeForm(Form):
    from_fy = fiscal_year_field("開始年度")
    to_fy = fiscal_year_field("終了年度")

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
        help_texts = {"text": "数値は下の「数値を選ぶ」から挿入すると、記録から数えた値が報告に入ります。"}


class HistoricalFigureForm(ModelForm):
    """The city the figure belongs to is added by the view (core.forms.add_municipality_field)."""

    class Meta:
        model = HistoricalFigure
        fields = ["fiscal_year", "item", "key", "label", "value", "unit", "source"]
        field_classes = {"fiscal_year": FiscalYearField}
        labels = {"fiscal_year": "年度"}
        widgets = {"fiscal_year": FiscalYearSelect}


class AreaYearForm(Form):
    fy = FiscalYearField(
        label="年度", widget=FiscalYearSelect, min_value=rules.FIRST_FY, max_value=rules.LAST_FY,
        error_messages={
            "min_value": range_message("年度", rules.FIRST_FY, rules.LAST_FY),
            "max_value": range_message("年度", rules.FIRST_FY, rules.LAST_FY),
        },
    )
