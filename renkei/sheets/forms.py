"""Page forms of the sheets app (the content forms per kind live in schemas/)."""
from django import forms

from renkei.core.fields import Form, ModelForm, message
from renkei.core.models import Facility, FacilityKind

from .conferences import ActionItem, Outsider
from .models import (
    Attendance,
    BackBedHospital,
    BackBedReason,
    CaseOutcome,
    ConferenceKind,
    InvitationAnswer,
    ReferralSource,
)
from .rules import common_name
from .schemas.base import day, line, text


class AddresseeField(forms.ModelMultipleChoiceField):
    """Team members shown as 「氏名（職種・所属）」 (the queryset prefetches `facilities`)."""

    def label_from_instance(self, obj):
        where = "、".join(f.name for f in obj.facilities.all())
        return f"{obj.name}（{obj.get_profession_display()}{'・' + where if where else ''}）"


class FacilityField(forms.ModelChoiceField):
    """Hospitals by the name people use, without the corporation (医療法人社団…)."""

    def label_from_instance(self, obj):
        return common_name(obj.name)


class SendForm(Form):
    addressees = AddresseeField(
        label="宛先（ケアチームのメンバー）", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    facility = FacilityField(
        label="送付先の医療機関・施設（医療連携室）", queryset=None, required=False, empty_label="—（送付しない）",
        help_text="医療連携室のアカウントがある医療機関だけが受け取れます。")

    def __init__(self, *args, team_users, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressees"].queryset = team_users
        self.fields["facility"].queryset = facilities

    def clean(self):
        data = super().clean()
        if not data.get("addressees") and not data.get("facility"):
            raise forms.ValidationError("宛先（チームメンバーまたは送付先の医療機関）を選んでください。")
        return data


class NextFacilityForm(Form):
    next_facility = forms.ModelChoiceField(
        label="次の段階の送付先（医療連携室）", queryset=Facility.objects.none(), required=False,
        empty_label="—（送付しない）")

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_facility"].queryset = facilities


class BackBedRequestForm(Form):
    hospital = forms.ModelChoiceField(label="依頼先の医療機関", queryset=BackBedHospital.objects.none())
    reason = forms.ChoiceField(label="理由", choices=BackBedReason.choices)
    desired_on = day("入院希望日", required=True)
    detail = text("依頼内容（病状・依頼の理由・連絡先）", required=True, rows=4)

    def __init__(self, *args, hospitals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = hospitals


class BackBedAnswerForm(Form):
    decision = forms.ChoiceField(label="回答", choices=[("accept", "受け入れる"), ("decline", "受入れできない")],
                                 widget=forms.RadioSelect)
    note = text("理由・連絡事項", rows=2, help_text="受入れできない場合は理由が必要です。")


class BackBedStayForm(Form):
    admitted_on = day("入院日", required=True, past=True)
    discharged_on = day("退院日", help_text="予定日でも記録できます。")


class DementiaCaseForm(Form):
    referred_on = day("受付日", required=True, past=True)
    referral_source = forms.ChoiceField(label="相談・紹介元", choices=ReferralSource.choices)
    referral_reason = text("相談・紹介の内容", required=True, rows=3)
    team_note = line("チーム員（専門職の構成）", help_text="例：専門医、保健師、作業療法士", max_length=300)
    members = forms.ModelMultipleChoiceField(label="チーム員（登録アカウント）", queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    support_started_on = day("支援開始日", past=True)

    def __init__(self, *args, team_users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = team_users


class StartSupportForm(Form):
    started_on = day("支援開始日", required=True, past=True)


class VisitForm(Form):
    visited_on = day("訪問日", required=True, past=True)
    visitors = line("訪問者", required=True)
    summary = text("内容", required=True, rows=3)


class ConferenceForm(Form):
    held_on = day("開催日", required=True, past=True)
    participants = line("参加者", required=True, max_length=300)
    decisions = text("検討内容・方針", required=True, rows=3)


class CloseCaseForm(Form):
    closed_on = day("支援終了日", required=True, past=True)
    outcome = forms.ChoiceField(label="終了時の状況", choices=CaseOutcome.choices)
    outcome_detail = text("詳細", rows=2)
    case_study = forms.BooleanField(label="事例研究の対象にする", required=False)
    case_study_note = line("事例研究の記録", max_length=300)


class CaseStudyForm(Form):
    selected = forms.BooleanField(label="事例研究の対象にする", required=False)
    note = line("事例研究の記録", max_length=300)


class BackBedHospitalForm(ModelForm):
    """Municipal staff register a participating hospital and the beds it keeps."""

    class Meta:
        model = BackBedHospital
        fields = ["facility", "beds", "joined_on", "is_active", "note"]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.filter(kind=FacilityKind.HOSPITAL)

    def clean_beds(self):
        beds = self.cleaned_data["beds"]
        if beds < 1:
            raise forms.ValidationError(message("min_value", "確保病床数") % {"limit_value": 1})
        return beds


class MemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_profession_display()}）"


class SheetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} 第{obj.version}版（{obj.get_status_display()}）"


class CaseConferenceForm(Form):
    """Schedule a case conference on the patient's team."""

    kind = forms.ChoiceField(label="種類", choices=ConferenceKind.choices)
    scheduled_at = forms.DateTimeField(label="日時", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                              format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label="場所", max_length=200, required=False, help_text="例：〇〇病院 3階 面談室")
    online_url = forms.URLField(label="オンライン参加の URL", required=False, assume_scheme="https")
    agenda = text("議題", rows=3)
    invitees = MemberField(label="招待するチームメンバー", queryset=None, required=False,
                           widget=forms.CheckboxSelectMultiple)
    outsiders = text("Renkei 外の参加者（1行に1人：氏名、職種・所属）", rows=3,
                     help_text="例：病棟 看護 花子、〇〇病院 病棟看護師")
    sheets = SheetChoiceField(label="検討する連携シート", queryset=None, required=False,
                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, team, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = team
        self.fields["sheets"].queryset = sheets

    def clean_outsiders(self):
        people = []
        for raw in self.cleaned_data["outsiders"].splitlines():
            if raw.strip():
                name, _, role = raw.replace("，", "、").replace(",", "、").partition("、")
                people.append(Outsider(name.strip()[:100], role.strip()[:100]))
        return people


ACTION_ROWS = 5


class ConferenceRecordForm(Form):
    """The record of a held conference: when, attendance per invited person, the record, action items."""

    held_at = forms.DateTimeField(label="開催日時", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                            format="%Y-%m-%dT%H:%M"))
    record = text("記録（検討内容・決まったこと）", required=True, rows=6)

    def __init__(self, *args, conference, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = list(conference.attendees.select_related("user"))
        for attendee in self.attendees:
            who = attendee.user.name if attendee.user else f"{attendee.name}（{attendee.role}）" if attendee.role \
                else attendee.name
            self.fields[f"attendance_{attendee.pk}"] = forms.ChoiceField(
                label=f"出欠：{who}", choices=[("", "未記録")] + Attendance.choices, required=False,
                initial=Attendance.IN_PERSON if attendee.answer == InvitationAnswer.ACCEPTED else "")
        for i in range(ACTION_ROWS):
            self.fields[f"action_{i}_text"] = forms.CharField(label=f"行動予定 {i + 1}：内容", max_length=300,
                                                              required=False)
            self.fields[f"action_{i}_owner"] = forms.ModelChoiceField(
                label=f"行動予定 {i + 1}：担当", queryset=team, required=False, empty_label="（担当なし）")
            self.fields[f"action_{i}_due"] = forms.DateField(label=f"行動予定 {i + 1}：期限", required=False,
                                                             widget=forms.DateInput(attrs={"type": "date"}))

    def attendance(self):
        return {a.pk: self.cleaned_data[f"attendance_{a.pk}"] for a in self.attendees
                if self.cleaned_data.get(f"attendance_{a.pk}")}

    def actions(self):
        return [ActionItem(self.cleaned_data[f"action_{i}_text"], self.cleaned_data[f"action_{i}_owner"],
                           self.cleaned_data[f"action_{i}_due"])
                for i in range(ACTION_ROWS) if self.cleaned_data.get(f"action_{i}_text", "").strip()]


class SafetyForm(Form):
    """The patient's allergies, drug contraindications and infections (carried into hospital sheets)."""

    allergies = text("アレルギー（薬剤・食物・その他）", rows=2, max_length=1000,
                     help_text="ない場合は「なし」、分からない場合は「不明」と記入してください。")
    drug_contraindications = text("薬剤の禁忌・副作用歴", rows=2, max_length=1000)
    infections = text("感染症（MRSA・HBV・HCV・結核・疥癬など）", rows=2, max_length=1000)
