"""Forms of the core app: login, second factor, registration, staff decisions, audit search."""
import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import jaconv
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone

from .audit import Action
from .fields import EMPTY_LABEL, ConventionsMixin, Form
from .models import Facility, FacilityKind, Municipality, Profession, RegistrationStatus, User

if TYPE_CHECKING:  # these Django classes are generic only in django-stubs (not subscriptable when the site runs)
    from .access import Viewer

    _FacilityChoiceBase = forms.ModelChoiceField[Facility]
    _UserChoiceBase = forms.ModelChoiceField[User]
    _SetPasswordBase = SetPasswordForm[User]
else:
    _FacilityChoiceBase = forms.ModelChoiceField
    _UserChoiceBase = forms.ModelChoiceField
    _SetPasswordBase = SetPasswordForm


class LoginForm(ConventionsMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。",
        "inactive": "このアカウントは利用できません（審査中・却下・退会のいずれかです）。",
    }
    # Told only to someone who gave the right password, so it reveals nothing to a guesser.
    status_messages: dict[str, str] = {
        RegistrationStatus.PENDING: "登録申請は審査中です。市の担当者が承認するとログインできるようになります。",
        RegistrationStatus.REJECTED: "登録申請は承認されませんでした。詳しくは市の担当者にお問い合わせください。",
        RegistrationStatus.WITHDRAWN: "このアカウントは退会済みのため、ログインできません。",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                account = User.objects.filter(username=self.cleaned_data.get("username")).first()
                message = self.status_messages.get(account.registration_status) if account is not None else None
                if message and account is not None and account.check_password(self.cleaned_data.get("password") or ""):
                    raise forms.ValidationError(message, code="not_approved") from error
            raise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ユーザー名"
        self.fields["password"].label = "パスワード"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class OTPForm(Form):
    otp = forms.CharField(
        label="確認コード",
        max_length=16,
        help_text="認証アプリに表示される6桁のコード、またはバックアップコード",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_otp(self) -> str:
        otp: str = self.cleaned_data["otp"]
        return otp.strip().replace(" ", "")


KANA_ALLOWED = re.compile(r"^[\u30a0-\u30ff\u3000 ・ー]+$")
PHONE = re.compile(r"^[0-9０-９\-－ー() （）]{10,20}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,30}$")


class FacilityChoiceField(_FacilityChoiceBase):
    def label_from_instance(self, obj: Facility) -> str:
        return f"{obj.name}（{obj.municipality.name}・{obj.get_kind_display()}）"


class RegistrationForm(Form):
    """The public application to join the regional ICT network."""

    name = forms.CharField(label="氏名", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label="氏名（カナ）", max_length=200, help_text="全角カタカナ（ひらがなでも入力できます）")
    profession = forms.ChoiceField(label="職種", choices=[("", EMPTY_LABEL)] + Profession.choices)
    facility_search = forms.CharField(
        label="所属事業所を名前で絞り込む",
        required=False,
        max_length=100,
        help_text="名前の一部（かなも可）を入力すると、下の一覧が絞り込まれます。",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-get": reverse_lazy("core:facility_options"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#id_facility",
                "hx-swap": "innerHTML",
            }
        ),
    )
    facility = FacilityChoiceField(
        label="所属事業所",
        queryset=Facility.objects.select_related("municipality").order_by("municipality__code", "name_kana", "name"),
        required=False,
        empty_label="一覧から選択してください",
        help_text="一覧にない場合は空欄のまま、下の「一覧にない事業所」欄に入力してください。",
        error_messages={
            "invalid_choice": "選択された事業所が見つかりません。一覧から選び直すか、一覧にない事業所として入力してください。"
        },
    )
    facility_name = forms.CharField(label="一覧にない事業所の名称", max_length=200, required=False)
    facility_kind = forms.ChoiceField(
        label="一覧にない事業所の種別", choices=[("", EMPTY_LABEL)] + FacilityKind.choices, required=False
    )
    facility_municipality = forms.ModelChoiceField(
        label="一覧にない事業所の市区町村",
        queryset=Municipality.objects.order_by("code"),
        required=False,
        empty_label=EMPTY_LABEL,
        error_messages={"invalid_choice": "選択された市区町村が見つかりません。"},
    )
    phone = forms.CharField(
        label="連絡先電話番号",
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text="日中に連絡のつく番号（例: 0422-00-0000）",
    )
    email = forms.EmailField(label="メールアドレス", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    username = forms.CharField(
        label="ユーザー名",
        max_length=30,
        help_text="ログインに使う名前。半角英数字と _ . - で3〜30文字",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label="パスワード",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="12文字以上。英字・数字・記号のうち2種類以上を含め、氏名やユーザー名に似たものは使えません。",
    )
    password2 = forms.CharField(
        label="パスワード（確認）", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    agree = forms.BooleanField(
        label="患者の個人情報の取扱いと、ICT連携ネットワークの運用ルールを守ることに同意します",
        error_messages={"required": "同意いただけない場合は登録できません。"},
    )

    def clean_name_kana(self) -> str:
        kana = jaconv.hira2kata(jaconv.h2z(self.cleaned_data["name_kana"].strip(), kana=True, digit=False, ascii=False))
        if not KANA_ALLOWED.match(kana):
            raise forms.ValidationError("氏名（カナ）はカタカナで入力してください。")
        return kana

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if not USERNAME.match(username):
            raise forms.ValidationError("ユーザー名は半角英数字と _ . - で3〜30文字にしてください。")
        # Whether the name is taken is told by mail, never here (services.apply_for_registration).
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        return email.strip()

    def clean_phone(self) -> str:
        phone = jaconv.z2h(self.cleaned_data["phone"].strip(), digit=True, ascii=True)
        if not PHONE.match(phone) or sum(c.isdigit() for c in phone) < 10:
            raise forms.ValidationError("電話番号は市外局番から数字で入力してください（例: 0422-00-0000）。")
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        if not data.get("facility") and "facility" not in self.errors:
            if not data.get("facility_name"):
                self.add_error(
                    "facility",
                    "所属事業所を一覧から選んでください。一覧にない場合は、事業所名・種別・市区町村を入力してください。",
                )
            else:
                if not data.get("facility_kind"):
                    self.add_error("facility_kind", "一覧にない事業所の種別を選んでください。")
                if not data.get("facility_municipality") and "facility_municipality" not in self.errors:
                    self.add_error("facility_municipality", "一覧にない事業所の市区町村を選んでください。")
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "確認用のパスワードが一致しません。")
        elif password1:
            candidate = User(username=data.get("username", ""), name=data.get("name", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ApproveForm(Form):
    past_dates = ("approved_on",)
    approved_on = forms.DateField(
        label="登録日", widget=forms.DateInput(attrs={"type": "date"}), help_text="会員数の集計に使う日付です。"
    )
    facility = FacilityChoiceField(
        label="所属事業所",
        queryset=Facility.objects.select_related("municipality").order_by("municipality__code", "name_kana", "name"),
        required=False,
        empty_label="申請された事業所を新しく登録する",
        error_messages={"invalid_choice": "選択された事業所が見つかりません。"},
    )

    municipalities = forms.ModelMultipleChoiceField(
        label="担当する市区町村",
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="市職員・コーディネーターとして事業記録・市の事業・報告を扱う市区町村（あなたが担当する市区町村から選べます）。",
        error_messages={"invalid_choice": "選択された市区町村は選べません。"},
    )

    def __init__(self, *args: Any, applicant: User, approver: User | None = None, **kwargs: Any) -> None:
        from renkei.core.access import my_municipalities
        from renkei.core.services import acts_for_municipalities_on_approval

        super().__init__(*args, **kwargs)
        self.fields["approved_on"].initial = timezone.localdate()
        if not applicant.applied_facility_name:
            # The applicant chose a listed facility: nothing to choose on approval.
            del self.fields["facility"]
        if applicant.profession in (Profession.MUNICIPAL, Profession.COORDINATOR) and approver is not None:
            field = cast("forms.ModelMultipleChoiceField[Municipality]", self.fields["municipalities"])
            field.queryset = my_municipalities(approver)
            self.fields["municipalities"].initial = acts_for_municipalities_on_approval(applicant, approver)
        else:
            del self.fields["municipalities"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        if "municipalities" in self.fields and not data.get("municipalities") and "municipalities" not in self.errors:
            self.add_error("municipalities", "担当する市区町村を1つ以上選んでください。")
        return data


class RejectForm(Form):
    reason = forms.CharField(
        label="却下の理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="申請者に伝える理由（例: 所属事業所の確認が取れませんでした）",
        error_messages={"required": "却下の理由を入力してください。"},
    )


class WithdrawForm(Form):
    past_dates = ("withdrawn_on",)
    withdrawn_on = forms.DateField(label="退会日", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="理由・備考", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class AsOfForm(Form):
    date = forms.DateField(label="基準日", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def as_of(self) -> datetime.date:
        """The chosen date, today when none or an invalid one was given."""
        chosen: datetime.date | None = self.cleaned_data["date"] if self.is_valid() else None
        if chosen:
            return chosen
        return timezone.localdate()


class AuditSearchForm(Form):
    actor = forms.CharField(label="操作した人（ユーザー名）", required=False, max_length=150)
    action = forms.CharField(
        label="操作",
        required=False,
        max_length=40,
        help_text="例: read, export, login.failure（候補から選べます）",
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off"}),
    )
    date_from = forms.DateField(label="期間（から）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="期間（まで）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    patient_id = forms.CharField(label="患者ID", required=False, max_length=64)
    object_type = forms.CharField(label="対象の種類", required=False, max_length=60, help_text="例: network.patient")
    object_id = forms.CharField(label="対象ID", required=False, max_length=64)

    known_actions = Action.all()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "期間の終わりは始まり以降の日付にしてください。")
        return data

    def filters(self) -> dict[str, Any] | None:
        """Keyword arguments for selectors.audit_events (empty when the form is invalid)."""
        if not self.is_valid():
            return None
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in self.cleaned_data.items()}


FACILITY_REGISTERED = "施設管理者による登録"  # the decision reason of accounts a facility administrator made


class JapanesePasswordResetForm(ConventionsMixin, PasswordResetForm):
    """Django's reset form, sending mail only to approved accounts — also to one a facility administrator
    registered that has not set its first password yet (Django's own form skips unusable passwords)."""

    email = forms.EmailField(label="メールアドレス", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email: str) -> Iterable[User]:
        found = User.objects.filter(email__iexact=email, is_active=True,
                                    registration_status=RegistrationStatus.APPROVED)
        return (u for u in found if u.email.casefold() == email.casefold()
                and (u.has_usable_password() or u.decision_reason == FACILITY_REGISTERED))


class JapaneseSetPasswordForm(ConventionsMixin, _SetPasswordBase):
    error_messages = {"password_mismatch": "確認用のパスワードが一致しません。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新しいパスワード"
        self.fields["new_password2"].label = "新しいパスワード（確認）"
        self.fields["new_password1"].help_text = RegistrationForm.base_fields["password1"].help_text


class JapanesePasswordChangeForm(JapaneseSetPasswordForm, PasswordChangeForm):
    """Change one's password: the current one first, then the new one twice."""

    error_messages = {
        **JapaneseSetPasswordForm.error_messages,
        "password_incorrect": "現在のパスワードが正しくありません。",
    }
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "現在のパスワード"


def add_municipality_field(form: forms.BaseForm, user: "Viewer", *,
                           label: str = "市区町村") -> "forms.ModelChoiceField[Municipality]":
    """Give a records/programs form the city its new record belongs to, among the cities the user acts for:
    a select when there are several, a hidden field holding the only one otherwise. The value is
    checked against the user's cities, so a forged id is an error on the field, never another city."""
    from renkei.core.access import my_municipalities

    cities = my_municipalities(user)
    field = forms.ModelChoiceField(
        label=label, queryset=cities, empty_label=None,
        error_messages={"invalid_choice": "選択された市区町村は選べません。", "required": "市区町村を選んでください。"},
    )
    only = list(cities[:2])
    if len(only) == 1:
        field.widget = forms.HiddenInput()
        field.initial = only[0].pk
    form.fields["municipality"] = field
    return field


class StaffFileForm(Form):
    """The facility administrator's CSV of registrations and withdrawals (UTF-8 or CP932)."""

    file = forms.FileField(label="職員のCSVファイル",
                           help_text="列：氏名, ふりがな, 職種, メールアドレス, 操作（登録／退職）, 後任メールアドレス（退職で"
                                     "ケアチームの担当がある方のみ）。文字コードは UTF-8 または Shift_JIS（CP932）。")


class StaffFileConfirmForm(Form):
    """The previewed file, sent back unchanged to be applied (it is checked again when applied)."""

    csv_text = forms.CharField(label="CSVの内容", widget=forms.HiddenInput, max_length=2_000_000, strip=False)


class PersonChoiceField(_UserChoiceBase):
    """A member of the facility as 「氏名（職種・メールアドレス）」."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name}（{obj.get_profession_display()}・{obj.email}）"


class WithdrawPersonForm(Form):
    """Withdraw one member of the facility; a colleague takes over their care-team places."""

    successor = PersonChoiceField(label="ケアチームの担当を引き継ぐ職員", queryset=User.objects.none(), required=False,
                                  help_text="担当がある場合は必ず選んでください。")

    def __init__(self, *args: Any, colleagues: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        successor = self.fields["successor"]
        assert isinstance(successor, forms.ModelChoiceField)
        successor.queryset = colleagues if colleagues is not None else User.objects.none()


class NominateForm(Form):
    """A member of a facility nominates a colleague (or themselves) as its facility administrator."""

    facility = forms.ModelChoiceField(label="事業所", queryset=Facility.objects.none())
    nominee = PersonChoiceField(label="施設管理者に推薦する職員", queryset=User.objects.none())
    reason = forms.CharField(label="推薦の理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             required=False)

    def __init__(self, *args: Any, facilities: QuerySet[Facility] | None = None,
                 colleagues: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("facility", facilities), ("nominee", colleagues)):
            choice = self.fields[name]
            assert isinstance(choice, forms.ModelChoiceField)
            choice.queryset = queryset if queryset is not None else choice.queryset


class NominationDecisionForm(Form):
    """Staff approve, reject or revoke a facility-administrator nomination."""

    decision = forms.ChoiceField(label="判断", choices=[("approve", "承認"), ("reject", "却下"), ("revoke", "取消")])
    reason = forms.CharField(label="理由（却下・取消のとき必須）", widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=1000, required=False)
