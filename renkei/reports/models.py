"""The annual report's own data: narrative lines staff write or approve, and aggregate figures
of the years before the system existed."""
from django.conf import settings
from django.db import models

from renkei.core.figures import ITEMS
from renkei.core.models import city_of_record

ITEM_CHOICES = [(key, label) for key, label in ITEMS.items()]


class HistoricalFigure(models.Model):
    """A figure of a fiscal year before Renkei, entered once from a dated source document.

    It is shown only where no records of the same fiscal year and key exist.
    """

    municipality = city_of_record()
    fiscal_year = models.PositiveSmallIntegerField("年度（西暦の開始年）", db_index=True)
    item = models.CharField("事業項目", max_length=4, choices=ITEM_CHOICES)
    key = models.CharField(
        "キー", max_length=100, help_text="記録から数える数値と同じキー（例：records.consultations）"
    )
    label = models.CharField("表示名", max_length=200)
    value = models.PositiveIntegerField("値")
    unit = models.CharField("単位", max_length=20, default="件")
    source = models.CharField("出典", max_length=200, help_text="例：資料2（令和4年3月28日）")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fiscal_year", "item", "key"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fiscal_year", "key"], name="historical_figure_unique")
        ]
        verbose_name = verbose_name_plural = "過去の集計値"

    def __str__(self):
        return f"{self.fiscal_year} {self.label} {self.value}{self.unit}"


class ReportLine(models.Model):
    """A short narrative line of one cell of the report (fiscal year × item).

    `{key}` in the text is replaced by that figure's value (counted from records, or the
    historical figure), so a line such as 「相談実績 {records.consultations}件」 never holds a typed number.
    """

    municipality = city_of_record()
    fiscal_year = models.PositiveSmallIntegerField("年度（西暦の開始年）", db_index=True)
    item = models.CharField("事業項目", max_length=4, choices=ITEM_CHOICES)
    text = models.CharField("記述", max_length=500)
    order = models.PositiveSmallIntegerField("表示順", default=0)
    approved = models.BooleanField("承認済み", default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField("出典", max_length=200, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fiscal_year", "item", "order", "id"]
        verbose_name = verbose_name_plural = "報告の記述"

    def __str__(self):
        return self.text
