"""認知症連携シート／もの忘れ相談シート: the community support center's referral with DASC-21."""
from django import forms

from renkei.sheets import rules

from .base import HospitalContentForm, choice, clins, day, line, local, text


def _dasc_fields():
    scale = [("", "—")] + rules.DASC_SCALE
    fields = {}
    for key, label in rules.DASC_INTRO:
        fields[f"dasc_{key}"] = forms.IntegerField(label=label, required=False, min_value=1, max_value=4,
                                                   widget=forms.Select(choices=scale))
    for _, domain, items in rules.DASC_DOMAINS:
        for number, item in items:
            fields[f"dasc_{number}"] = forms.IntegerField(
                label=f"問{number} {domain}（{item}）", required=False, widget=forms.Select(choices=scale),
                error_messages={"invalid": f"DASC-21 問{number} は 1〜4 の整数です。"})
    return fields


DascItems = type("DascItems", (forms.Form,), _dasc_fields())
DASC_FIELDS = tuple(f"dasc_{n}" for n in range(1, rules.DASC_ITEM_COUNT + 1))


class DementiaContent(HospitalContentForm, DascItems):
    title = "認知症連携シート（もの忘れ相談シート）"
    date_field = "consulted_on"
    fresh_fields = ("consulted_on", "assessed_on", "dasc_a", "dasc_b", *DASC_FIELDS)  # about this event only: not carried over from the previous sheet

    consulted_on = day("相談日", required=True)
    center_name = line("在宅介護・地域包括支援センター", required=True)
    staff_name = line("担当者")
    consulted_by = choice("相談者", ["本人", "家族", "ケアマネジャー", "民生委員", "近隣住民", "その他"])
    reasons = text("相談・紹介の理由", required=True, rows=3)
    situation = text("本人の様子・生活状況・困りごと", rows=3)
    assessed_on = day("DASC-21 実施日")
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
        score = rules.dasc21({str(n): data.get(f"dasc_{n}") for n in range(1, rules.DASC_ITEM_COUNT + 1)})
        for reason in score.reasons:
            self.add_error(None, reason)
        return data

    def scores(self):
        score = rules.dasc21({str(n): self.cleaned_data.get(f"dasc_{n}") for n in range(1, rules.DASC_ITEM_COUNT + 1)})
        return {"dasc21": score.total, "dasc21_note": score.note} | {f"dasc21_{k}": v for k, v in score.subtotals.items()}
