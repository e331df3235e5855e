"""The conventions every form shares (renkei/core/fields.py)."""
import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

import renkei
from renkei.core.fields import (
    EMPTY_LABEL,
    ConventionsMixin,
    FiscalYearField,
    Form,
    PastDateField,
    future_message,
)


class SampleForm(Form):
    count = forms.IntegerField(label="人数", min_value=1, max_value=99)
    rate = forms.DecimalField(label="割合", required=False, max_digits=4, decimal_places=1)
    day = forms.DateField(label="受付日", required=False)
    admitted_on = PastDateField(label="入院日", required=False)
    kind = forms.ChoiceField(label="種別", choices=[("", "---------"), ("a", "A")])
    fy = FiscalYearField(label="年度", required=False)
    note = forms.CharField(label="備考", required=False, max_length=5)
    custom = forms.IntegerField(label="独自", required=False, error_messages={"invalid": "独自の文言"})


def _errors(**data):
    form = SampleForm({"count": "1", "kind": "a"} | data)
    form.is_valid()
    return form.errors


def test_it_reads_full_width_digits_in_number_fields():
    form = SampleForm({"count": "１０", "rate": "４５．５", "kind": "a"})
    assert form.is_valid() and (form.cleaned_data["count"], str(form.cleaned_data["rate"])) == (10, "45.5")


def test_it_reads_full_width_dates():
    form = SampleForm({"count": "1", "kind": "a", "day": "２０２５－０４－０１"})
    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2025, 4, 1)


def test_it_leaves_text_fields_as_typed():
    form = SampleForm({"count": "1", "kind": "a", "note": "ＡＢ１"})
    assert form.is_valid() and form.cleaned_data["note"] == "ＡＢ１"


def test_it_reads_a_fiscal_year_in_wareki():
    form = SampleForm({"count": "1", "kind": "a", "fy": "令和3年度"})
    assert form.is_valid() and form.cleaned_data["fy"] == 2021


@pytest.mark.parametrize("field, typed, message", [
    ("fy", "来年", "年度は西暦（例：2021）または和暦（例：令和3年度）で入力してください。"),
    ("count", "", "人数を入力してください。"),  # a missing value, worded with the label
    ("kind", "", "種別を選んでください。"),  # a missing choice
    ("count", "たくさん", "人数は数字で入力してください。"),
    ("count", "0", "人数は1以上で入力してください。"),
    ("count", "100", "人数は99以下で入力してください。"),
    ("day", "4月1日ごろ", "受付日は日付（例：2025-04-01）で入力してください。"),
    ("note", "あいうえおか", "備考は5文字以内で入力してください（いま6文字）。"),
    ("custom", "x", "独自の文言"),  # a message the form chose is kept
])
def test_it_words_a_refused_value_with_the_label(field, typed, message):
    assert _errors(**{field: typed})[field] == [message]


def test_a_label_with_a_percent_sign_is_worded_as_it_reads():
    class Percent(Form):
        spo2 = forms.IntegerField(label="SpO2 %", max_value=100)

    form = Percent({"spo2": "101"})
    assert not form.is_valid() and form.errors["spo2"] == ["SpO2 %は100以下で入力してください。"]


def test_it_refuses_a_past_date_field_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _errors(admitted_on=tomorrow.isoformat())["admitted_on"] == ["入院日に未来の日付は入力できません。"]


def test_it_accepts_today_in_a_past_date_field():
    assert "admitted_on" not in _errors(admitted_on=timezone.localdate().isoformat())


def test_it_applies_the_date_rule_to_the_fields_a_form_names():
    class Named(Form):
        past_dates = ("received_on",)
        received_on = forms.DateField(label="受付日")

    form = Named({"received_on": "2030-01-01"})
    assert not form.is_valid() and form.errors["received_on"] == [future_message("受付日")]


def test_it_gives_the_empty_choice_one_label():
    assert SampleForm().fields["kind"].choices[0] == ("", EMPTY_LABEL)


def test_it_gives_the_empty_choice_of_a_model_select_one_label():
    from renkei.core.models import Municipality

    class Pick(Form):
        city = forms.ModelChoiceField(label="市区町村", queryset=Municipality.objects.none(), required=False)

    assert Pick().fields["city"].empty_label == EMPTY_LABEL


def test_number_inputs_take_full_width_text():
    html = str(SampleForm()["count"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html


def test_the_error_summary_links_every_field_error():
    form = SampleForm({"count": "0", "kind": ""})
    form.is_valid()
    html = render_to_string("core/_error_summary.html", {"form": form})
    assert 'role="alert"' in html and "入力内容を確認してください" in html
    assert '<a href="#id_count">人数は1以上で入力してください。</a>' in html
    assert '<a href="#id_kind">種別を選んでください。</a>' in html


def test_the_error_summary_is_empty_without_errors():
    assert render_to_string("core/_error_summary.html", {"form": SampleForm()}).strip() == ""


def _all_forms():
    for module in pkgutil.walk_packages(renkei.__path__, "renkei."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)
    seen, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("renkei.") and sub.base_fields and "Items" not in sub.__name__:
                seen.append(sub)
    return seen


@pytest.mark.parametrize("form_class", _all_forms(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_form_of_the_project_follows_the_conventions(form_class):
    assert issubclass(form_class, ConventionsMixin)
