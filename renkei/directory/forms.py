"""Forms of the directory: the search filters and the facility administrator's edit form."""
from django import forms

from renkei.core.fields import Form
from renkei.core.models import FacilityKind

from . import selectors
from .models import ContactChannel, Weekday
from .taxonomy import CAPABILITY_CHOICES

WEEKDAY_CHOICES = [("", "指定なし")] + [(str(v), f"{label}曜日" if v < 8 else "祝日") for v, label in Weekday.choices]
RADIUS_CHOICES = [("", "指定なし"), ("500", "500 m 以内"), ("1000", "1 km 以内"), ("2000", "2 km 以内"),
                  ("3000", "3 km 以内"), ("5000", "5 km 以内")]


class SearchForm(Form):
    """Only renders the filters; parsing and validation are selectors.parse_params (shared with the API)."""

    q = forms.CharField(label="名称・かな・住所", required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "例：歯科 きちじょうじ"}))
    kind = forms.MultipleChoiceField(label="種別", required=False, choices=FacilityKind.choices,
                                     widget=forms.CheckboxSelectMultiple)
    municipality = forms.ChoiceField(label="市区町村", required=False)
    town = forms.CharField(label="町名・丁目", required=False,
                           widget=forms.TextInput(attrs={"placeholder": "例：境南町"}))
    near = forms.CharField(label="この場所の近く（距離順）", required=False, max_length=200,
                           help_text="駅名・町名・住所・市役所・病院などの施設名",
                           widget=forms.TextInput(attrs={"placeholder": "例：三鷹駅、吉祥寺本町、武蔵野赤十字病院"}))
    radius_m = forms.ChoiceField(label="距離", required=False, choices=RADIUS_CHOICES)
    area = forms.CharField(label="訪問してくれる地域", required=False,
                           widget=forms.TextInput(attrs={"placeholder": "例：三鷹市"}))
    language = forms.CharField(label="対応言語", required=False, widget=forms.TextInput(attrs={"placeholder": "例：英語"}))
    capability = forms.MultipleChoiceField(label="機能・対応", required=False, choices=CAPABILITY_CHOICES,
                                           widget=forms.CheckboxSelectMultiple)
    weekday = forms.ChoiceField(label="営業・診療している曜日", required=False, choices=WEEKDAY_CHOICES)
    accepting = forms.BooleanField(label="新規の受け入れ可のみ", required=False)
    include_closed = forms.BooleanField(label="廃止・休止も表示", required=False)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, error_field="", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_field = error_field
        near = self.fields["near"].widget.attrs
        near["aria-describedby"] = "near-help near-error" if error_field == "near" else "near-help"
        if error_field == "near":
            near["aria-invalid"] = "true"
        self.fields["municipality"].choices = [("", "圏域のすべての市")] + [
            (m.code, m.name) for m in selectors.municipalities()]


ACCEPTING_CHOICES = [("", "未回答"), ("yes", "受け入れ可"), ("no", "受け入れ停止中")]


def _count_field(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=999)


class FacilityEditForm(Form):
    """What a facility administrator keeps current; submitted as a change request."""

    accepting = forms.ChoiceField(label="新規の受け入れ", required=False, choices=ACCEPTING_CHOICES)
    vacancies = _count_field("空き（床・枠の数）")
    capabilities = forms.MultipleChoiceField(label="機能・対応", required=False, choices=CAPABILITY_CHOICES,
                                             widget=forms.CheckboxSelectMultiple)
    pt_count = _count_field("理学療法士（PT）の人数")
    ot_count = _count_field("作業療法士（OT）の人数")
    st_count = _count_field("言語聴覚士（ST）の人数")
    languages = forms.CharField(label="日本語以外の対応言語", required=False, max_length=200,
                                help_text="例：英語、中国語（読点で区切る）")
    areas = forms.CharField(label="訪問・サービス提供地域", required=False, max_length=500,
                            help_text="市区町村名や町名を読点で区切って入力（例：武蔵野市、三鷹市下連雀）")
    hours_note = forms.CharField(label="営業日・診療日の補足", required=False, max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label="紹介文", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Weekday.choices:
            name = "祝日" if value == 8 else f"{label}曜日"
            self.fields[f"day_{value}"] = forms.BooleanField(label=f"{name}に営業・診療", required=False)
            self.fields[f"opens_{value}"] = forms.TimeField(
                label=f"{name} 開始", required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                error_messages={"invalid": "時刻を 09:00 の形で入力してください。"})
            self.fields[f"closes_{value}"] = forms.TimeField(
                label=f"{name} 終了", required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                error_messages={"invalid": "時刻を 18:00 の形で入力してください。"})

    def day_rows(self):
        return [(self[f"day_{v}"], self[f"opens_{v}"], self[f"closes_{v}"]) for v, _l in Weekday.choices]

    def main_fields(self):
        return [self[name] for name in ("accepting", "vacancies", "capabilities", "pt_count", "ot_count", "st_count",
                                        "languages", "areas", "hours_note", "description")]

    def clean(self):
        data = super().clean()
        for value, _label in Weekday.choices:
            opens, closes = data.get(f"opens_{value}"), data.get(f"closes_{value}")
            if opens and closes and opens >= closes:
                self.add_error(f"closes_{value}", "終了時刻は開始時刻より後にしてください。")
            if (opens or closes) and not data.get(f"day_{value}"):
                self.add_error(f"day_{value}", "時刻を入れた曜日には、営業・診療のチェックを付けてください。")
        return data

    def payload(self):
        """The change request payload (JSON)."""
        data = self.cleaned_data
        split = lambda text: [p.strip() for p in text.replace(",", "、").split("、") if p.strip()]  # noqa: E731
        return {
            "accepting_new": {"yes": True, "no": False}.get(data["accepting"]),
            "vacancies": data["vacancies"],
            "capabilities": sorted(data["capabilities"]),
            "pt_count": data["pt_count"], "ot_count": data["ot_count"], "st_count": data["st_count"],
            "languages": "、".join(split(data["languages"])),
            "areas": split(data["areas"]),
            "hours_note": data["hours_note"], "description": data["description"],
            "schedules": [
                {"weekday": v,
                 "opens_at": data[f"opens_{v}"].isoformat("minutes") if data.get(f"opens_{v}") else None,
                 "closes_at": data[f"closes_{v}"].isoformat("minutes") if data.get(f"closes_{v}") else None}
                for v, _l in Weekday.choices if data.get(f"day_{v}")
            ],
        }

    @classmethod
    def initial_for(cls, facility):
        profile = facility.profile
        initial = {
            "accepting": {True: "yes", False: "no"}.get(profile.accepting_new, ""),
            "vacancies": profile.vacancies, "pt_count": profile.pt_count, "ot_count": profile.ot_count,
            "st_count": profile.st_count, "languages": profile.languages, "hours_note": profile.hours_note,
            "description": profile.description,
            "capabilities": [c.code for c in facility.capabilities.all()],
            "areas": "、".join(a.name for a in facility.directory_areas.all()),
        }
        for schedule in facility.directory_schedules.all():
            initial[f"day_{schedule.weekday}"] = True
            initial.setdefault(f"opens_{schedule.weekday}", schedule.opens_at)
            initial.setdefault(f"closes_{schedule.weekday}", schedule.closes_at)
        return initial


# ---------------------------------------------------------------- professionals only

WINDOW_WEEKDAY_CHOICES = [("", "（この行を使わない）")] + WEEKDAY_CHOICES[1:]


class WindowForm(Form):
    """One consultation window (a row of the windows formset)."""

    weekday = forms.ChoiceField(label="曜日", required=False, choices=WINDOW_WEEKDAY_CHOICES)
    starts_at = forms.TimeField(label="開始", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="終了", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    channel = forms.ChoiceField(label="連絡方法", choices=ContactChannel.choices)
    direct_number = forms.CharField(label="直通番号", required=False, max_length=30)
    note = forms.CharField(label="備考", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "例：訪問診療の新規相談は火曜14時〜"}))

    def clean(self):
        data = super().clean()
        if data.get("weekday") and not (data.get("starts_at") and data.get("ends_at")):
            raise forms.ValidationError("曜日を選んだ行には開始と終了の時刻を入れてください。")
        return data


WindowFormSet = forms.formset_factory(WindowForm, extra=3, max_num=21)


class CapacityForm(Form):
    """Today's answer: new patients or not, and with what."""

    accepting_new = forms.ChoiceField(label="新規の受け入れ", choices=[("yes", "受け入れ可"), ("no", "受け入れ停止中")],
                                      widget=forms.RadioSelect)
    flags = forms.MultipleChoiceField(label="対応できること", required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.CharField(label="対応言語", required=False, max_length=200,
                                widget=forms.TextInput(attrs={"placeholder": "例：英語、中国語"}))
    note = forms.CharField(label="補足", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        from .windows import CAPACITY_FLAGS, flag_label

        super().__init__(*args, **kwargs)
        self.fields["flags"].choices = [(f, flag_label(f)) for f in CAPACITY_FLAGS]


WHEN_CHOICES = [("", "いつでも"), ("today", "今日受け付けている"), ("now", "いま受け付けている")]


class _ProviderFilters(Form):
    q = forms.CharField(label="名称・かな・住所", required=False)
    municipality = forms.ChoiceField(label="市区町村", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて")] + list(FacilityKind.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "圏域のすべての市")] + [
            (m.code, m.name) for m in selectors.municipalities()]


class WindowFilterForm(_ProviderFilters):
    """Filters of the windows list (parsed by windows.windows_list)."""

    when = forms.ChoiceField(label="受付", required=False, choices=WHEN_CHOICES)


class ProviderSearchForm(_ProviderFilters):
    """Filters of the provider search for a referral (parsed by selectors.parse_params and referrals.parse_need)."""

    near = forms.CharField(label="この町の近く（距離順）", required=False,
                           widget=forms.TextInput(attrs={"placeholder": "例：吉祥寺本町"}))
    radius_m = forms.ChoiceField(label="距離", required=False, choices=RADIUS_CHOICES)
    need = forms.MultipleChoiceField(label="必要な対応", required=False, widget=forms.CheckboxSelectMultiple)
    new = forms.BooleanField(label="新規受け入れ可（1か月以内に確認された回答）", required=False)
    fresh = forms.BooleanField(label="1か月以内に確認された事業所のみ", required=False)
    window = forms.ChoiceField(label="相談受付", required=False,
                               choices=[("", "指定なし"), ("today", "今日相談できる"), ("now", "いま相談できる")])

    def __init__(self, *args, **kwargs):
        from .windows import CAPACITY_FLAGS, flag_label

        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [(f, flag_label(f)) for f in CAPACITY_FLAGS]
        self.order_fields(["near", "radius_m", "kind", "need", "new", "fresh", "window", "municipality", "q"])


class ReferralForm(Form):
    need = forms.CharField(label="依頼内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="氏名など個人が特定できる情報は書かないでください。患者の情報は、受け入れが決まり"
                                     "ケアチームに参加した事業所だけが見られます。")
    patient = forms.ChoiceField(label="ケアチームに招待する患者（任意）", required=False)

    def __init__(self, *args, patients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [("", "指定しない")] + [(str(p.pk), p.name) for p in patients]


class AnswerForm(Form):
    decision = forms.ChoiceField(label="回答", choices=[("accept", "受け入れる"), ("decline", "お断りする")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label="理由・連絡事項", required=False, max_length=300)
