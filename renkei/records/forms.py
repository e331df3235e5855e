"""Forms of the program records (Japanese labels and messages). Saving goes through services."""
from django import forms

from renkei.core.figures import ITEMS

from .models import (
    AskerProfession,
    Body,
    Category,
    Channel,
    Consultation,
    Countermeasure,
    Event,
    FollowUpStatus,
    Issue,
    Meeting,
    Pamphlet,
    PamphletDistribution,
    PamphletEdition,
    Question,
    RegionalActivity,
    Registration,
    Survey,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(form, *names):
    for name in names:
        form.fields[name].widget = DATE
        form.fields[name].input_formats = ["%Y-%m-%d"]


class ConsultationForm(forms.ModelForm):
    patient_ref = forms.ChoiceField(label="関連する患者", required=False, help_text="あなたが担当チームに入っている患者だけを選べます。")

    class Meta:
        model = Consultation
        fields = [
            "received_on", "channel", "asker_profession", "asker_organisation", "category", "summary",
            "response", "referral", "minutes_spent", "follow_up", "follow_up_status",
        ]

    def __init__(self, *args, patients=(), **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "received_on")
        choices = [("", "（関連付けない）")] + [(str(p.pk), str(p)) for p in patients]
        linked = self.instance.patient_ref
        if linked and linked not in {value for value, _ in choices}:
            # Linked by someone on that patient's team: kept as it is, never shown to this user.
            choices.append((linked, "（あなたの担当チーム外の患者・変更しない）"))
        self.fields["patient_ref"].choices = choices
        if self.instance.pk:
            self.initial.setdefault("patient_ref", linked)


class ConsultationSearchForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False)
    category = forms.ChoiceField(label="相談分類", required=False, choices=[("", "すべて")] + Category.choices)
    asker = forms.ChoiceField(label="相談者", required=False, choices=[("", "すべて")] + AskerProfession.choices)
    channel = forms.ChoiceField(label="受付方法", required=False, choices=[("", "すべて")] + Channel.choices)
    follow_up = forms.ChoiceField(label="フォローアップ", required=False, choices=[("", "すべて")] + FollowUpStatus.choices)
    date_from = forms.DateField(label="受付日（から）", required=False, widget=DATE)
    date_to = forms.DateField(label="受付日（まで）", required=False, widget=DATE)


class BodyForm(forms.ModelForm):
    items = forms.MultipleChoiceField(
        label="担当する事業項目", choices=list(ITEMS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    members = forms.CharField(
        label="構成メンバー", widget=forms.Textarea, required=False, help_text="1行に1団体。並び順がそのまま表示順になります。"
    )

    class Meta:
        model = Body
        fields = ["kind", "name", "council", "term_start", "term_end", "established_on", "secretariat", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "term_start", "term_end", "established_on")
        self.fields["council"].queryset = Body.objects.filter(kind="council")
        if self.instance.pk:
            self.initial["items"] = self.instance.items
            self.initial["members"] = "\n".join(m.organisation for m in self.instance.members.all())

    def clean_members(self):
        names = [line.strip().lstrip("○").strip() for line in self.cleaned_data["members"].splitlines()]
        names = [n for n in names if n]
        if len(set(names)) != len(names):
            raise forms.ValidationError("同じ団体が2回書かれています。")
        return names


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "held_on", "title", "format", "agenda", "attendees", "minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "held_on")
        self.fields["body"].queryset = Body.objects.order_by("order", "id")


class AttachmentForm(forms.Form):
    file = forms.FileField(label="資料ファイル")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("ファイルが大きすぎます（20MBまで）。")
        return upload


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["body", "meeting", "title", "description", "item", "raised_on", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "raised_on")
        self.fields["meeting"].queryset = Meeting.objects.select_related("body").order_by("-held_on")


class CountermeasureForm(forms.ModelForm):
    class Meta:
        model = Countermeasure
        fields = ["description", "item", "owner", "due_on", "progress", "progress_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "due_on")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "theme", "kind", "audience", "delivery", "status", "venue", "starts_on", "ends_on",
            "registration_required", "registered_count", "participants", "online_accounts", "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "starts_on", "ends_on")


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "profession", "organisation", "email", "attended"]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["kind", "title", "opens_on", "closes_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "opens_on", "closes_on")


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind"]


class PamphletForm(forms.ModelForm):
    class Meta:
        model = Pamphlet
        fields = ["title", "description"]


class EditionForm(forms.ModelForm):
    class Meta:
        model = PamphletEdition
        fields = ["edition", "published_on", "print_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "published_on")


class DistributionForm(forms.ModelForm):
    class Meta:
        model = PamphletDistribution
        fields = ["place", "distributed_on", "copies"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "distributed_on")


class RegionalActivityForm(forms.ModelForm):
    class Meta:
        model = RegionalActivity
        fields = ["title", "counterpart", "held_on", "format", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "held_on")


class FiscalYearForm(forms.Form):
    fy = forms.IntegerField(label="年度（西暦の開始年）", min_value=2000, max_value=2100)


ITEM_FILTER = [("", "すべて")] + list(ITEMS.items())
