"""Forms of the care-team network (Japanese labels and messages)."""
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from renkei.core.fields import EMPTY_LABEL
from renkei.core.models import Municipality, User

if TYPE_CHECKING:
    # renkei.core.fields is not annotated yet (issue 17, the core half): to the type checker its Form and
    # PastDateField are Django's, whose signatures they keep (they add conventions and a validator).
    from django.forms import DateField as PastDateField
    from django.forms import Form
else:
    from renkei.core.fields import Form, PastDateField

from .models import (
    DEFAULT_CONSENT_SCOPE,
    CareLevel,
    ConsentGiver,
    ConsentMethod,
    EndReason,
    PatientStatus,
    Sex,
    TeamRole,
)
from .rules import VITAL_RANGES, vitals_problems

FILE_HELP = f"JPEG・PNG・HEIC の画像と PDF（1ファイル {settings.MAX_UPLOAD_MB} MB まで）。画像の位置情報などは削除されます。"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[UploadedFile]:
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PatientForm(Form):
    name = forms.CharField(label="氏名", max_length=100)
    name_kana = forms.CharField(label="氏名（かな）", max_length=200)
    birth_date = PastDateField(label="生年月日")
    sex = forms.ChoiceField(label="性別", choices=Sex.choices)
    municipality = forms.ModelChoiceField(label="市区町村", queryset=Municipality.objects.all(),
                                          error_messages={"invalid_choice": "市区町村を一覧から選んでください。"})
    address = forms.CharField(label="住所", max_length=300, required=False)
    phone = forms.CharField(label="電話番号", max_length=30, required=False)
    care_level = forms.ChoiceField(label="要介護度", choices=CareLevel.choices, initial=CareLevel.NOT_APPLIED)
    status = forms.ChoiceField(label="状態", choices=PatientStatus.choices, initial=PatientStatus.HOME)
    end_reason = forms.ChoiceField(label="終了理由", choices=[("", EMPTY_LABEL)] + EndReason.choices, required=False,
                                   help_text="状態が「終了」のとき")
    ended_on = PastDateField(label="終了日", required=False)


class NewPatientForm(PatientForm):
    role = forms.ChoiceField(label="あなたのチームでの役割", choices=TeamRole.choices)


class ContactForm(Form):
    name = forms.CharField(label="氏名", max_length=100)
    relationship = forms.CharField(label="続柄", max_length=40)
    phone = forms.CharField(label="電話番号", max_length=30, required=False)
    is_key_person = forms.BooleanField(label="キーパーソン", required=False)
    note = forms.CharField(label="備考", max_length=200, required=False)


class ConsentForm(Form):
    obtained_on = PastDateField(label="同意日", initial=timezone.localdate)
    method = forms.ChoiceField(label="方法", choices=ConsentMethod.choices)
    given_by = forms.ChoiceField(label="同意者", choices=ConsentGiver.choices)
    proxy_name = forms.CharField(label="代理人氏名", max_length=100, required=False)
    proxy_relationship = forms.CharField(label="代理人続柄", max_length=40, required=False)
    scope = forms.CharField(label="同意の範囲", widget=forms.Textarea(attrs={"rows": 2}), initial=DEFAULT_CONSENT_SCOPE)
    document = forms.FileField(label="同意書（スキャン）", required=False, help_text=FILE_HELP,
                               widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,application/pdf"}))


class WithdrawConsentForm(Form):
    note = forms.CharField(label="撤回の記録（いつ・誰から）", max_length=300)


class PostForm(Form):
    body = forms.CharField(label="本文", widget=forms.Textarea(attrs={"rows": 3, "placeholder": "チームへの連絡を入力"}),
                           required=False, max_length=5000)
    # A declared field: the form's metaclass moves it to base_fields, so BaseForm.files stays the uploads.
    files = MultipleFileField(label="写真・PDF", help_text=FILE_HELP)  # type: ignore[assignment]
    important = forms.BooleanField(label="重要（全員に通知）", required=False)
    mentions = forms.MultipleChoiceField(label="通知する相手（@メンション）", required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"invalid_choice": "メンションできるのはこのタイムラインのメンバーのみです。"})

    def __init__(self, *args: Any, members: Iterable[User] = (), may_mark_important: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["mentions"]).choices = [(str(u.pk), str(u)) for u in members]
        if not may_mark_important:
            # A family account does not notify the whole team: no field, so a forged `important` is ignored.
            del self.fields["important"]


def _this_minute() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class VitalsForm(Form):
    """One set of vitals; every problem of the set is told at once (rules.vitals_problems)."""

    measured_at = forms.DateTimeField(label="測定日時", initial=_this_minute,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    systolic = forms.IntegerField(label="血圧（上）mmHg", required=False)
    diastolic = forms.IntegerField(label="血圧（下）mmHg", required=False)
    pulse = forms.IntegerField(label="脈拍 回/分", required=False)
    spo2 = forms.IntegerField(label="SpO2 %", required=False)
    temperature = forms.DecimalField(label="体温 ℃", required=False, max_digits=3, decimal_places=1)
    weight = forms.DecimalField(label="体重 kg", required=False, max_digits=4, decimal_places=1)
    body = forms.CharField(label="コメント", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # BaseForm.clean returns the cleaned data
        # The values that parsed are checked by the same rule as the service, so a value out of range is told
        # in the same round as one that did not parse.
        for name, problem in vitals_problems({**dict.fromkeys(VITAL_RANGES), **data}, timezone.now()).items():
            if name is None and self.errors:
                continue  # "give at least one value" is moot when a value was given but did not parse
            if name is None or name not in self.errors:
                self.add_error(name, problem)
        return data


class EditPostForm(Form):
    body = forms.CharField(label="本文", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class InviteForm(Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="チームでの役割", choices=TeamRole.choices)
    is_manager = forms.BooleanField(label="チーム管理者にする", required=False)


class GroupForm(Form):
    name = forms.CharField(label="グループ名", max_length=100)
    description = forms.CharField(label="説明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FamilyAccountForm(Form):
    name = forms.CharField(label="氏名", max_length=100)
    relationship = forms.CharField(label="続柄（本人の場合は「本人」）", max_length=40)
    username = forms.CharField(label="ログイン用ユーザー名（半角英数字）", max_length=40)


class NotificationSettingsForm(Form):
    """Which notifications reach the phones by push, and the quiet hours (the bell shows everything)."""

    push_mention = forms.BooleanField(label="メンション（@で呼ばれたとき）", required=False)
    push_important = forms.BooleanField(label="重要な投稿", required=False)
    push_sheet = forms.BooleanField(label="自分宛ての連携シート", required=False)
    push_backbed = forms.BooleanField(label="一時入院の依頼への回答", required=False)
    quiet_start = forms.TimeField(label="通知しない時間帯（開始）", required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label="通知しない時間帯（終了）", required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                help_text="例：22:00〜07:00。この時間帯はスマートフォンに通知せず、ベル（お知らせ）にだけ残ります。")


class ReplyTemplateForm(Form):
    """One of the user's reply templates (「定型文」)."""

    body = forms.CharField(label="定型文", max_length=200, widget=forms.TextInput(attrs={"placeholder": "例：確認しました。次回訪問時に診察します。"}))
