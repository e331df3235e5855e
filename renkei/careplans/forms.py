"""The care plan import form (the files are read and checked in services.import_plan)."""
from django import forms

from renkei.core.fields import Form


class CsvFilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CsvFilesField(forms.FileField):
    """One or several CSV files in one field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CsvFilesInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            cleaned = [super(CsvFilesField, self).clean(d, initial) for d in data if d]
            if not cleaned:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return cleaned
        return [super().clean(data, initial)]


class ImportForm(Form):
    csv_files = CsvFilesField(label="CSV ファイル",
                          help_text="標準仕様の補足情報・第1表・第2表・第3表・第6表・第7表の CSV（Shift_JIS または UTF-8）。複数まとめて選べます。")
