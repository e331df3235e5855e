"""Forms of the annual report: the fiscal-year range, narrative lines, historical figures."""
from django import forms
from django.utils import timezone

from renkei.core.wareki import fiscal_year

from . import rules
from .models import HistoricalFigure, ReportLine


class RangeForm(forms.Form):
    from_fy = forms.IntegerField(label="開始年度（西暦の開始年）", error_messages={"invalid": "年度は数字（例：2021）で入力してください。"})
    to_fy = forms.IntegerField(label="終了年度（西暦の開始年）", error_messages={"invalid": "年度は数字（例：2021）で入力してください。"})

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
        help_texts = {"text": "数値は {records.consultations} のようにキーで書くと、記録から数えた値が入ります。"}


class HistoricalFigureForm(forms.ModelForm):
    """The city the figure belongs to is added by the view (core.forms.add_municipality_field)."""

    class Meta:
        model = HistoricalFigure
        fields = ["fiscal_year", "item", "key", "label", "value", "unit", "source"]


class AreaYearForm(forms.Form):
    fy = forms.IntegerField(
        label="年度（西暦の開始年）", min_value=rules.FIRST_FY, max_value=rules.LAST_FY,
        error_messages={
            "invalid": "年度は数字（例：2021）で入力してください。",
            "required": "年度を入力してください。",
            "min_value": f"年度は{rules.FIRST_FY}〜{rules.LAST_FY}年度の範囲で指定してください。",
            "max_value": f"年度は{rules.FIRST_FY}〜{rules.LAST_FY}年度の範囲で指定してください。",
        },
    )
