"""What every form shares: one Japanese wording per kind of error, full-width input, date rules, 和暦 years.

Every page form derives from `Form` or `ModelForm` here (tests/core/test_fields.py walks them all), so a
field gets, unless it sets its own: the message of each kind of error in `MESSAGES` worded with its
label; one label for the empty choice (`EMPTY_LABEL`); numbers and dates typed in full width
(「１０」「２０２５－０４－０１」) read as half width; number inputs that take full-width digits.
Services word their own refusals with the same functions (`future_message`, `range_message`).
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django import forms
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from .wareki import parse_fiscal_year

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EMPTY_LABEL = "選択してください"
DJANGO_EMPTY_LABEL = "---------"  # what Django shows for the empty choice of a model form's select

T = TypeVar("T")

_SPLIT_PART = re.compile(r"_\d+$")  # a split widget posts name_0, name_1

# One wording per kind of error; {label} is the field's label, %(…)s what Django fills in.
MESSAGES = {
    "required": "{label}を入力してください。",
    "required_choice": "{label}を選んでください。",
    "invalid_number": "{label}は数字で入力してください。",
    "invalid_date": "{label}は日付（例：2025-04-01）で入力してください。",
    "invalid_datetime": "{label}は日時（例：2025-04-01 09:30）で入力してください。",
    "invalid_time": "{label}は時刻（例：09:30）で入力してください。",
    "invalid_choice": "{label}は一覧から選んでください。",
    "min_value": "{label}は%(limit_value)s以上で入力してください。",
    "max_value": "{label}は%(limit_value)s以下で入力してください。",
    "max_length": "{label}は%(limit_value)d文字以内で入力してください（いま%(show_value)d文字）。",
    "range": "{label}は{low}〜{high}の範囲で入力してください。",
    "future": "{label}に未来の日付は入力できません。",
    "invalid_fiscal_year": "{label}は西暦（例：2021）または和暦（例：令和3年度）で入力してください。",
}


def message(kind: str, label: StrOrPromise, **values: object) -> str:
    """The one wording of an error `kind` (a key of MESSAGES) for the field labelled `label`."""
    template = MESSAGES[kind]
    if "%(" in template:  # Django fills these in with `%`: a label's own % («SpO2 %») must stay a character
        label = str(label).replace("%", "%%")
    return template.format(label=label, **values)


def future_message(label: StrOrPromise) -> str:
    """「入院日に未来の日付は入力できません。」: a day that has not come yet where only a past one makes sense."""
    return message("future", label)


def range_message(label: StrOrPromise, low: object, high: object) -> str:
    """「脈拍は20〜250の範囲で入力してください。」"""
    return message("range", label, low=low, high=high)


@overload
def half_width(value: str) -> str: ...


@overload
def half_width(value: T) -> T: ...


def half_width(value: object) -> object:
    """Full-width digits, signs and separators as half width (NFKC): 「１０」→"10", 「４５．５」→"45.5"."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class NotFuture:
    """The date rule of a day something already happened (a birth, an admission, a consent, a visit):
    today or earlier. A form lists such fields in `past_dates`, or declares them as PastDateField."""

    def __init__(self, label: StrOrPromise | None) -> None:
        self.label = label

    def __call__(self, value: datetime.date | None) -> None:
        if value and value > timezone.localdate():
            raise forms.ValidationError(future_message(str(self.label)), code="future")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotFuture) and other.label == self.label


class PastDateField(forms.DateField):
    """A date field with the NotFuture rule and a date input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)
        self.validators.append(NotFuture(self.label))


class FiscalYearField(forms.IntegerField):
    """A fiscal year typed in Western years or 和暦 (2021, ２０２１, 令和3年度, R3), cleaned to 2021."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        year = parse_fiscal_year(str(value))
        if year is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return year


def _default_messages(field: forms.Field) -> dict[str, object]:
    """The error messages Django gives a field of this class when the form sets none."""
    defaults: dict[str, object] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def _kinds(field: forms.Field) -> dict[str, str]:
    """{Django error code: kind in MESSAGES} for a field."""
    kinds: dict[str, str] = {"max_length": "max_length"} if isinstance(field, forms.CharField) else {}
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField, forms.BooleanField)):
        kinds["required"] = "required_choice"
    else:
        kinds["required"] = "required"
    if isinstance(field, FiscalYearField):
        kinds["invalid"] = "invalid_fiscal_year"
    elif isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        kinds["invalid"] = "invalid_number"
    elif isinstance(field, forms.DateTimeField):
        kinds["invalid"] = "invalid_datetime"
    elif isinstance(field, forms.DateField):
        kinds["invalid"] = "invalid_date"
    elif isinstance(field, forms.TimeField):
        kinds["invalid"] = "invalid_time"
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        kinds.update(min_value="min_value", max_value="max_value")
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        kinds["invalid_choice"] = "invalid_choice"
    return kinds


def _is_old_empty(value: object, text: object) -> bool:
    return value == "" and text == DJANGO_EMPTY_LABEL


def _normalised_fields(field: forms.Field) -> bool:
    return isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField, forms.DateField,
                              forms.DateTimeField, forms.TimeField))


def apply_conventions(form: forms.BaseForm) -> None:
    """Give a form's fields the shared wording, empty label, full-width reading and number inputs, and the
    NotFuture rule to the fields named in its `past_dates`."""
    normalise: set[str] = set()
    past_dates = getattr(form, "past_dates", ())
    for name, field in form.fields.items():
        label = field.label or pretty_name(name)
        if name in past_dates and NotFuture(label) not in field.validators:
            field.validators.append(NotFuture(label))
        defaults = _default_messages(field)
        for code, kind in _kinds(field).items():
            # Django's own message, or none (min/max come from validators): the shared wording replaces it.
            if code not in field.error_messages or str(field.error_messages[code]) == str(defaults.get(code)):
                field.error_messages[code] = message(kind, label)
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL  # read by the field's choice iterator when the select is drawn
        elif isinstance(field, forms.ChoiceField) and isinstance(field.choices, list):
            # Only fixed lists: choices computed by a callable (maybe a query) are left unread.
            choices = field.choices
            if any(_is_old_empty(value, text) for value, text in choices):
                field.choices = [(v, EMPTY_LABEL if _is_old_empty(v, t) else t) for v, t in choices]
        if _normalised_fields(field):
            normalise.add(form.add_prefix(name))
            if getattr(field.widget, "input_type", None) == "number":
                # A number input drops what an IME types (「１０」); a text input with a numeric keypad keeps it.
                field.widget.input_type = "text"
                decimal = not isinstance(field, forms.IntegerField)
                field.widget.attrs.setdefault("inputmode", "decimal" if decimal else "numeric")
                for attr in ("min", "max", "step"):
                    field.widget.attrs.pop(attr, None)
    if form.is_bound and normalise:
        def normalised(key: str) -> bool:
            return key in normalise or _SPLIT_PART.sub("", key) in normalise

        if isinstance(form.data, MultiValueDict):  # a QueryDict: the posted form
            posted = form.data.copy()
            for key in list(posted.keys()):
                if normalised(key):
                    posted.setlist(key, [half_width(v) for v in posted.getlist(key)])
            form.data = posted
        else:
            data = dict(form.data)
            for key in list(data.keys()):
                if normalised(key):
                    data[key] = half_width(data[key])
            form.data = data


if TYPE_CHECKING:  # the mixin is only ever put before a Django form class
    _FormBase = forms.BaseForm
    _ModelFormBase = forms.ModelForm[Any]  # forms.ModelForm is not subscriptable when the site runs
else:
    _FormBase = object
    _ModelFormBase = forms.ModelForm


class ConventionsMixin(_FormBase):
    """Applies `apply_conventions` to a form when it is made (put it before Django's form class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_conventions(self)


class Form(ConventionsMixin, forms.Form):
    """A page form with the shared conventions (see the module docstring)."""


class ModelForm(ConventionsMixin, _ModelFormBase):
    """A model form with the shared conventions (see the module docstring)."""
