"""Forms of the program records (Japanese labels and messages). Saving goes through services.

Every form takes the signed-in `user`: its choices (bodies, councils, meetings) are those of the user's
cities, and a create form gets the new record's city (`core.forms.add_municipality_field`: a select for
staff of several cities, hidden otherwise). Edit forms have no city: a record never moves to another.
"""
from django import forms
from django.conf import settings

from renkei.core.access import in_my_cities, my_municipality_ids
from renkei.core.fields import FiscalYearField, Form, ModelForm
from renkei.core.figures import ITEMS
from renkei.core.forms import add_municipality_field
from renkei.core.models import Municipality

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


class DatedForm(ModelForm):
    """A record's form whose `date_fields` take the browser's date picker and ISO dates."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, *self.date_fields)


class CityForm(DatedForm):
    """A form of a top-level record: on create, the city it belongs to among the user's cities."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            field = add_municipality_field(self, user)
            self.order_fields(["municipality"])
            if field.initial is not None:  # the user's only city: no choice to make, none needed in the post
                field.required = False
                self._only_city = field.initial

    def clean_municipality(self):
        chosen = self.cleaned_data.get("municipality")
        if chosen is None and getattr(self, "_only_city", None) is not None:
            return self.fields["municipality"].queryset.get(pk=self._only_city)
        return chosen

    def city(self):
        """The record's city: the chosen one on create (None while invalid), its own on edit."""
        if self.instance.pk is not None:
            return self.instance.municipality
        return getattr(self, "cleaned_data", {}).get("municipality")


class ConsultationForm(CityForm):
    date_fields = ("received_on",)
    past_dates = ("received_on",)
    patient_ref = forms.ChoiceField(label="関連する患者", required=False, help_text="あなたが担当チームに入っている患者だけを選べます。")

    class Meta:
        model = Consultation
        fields = [
            "received_on", "channel", "asker_profession", "asker_organisation", "category", "summary",
            "response", "referral", "minutes_spent", "follow_up", "follow_up_status",
        ]

    def __init__(self, *args, user, patients=(), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        choices = [("", "（関連付けない）")] + [(str(p.pk), str(p)) for p in patients]
        linked = self.instance.patient_ref
        if linked and linked not in {value for value, _ in choices}:
            # Linked by someone on that patient's team: kept as it is, never shown to this user.
            choices.append((linked, "（あなたの担当チーム外の患者・変更しない）"))
        self.fields["patient_ref"].choices = choices
        if self.instance.pk:
            self.initial.setdefault("patient_ref", linked)


class ConsultationSearchForm(Form):
    q = forms.CharField(label="キーワード", required=False)
    category = forms.ChoiceField(label="相談分類", required=False, choices=[("", "すべて")] + Category.choices)
    asker = forms.ChoiceField(label="相談者", required=False, choices=[("", "すべて")] + AskerProfession.choices)
    channel = forms.ChoiceField(label="受付方法", required=False, choices=[("", "すべて")] + Channel.choices)
    follow_up = forms.ChoiceField(label="フォローアップ", required=False, choices=[("", "すべて")] + FollowUpStatus.choices)
    date_from = forms.DateField(label="受付日（から）", required=False, widget=DATE)
    date_to = forms.DateField(label="受付日（まで）", required=False, widget=DATE)

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities:  # staff of several cities narrow the list to one of theirs (checked again by the view)
            self.fields["city"] = forms.ChoiceField(
                label="市区町村", required=False, choices=[("", "すべて")] + [(c.code, c.name) for c in cities])
            self.order_fields(["city"])


class BodyForm(CityForm):
    date_fields = ("term_start", "term_end", "established_on")
    items = forms.MultipleChoiceField(
        label="担当する事業項目", choices=list(ITEMS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    members = forms.CharField(
        label="構成メンバー", widget=forms.Textarea, required=False, help_text="1行に1団体。並び順がそのまま表示順になります。"
    )

    class Meta:
        model = Body
        fields = ["kind", "name", "council", "term_start", "term_end", "established_on", "secretariat", "order"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        councils = in_my_cities(user, Body).filter(kind="council").select_related("municipality")
        if self.instance.pk is not None:
            councils = councils.filter(municipality_id=self.instance.municipality_id).exclude(pk=self.instance.pk)
        self.fields["council"].queryset = councils
        self.fields["council"].error_messages["invalid_choice"] = "この協議会は選べません。"
        if self.instance.pk:
            self.initial["items"] = self.instance.items
            self.initial["members"] = "\n".join(m.organisation for m in self.instance.members.all())

    def clean_members(self):
        names = [line.strip().lstrip("○").strip() for line in self.cleaned_data["members"].splitlines()]
        names = [n for n in names if n]
        if len(set(names)) != len(names):
            raise forms.ValidationError("同じ団体が2回書かれています。")
        return names

    def clean(self):
        cleaned = super().clean()
        council, city = cleaned.get("council"), self.city()
        if council is not None and city is not None and council.municipality_id != city.pk:
            self.add_error("council", "同じ市区町村の協議会を選んでください。")
        return cleaned


def _bodies(field, user, instance_body_city=None):
    """The body select of a child record: the user's cities' bodies (only its own city's when editing)."""
    bodies = in_my_cities(user, Body).select_related("municipality").order_by("municipality__code", "order", "id")
    if instance_body_city is not None:
        bodies = bodies.filter(municipality_id=instance_body_city)
    field.queryset = bodies
    field.error_messages["invalid_choice"] = "この協議会・部会は選べません。"
    if len(my_municipality_ids(user)) > 1:
        field.label_from_instance = lambda b: f"{b.municipality.name}　{b.name}"


class MeetingForm(DatedForm):
    date_fields = ("held_on",)

    class Meta:
        model = Meeting
        fields = ["body", "held_on", "title", "format", "agenda", "attendees", "minutes"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _bodies(self.fields["body"], user, self.instance.body.municipality_id if self.instance.pk else None)


class AttachmentForm(Form):
    file = forms.FileField(label="資料ファイル")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("ファイルが大きすぎます（20MBまで）。")
        return upload


class IssueForm(DatedForm):
    date_fields = ("raised_on",)
    past_dates = ("raised_on",)

    class Meta:
        model = Issue
        fields = ["body", "meeting", "title", "description", "item", "raised_on", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _bodies(self.fields["body"], user, self.instance.body.municipality_id if self.instance.pk else None)
        self.fields["meeting"].queryset = in_my_cities(user, Meeting).select_related("body").order_by("-held_on")
        self.fields["meeting"].error_messages["invalid_choice"] = "この会議は選べません。"


class CountermeasureForm(DatedForm):
    date_fields = ("due_on",)

    class Meta:
        model = Countermeasure
        fields = ["description", "item", "owner", "due_on", "progress", "progress_note"]


class EventForm(CityForm):
    date_fields = ("starts_on", "ends_on")

    class Meta:
        model = Event
        fields = [
            "title", "theme", "kind", "audience", "delivery", "status", "venue", "starts_on", "ends_on",
            "registration_required", "registered_count", "participants", "online_accounts", "notes",
        ]


class RegistrationForm(ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "profession", "organisation", "email", "attended"]


class SurveyForm(DatedForm):
    date_fields = ("opens_on", "closes_on")

    class Meta:
        model = Survey
        fields = ["kind", "title", "opens_on", "closes_on"]


class QuestionForm(ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind"]


class PamphletForm(CityForm):
    class Meta:
        model = Pamphlet
        fields = ["title", "description"]


class EditionForm(DatedForm):
    date_fields = ("published_on",)

    class Meta:
        model = PamphletEdition
        fields = ["edition", "published_on", "print_run"]


class DistributionForm(DatedForm):
    date_fields = ("distributed_on",)
    past_dates = ("distributed_on",)

    class Meta:
        model = PamphletDistribution
        fields = ["place", "distributed_on", "copies"]


class RegionalActivityForm(CityForm):
    date_fields = ("held_on",)
    past_dates = ("held_on",)
    participants = forms.ModelMultipleChoiceField(
        label="参加した市区町村", queryset=Municipality.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="記録する市区町村のほかに参加した、圏域の市区町村",
        error_messages={"invalid_choice": "圏域の市区町村から選んでください。"},
    )

    class Meta:
        model = RegionalActivity
        fields = ["title", "counterpart", "held_on", "format", "summary"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        codes = list(settings.RENKEI_AREA_MUNICIPALITY_CODES)
        self.fields["participants"].queryset = Municipality.objects.filter(code__in=codes).order_by("code")
        if self.instance.pk is not None:
            self.initial["participants"] = list(self.instance.participants.values_list("pk", flat=True))


class FiscalYearForm(Form):
    fy = FiscalYearField(label="年度", min_value=2000, max_value=2100, help_text="例：2025 または 令和7年度")


ITEM_FILTER = [("", "すべて")] + list(ITEMS.items())
