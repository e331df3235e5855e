"""A patient's care plan (居宅サービス計画) as received from the care manager's CSV files, version by version."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from renkei.network.models import Patient


class CarePlan(models.Model):
    """One version of a patient's plan: the header of the files it was read from, and who imported it.

    Each import makes a new version; the one before stays (is_current False, superseded_at set) as history.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_plans")
    version = models.PositiveIntegerField("版")
    is_current = models.BooleanField("現行", default=True)
    insurer_number = models.CharField("保険者番号", max_length=6)
    insured_number = models.CharField("被保険者番号", max_length=10, db_index=True)
    created_on = models.CharField("作成年月日", max_length=8, help_text="YYYYMMDD（CSV のまま）")
    office_number = models.CharField("居宅介護支援事業所番号", max_length=10)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField("取り込み日時", default=timezone.now)
    superseded_at = models.DateTimeField("新しい版に置き換えた日時", null=True, blank=True)

    class Meta:
        ordering = ["patient", "-version"]
        verbose_name = verbose_name_plural = "ケアプラン"
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="careplan_unique_version"),
            models.UniqueConstraint(fields=["patient"], condition=models.Q(is_current=True),
                                    name="careplan_one_current_per_patient"),
        ]

    def __str__(self):
        return f"{self.patient_id} 第{self.version}版 ({self.created_on})"


class CarePlanTable(models.Model):
    """The records of one file of a plan version in the standard's layout, exactly as read: 補足情報 (once for the
    plan, 対象年月 "", and once per 対象年月), 第1表, 第2表, 第3表, 第6表・第7表 once per 対象年月."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="tables")
    table = models.PositiveSmallIntegerField("表", choices=[(1, "第1表"), (2, "第2表"), (3, "第3表"), (6, "第6表"), (7, "第7表"),
                                                                 (9, "補足情報")])
    month = models.CharField("対象年月", max_length=6, blank=True, help_text="YYYYMM（第6表・第7表・月の補足情報）")
    records = models.JSONField("データレコード", default=list)
    source_name = models.CharField("元のファイル名", max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "table", "month"]
        verbose_name = verbose_name_plural = "ケアプランの表"
        constraints = [models.UniqueConstraint(fields=["plan", "table", "month"], name="careplan_table_unique")]

    def __str__(self):
        return f"{self.plan_id} 第{self.table}表 {self.month}"
