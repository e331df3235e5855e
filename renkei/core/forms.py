"""Forms of the core app (login, second factor)."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。",
        "inactive": "このアカウントは利用できません（審査中・却下・退会のいずれかです）。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ユーザー名"
        self.fields["password"].label = "パスワード"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class OTPForm(forms.Form):
    otp = forms.CharField(
        label="確認コード",
        max_length=16,
        help_text="認証アプリに表示される6桁のコード、またはバックアップコード",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_otp(self):
        return self.cleaned_data["otp"].strip().replace(" ", "")
