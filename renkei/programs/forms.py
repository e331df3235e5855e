"""Forms of the staff pages (Japanese labels and messages)."""
import datetime

from django import forms
from django.utils.html import format_html

from renkei.core import wareki
from renkei.core.fields import EMPTY_LABEL, FiscalYearField, Form, ModelForm
from renkei.core.models import Facility

from . import rules
from .models import (
    END_OF_LIFE_TOPICS,
    DocumentKind,
    EndingNoteDistribution,
    EndOfLifeConsultation,
    RescueHelperApplication,
    RestartGrantApplication,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthInput(forms.TextInput):
    """A YYYY-MM month input with the chosen month in 和暦 beside it (「（令和7年4月）」), like every other date."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "2025-04"} | (attrs or {}))

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        try:
            first = value if isinstance(value, datetime.date) else rules.parse_month(value)
        except rules.InvalidFacts:
            return html
        return html + format_html('<span class="era-hint">（{}）</span>', wareki.format_month(first))


class MonthField(forms.CharField):
    """YYYY-MM → the month's first day."""

    widget = MonthInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return rules.parse_month(value)
        except rules.InvalidFacts as bad:
            raise forms.ValidationError(bad.problems[0])


class MonthForm(Form):
    month = MonthField(label="対象月")


class FiscalYearForm(Form):
    fy = FiscalYearField(label="年度", min_value=2000, max_value=2100, help_text="例：2025 または 令和7年度")


class DecisionForm(Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "決定の理由を入力してください。"})


class RescueApplicationForm(ModelForm):
    past_dates = ("received_on", "birth_date")
    class Meta:
        model = RescueHelperApplication
        fields = [
            "received_on", "applicant_kind", "applicant_name", "person_name", "person_kana", "birth_date",
            "address", "phone", "household", "under_65_member_can_help", "household_note", "cause",
            "ltc_certified", "uses_ltc_services", "hours_per_week", "days",
        ]
        widgets = {"received_on": DATE, "birth_date": DATE, "household_note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("hours_per_week") is not None and data["hours_per_week"] < 0:
            self.add_error("hours_per_week", "0以上の数で入力してください。")
        if data.get("birth_date") and data.get("received_on") and data["birth_date"] > data["received_on"]:
            self.add_error("birth_date", "生年月日が受付日より後になっています。")
        return data


class RescueDecisionForm(DecisionForm):
    approve = forms.TypedChoiceField(
        label="決定", choices=[("1", "利用決定"), ("0", "却下")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    age_override_reason = forms.CharField(
        label="65歳未満を対象とする理由（該当する場合）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    household_override_reason = forms.CharField(
        label="65歳未満の同居家族がいても対象とする理由（該当する場合）", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DispatchForm(Form):
    provider = forms.ModelChoiceField(label="訪問介護事業所", queryset=Facility.objects.none(),
                                      empty_label=EMPTY_LABEL,
                                      error_messages={"required": "派遣する訪問介護事業所を選んでください。",
                                                      "invalid_choice": "派遣先は訪問介護事業所から選んでください。"})
    first_day = forms.DateField(label="利用開始日（初日）", widget=DATE,
                                error_messages={"required": "利用開始日を入力してください。"})

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class VisitForm(Form):
    past_dates = ("visited_on",)
    visited_on = forms.DateField(label="訪問日", widget=DATE)
    minutes = forms.IntegerField(label="訪問時間（分）", min_value=1, max_value=24 * 60)
    note = forms.CharField(label="内容（身体介護・家事援助など）", required=False, max_length=300)


class ProviderPaymentForm(Form):
    provider = forms.ModelChoiceField(label="訪問介護事業所", queryset=Facility.objects.none())
    month = MonthField(label="対象月")
    unit_price_yen = forms.IntegerField(label="委託単価（30分あたり・円）", min_value=1)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class RestartApplicationForm(ModelForm):
    """The facility types and qualifications offered are those of the grant's versions in force in the
    user's cities (`grant_rules`); the service checks them against the city's version on the hiring date."""
    past_dates = ("received_on", "birth_date")

    facility_type = forms.ChoiceField(label="施設等の種別", choices=[])
    qualifications = forms.MultipleChoiceField(label="資格", required=False, widget=forms.CheckboxSelectMultiple,
                                               choices=[])

    def __init__(self, *args, grant_rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        types, quals = {}, {}
        for rule in grant_rules:
            params = rule.params
            types.update((t, t) for t in params.facility_types)
            quals.update((q, q + (f"（{only}のみ）" if only else "")) for q, only in params.qualifications.items())
        if self.instance.pk:
            types.setdefault(self.instance.facility_type, self.instance.facility_type)
            quals.update((q, q) for q in self.instance.qualifications or [] if q not in quals)
        self.fields["facility_type"].choices = [("", EMPTY_LABEL)] + list(types.items())
        self.fields["qualifications"].choices = list(quals.items())

    class Meta:
        model = RestartGrantApplication
        fields = [
            "received_on", "applicant_name", "applicant_kana", "birth_date", "address", "employer_name",
            "facility_name", "facility_type", "facility_in_city", "hired_on", "full_time", "direct_employment",
            "expected_months", "last_care_job_left_on", "qualifications",
        ]
        widgets = {"received_on": DATE, "birth_date": DATE, "hired_on": DATE, "last_care_job_left_on": DATE}

    def clean(self):
        data = super().clean()
        hired, birth, left = data.get("hired_on"), data.get("birth_date"), data.get("last_care_job_left_on")
        if hired and birth and hired <= birth:
            self.add_error("hired_on", "就職日が生年月日より前になっています。")
        if hired and left and left > hired:
            self.add_error("last_care_job_left_on", "離職日が就職日より後になっています。")
        return data


class DocumentForm(Form):
    kind = forms.ChoiceField(label="書類", choices=DocumentKind.choices)
    file = forms.FileField(label="ファイル（PDF・JPEG・PNG）")


class ConfirmForm(DecisionForm):
    on = forms.DateField(label="日付", widget=DATE, initial=datetime.date.today)


class ProvisionForm(Form):
    past_dates = ("provided_on",)
    patient_ref = forms.CharField(label="利用者（識別子・イニシャル等）", max_length=64)
    provided_on = forms.DateField(label="提供日", widget=DATE)
    unified_form = forms.BooleanField(label="市の統一様式で提供", required=False, initial=True)
    twenty_four_hour = forms.BooleanField(label="24時間体制の加算対象（夜間・早朝・深夜訪問、緊急時訪問看護加算）",
                                          required=False)


class ClaimForm(Form):
    station = forms.ModelChoiceField(label="訪問看護ステーション", queryset=Facility.objects.none(),
                                     empty_label=EMPTY_LABEL)
    month = MonthField(label="対象月")

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class ConsultationForm(ModelForm):
    past_dates = ("received_on",)
    topics = forms.MultipleChoiceField(label="相談内容", choices=list(END_OF_LIFE_TOPICS.items()),
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "相談内容を1つ以上選んでください。"})

    class Meta:
        model = EndOfLifeConsultation
        fields = ["received_on", "client_name", "client_age", "topics", "summary", "referred_to_welfare_corporation"]
        widgets = {"received_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class DistributionForm(ModelForm):
    past_dates = ("distributed_on",)
    class Meta:
        model = EndingNoteDistribution
        fields = ["distributed_on", "place", "count", "note"]
        widgets = {"distributed_on": DATE}

    def clean_count(self):
        if not self.cleaned_data["count"]:
            raise forms.ValidationError("部数は1以上で入力してください。")
        return self.cleaned_data["count"]


class RuleVersionForm(Form):
    """A new version of a city's rules of one program (parameters as JSON, checked by rules.parse_rule)."""

    program = forms.ChoiceField(label="事業", choices=list(rules.PROGRAMS.items()))
    effective_from = forms.DateField(label="適用開始日", widget=DATE,
                                     error_messages={"required": "適用開始日を入力してください。"})
    parameters = forms.JSONField(
        label="規程（JSON）", widget=forms.Textarea(attrs={"rows": 14}),
        help_text="現在の版を写してから変更してください。項目: " + " / ".join(
            f"{rules.PROGRAMS[p]}: {', '.join(keys) or '（項目なし: {}）'}" for p, keys in rules.PARAMETER_KEYS.items()),
        error_messages={"invalid": "規程は正しい JSON で入力してください。", "required": "規程を入力してください（項目がなければ {}）。"},
    )
    note = forms.CharField(label="根拠・備考", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "根拠・備考（要綱の名称や改正日など）を入力してください。"})

    def clean(self):
        data = super().clean()
        if data.get("program") and "parameters" in data:
            try:
                rules.parse_rule(data["program"], data["parameters"])
            except rules.InvalidFacts as bad:
                for problem in bad.problems:
                    self.add_error("parameters", problem)
        return data


class RuleCorrectionForm(RuleVersionForm):
    """Parameters and note of a version no decision has used yet (program and date stay)."""

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self._program = program
        del self.fields["program"], self.fields["effective_from"]

    def clean(self):
        self.cleaned_data["program"] = self._program
        return super().clean()
