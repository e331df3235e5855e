"""Forms of the annual report: the fiscal-year range, narrative lines, historical figures."""
from django import forms
from django.utils import timezone

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
    """A fiscal-year field: chosen in 和暦, submitted and cleaned as the Western year it starts in."""
    return forms.IntegerField(label=label, widget=FiscalYearSelect, error_messages={
        "invalid": "年度は数字（例：2021）で入力してください。", "required": "年度を選んでください。"})


class RangeForm(forms.Form):
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


class ReportLineForm(forms.ModelForm):
    class Meta:
        model = ReportLine
        fields = ["item", "text", "order", "source"]
        help_texts = {"text": "数値は下の「数値を選ぶ」から挿入すると、記録から数えた値が報告に入ります。"}


class HistoricalFigureForm(forms.ModelForm):
    """The city the figure belongs to is added by the view (core.forms.add_municipality_field)."""

    class Meta:
        model = HistoricalFigure
        fields = ["fiscal_year", "item", "key", "label", "value", "unit", "source"]
        widgets = {"fiscal_year": FiscalYearSelect}


class AreaYearForm(forms.Form):
    fy = forms.IntegerField(
        label="年度", min_value=rules.FIRST_FY, max_value=rules.LAST_FY, widget=FiscalYearSelect,
        error_messages={
            "invalid": "年度は数字（例：2021）で入力してください。",
            "required": "年度を選んでください。",
            "min_value": f"年度は{rules.FIRST_FY}〜{rules.LAST_FY}年度の範囲で指定してください。",
            "max_value": f"年度は{rules.FIRST_FY}〜{rules.LAST_FY}年度の範囲で指定してください。",
        },
    )
