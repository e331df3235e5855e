"""訪問看護 → ケアマネジャー 医療情報提供書: the city's unified form, once a month per patient."""
import datetime

from django.core.exceptions import ValidationError

from .base import ContentForm, choice, clins, day, flag, line, local, number, text


class NursingInfoContent(ContentForm):
    title = "医療情報提供書（訪問看護 → 介護支援専門員・市統一様式）"
    date_field = "provided_on"
    fresh_fields = ("month", "provided_on", "visits", "care_given")  # about this event only: not carried over from the previous sheet

    month = line("対象月", required=True, max_length=7, help_text="例：2025-04")
    provided_on = day("情報提供日", required=True, past=True)
    station_name = line("訪問看護ステーション名")
    nurse_name = line("記入者")
    care_manager_name = line("提供先 ケアマネジャー")
    physician = line("主治医")
    visits = number("当月の訪問回数", 0, 62)
    condition = text("病状・健康状態", required=True, rows=4)
    care_given = text("実施した看護の内容", required=True, rows=4)
    care_plan_points = text("居宅サービス計画作成上の留意点（医療的観点）", required=True, rows=4)
    emergency = text("急変時の対応・連絡先", rows=2)
    twenty_four_hour = flag("24時間対応体制加算（緊急時訪問看護加算）の算定あり",
                            help_text="夜間・早朝・深夜の訪問または緊急時訪問看護加算の体制をとっている場合")
    adl_change = choice("ADLの変化", ["変化なし", "改善", "低下"])

    sections = [
        clins("提供元・提供先", ["month", "provided_on", "station_name", "nurse_name", "care_manager_name", "physician"],
              "920"),
        clins("病状・健康状態", ["condition", "adl_change"], "330"),
        local("実施した看護", ["visits", "care_given", "twenty_four_hour"], "nursing-care"),
        local("ケアプラン作成上の留意点", ["care_plan_points", "emergency"], "care-plan-points"),
    ]

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError("対象月は「2025-04」の形で入力してください。")
        return value

    def clean(self):
        data = super().clean()
        month, provided = data.get("month"), data.get("provided_on")
        if month and provided and provided.strftime("%Y-%m") != month:
            self.add_error("provided_on", "情報提供日が対象月の中にありません。")
        return data
