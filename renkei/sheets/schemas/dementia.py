"""認知症連携シート／もの忘れ相談シート: the community support center's referral with DASC-21."""
from django import forms

from renkei.core.fields import EMPTY_LABEL
from renkei.sheets import rules

from .base import HospitalContentForm, choice, clins, day, line, local, text


class DascIntroField(forms.ChoiceField):
    """Question A or B: its own four steps, stored as the wording; never scored.

    Sheets written before the questions had their own scale stored 1–4; those still read and validate.
    """

    def __init__(self, label):
        super().__init__(label=label, required=False, help_text="採点しません（合計に含めません）。",
                         choices=[("", EMPTY_LABEL)] + [(o, o) for o in rules.DASC_INTRO_SCALE])

    def to_python(self, value):
        return self.legacy_wording(super().to_python(value))

    def prepare_value(self, value):  # an older sheet opened for editing shows its answer selected
        return self.legacy_wording(value)

    @staticmethod
    def legacy_wording(value):
        """The wording of an answer stored as 1–4 by older sheets (else the value as it is)."""
        if not isinstance(value, bool) and str(value) in ("1", "2", "3", "4"):
            return rules.DASC_INTRO_SCALE[int(value) - 1]
        return value


def _dasc_fields():
    fields = {}
    for key, question in rules.DASC_INTRO:
        fields[f"dasc_{key}"] = DascIntroField(f"問{key.upper()} {question}")
    for _, domain, items in rules.DASC_DOMAINS:
        for number, item in items:
            fields[f"dasc_{number}"] = forms.IntegerField(
                label=f"問{number} {rules.DASC_QUESTIONS[number]}", required=False, help_text=f"{domain}（{item}）",
                widget=forms.Select(choices=[("", EMPTY_LABEL)] + rules.dasc_scale(number)),
                error_messages={"invalid": f"DASC-21 問{number} は 1〜4 の整数です。"})
    return fields


DascItems = type("DascItems", (forms.Form,), _dasc_fields())
DASC_FIELDS = tuple(f"dasc_{n}" for n in range(1, rules.DASC_ITEM_COUNT + 1))


class DementiaContent(HospitalContentForm, DascItems):
    title = "認知症連携シート（もの忘れ相談シート）"
    date_field = "consulted_on"
    fresh_fields = ("consulted_on", "assessed_on", "dasc_a", "dasc_b", *DASC_FIELDS)  # about this event only: not carried over from the previous sheet

    consulted_on = day("相談日", required=True, past=True)
    center_name = line("在宅介護・地域包括支援センター", required=True)
    staff_name = line("担当者")
    consulted_by = choice("相談者", ["本人", "家族", "ケアマネジャー", "民生委員", "近隣住民", "その他"])
    reasons = text("相談・紹介の理由", required=True, rows=3)
    situation = text("本人の様子・生活状況・困りごと", rows=3)
    assessed_on = day("DASC-21 実施日", past=True)
    requests = text("もの忘れ相談医への依頼事項", rows=2)

    sections = [
        local("相談", ["consulted_on", "center_name", "staff_name", "consulted_by", "reasons", "situation"],
              "consultation"),
        local("DASC-21（地域包括ケアシステムにおける認知症アセスメントシート）",
              ["assessed_on", "dasc_a", "dasc_b", *DASC_FIELDS], "dasc21"),
        clins("紹介目的", ["requests"], "950"),
    ]

    def clean(self):
        data = super().clean()
        # A draft may leave items blank (the interview is often done in two visits); finalising needs all 21.
        score = rules.dasc21(dasc_answers(data), require_all=self.finalising)
        for reason in score.reasons:
            self.add_error(None, reason)
        return data

    def scores(self):
        score = rules.dasc21(dasc_answers(self.cleaned_data), require_all=False)
        if score.total is None:
            return {}  # the total is only meaningful once all 21 items are answered
        return {"dasc21": score.total, "dasc21_note": score.note} | {f"dasc21_{k}": v for k, v in score.subtotals.items()}

    @classmethod
    def summaries(cls, content):
        """The DASC-21 profile by domain (sum out of maximum), computed from the answers whatever was stored."""
        profile = rules.dasc_profile(dasc_answers(content))
        if not any(domain.answered for domain in profile):
            return []  # DASC-21 not done (yet): no block of empty domains
        rows = []
        for domain in profile:
            if domain.score is not None:
                value = f"{domain.score} / {domain.maximum} 点"
            else:
                value = f"未回答あり（{domain.answered}/{domain.items} 問回答）"
            rows.append((f"{domain.label}（問{domain.first}〜{domain.last}）", value))
        return [("dasc21", local("DASC-21 領域別プロフィール", [], "dasc21-profile"), rows)]

    @classmethod
    def display_field(cls, name, value):
        if name in ("dasc_a", "dasc_b"):
            value = DascIntroField.legacy_wording(value)
        return super().display_field(name, value)


def dasc_answers(data):
    """The item answers {"1": value, …} from content or cleaned data."""
    return {str(n): data.get(f"dasc_{n}") for n in range(1, rules.DASC_ITEM_COUNT + 1)}
