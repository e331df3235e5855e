"""The お薬手帳 reading form: photos of its QR codes, a JAHIS file, or the text a camera read."""
from django import forms
from django.conf import settings

from renkei.core.fields import Form
from renkei.network.forms import MultipleFileField, MultipleFileInput

from .models import Source

ACCEPT = "image/*,.txt,.csv,text/plain,text/csv"


class ReadForm(Form):
    uploads = MultipleFileField(
        label="QR コードの写真・JAHIS ファイル",
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=f"お薬手帳の QR コードを撮った写真（分割された QR コードはすべて）、または薬局の JAHIS 形式の"
                  f"ファイル（1ファイル {settings.MAX_UPLOAD_MB} MB まで）。")
    text = forms.CharField(label="読み取った文字列", required=False, max_length=200_000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="「JAHISTC」で始まる文字列を貼り付けることもできます。")
    source = forms.ChoiceField(choices=[(Source.TEXT, Source.TEXT.label), (Source.CAMERA, Source.CAMERA.label)],
                               required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("uploads") and not (data.get("text") or "").strip():
            raise forms.ValidationError("QR コードの写真かファイルを選ぶか、読み取った文字列を入力してください。")
        return data
