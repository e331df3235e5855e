"""A patient's medication list: dispensings (調剤) read from お薬手帳 codes, and the drugs of each."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    CAMERA = "camera", "カメラで読み取り"
    IMAGE = "image", "QR コードの画像"
    TEXT = "text", "読み取った文字列"
    FILE = "file", "JAHIS 形式のファイル"


class Dispensing(models.Model):
    """One dispensing of a pharmacy on one day, as the お薬手帳 data gave it (JAHIS records 5, 11, 15, 51, 55)."""

    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="dispensings")
    dispensed_on = models.DateField("調剤日")
    pharmacy_name = models.CharField("調剤薬局", max_length=200, blank=True)
    pharmacy_code = models.CharField("薬局コード", max_length=20, blank=True)
    pharmacy_phone = models.CharField("薬局の電話番号", max_length=40, blank=True)
    pharmacist_name = models.CharField("薬剤師", max_length=100, blank=True)
    institution_name = models.CharField("処方医療機関", max_length=200, blank=True)
    institution_code = models.CharField("医療機関コード", max_length=20, blank=True)
    physician_name = models.CharField("処方医", max_length=100, blank=True)
    department = models.CharField("診療科", max_length=100, blank=True)
    notes = models.TextField("注意・備考", blank=True)
    version = models.CharField("データ形式", max_length=20)
    records = models.TextField("読み取ったレコード")
    fingerprint = models.CharField(max_length=64)
    source = models.CharField("読み取り方法", max_length=20, choices=Source.choices)
    imported_at = models.DateTimeField("取り込み日時", default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="取り込んだアカウント")

    class Meta:
        ordering = ["-dispensed_on", "-id"]
        verbose_name = verbose_name_plural = "調剤（お薬手帳）"
        constraints = [models.UniqueConstraint(fields=["patient", "fingerprint"], name="dispensing_read_once")]
        indexes = [models.Index(fields=["patient", "-dispensed_on"], name="dispensing_by_patient_date")]

    def __str__(self):
        return f"{self.dispensed_on} {self.pharmacy_name}"


class Medication(models.Model):
    """One drug of a dispensing with its usage (JAHIS records 201 and 301 of one RP, and their notes)."""

    dispensing = models.ForeignKey(Dispensing, on_delete=models.CASCADE, related_name="medications")
    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="+")
    rp = models.PositiveSmallIntegerField("RP番号")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("薬品名", max_length=200)
    amount = models.CharField("用量", max_length=20)
    unit = models.CharField("単位", max_length=20)
    code_system = models.CharField("薬品コード種別", max_length=2, blank=True)
    code = models.CharField("薬品コード", max_length=20, blank=True)
    usage = models.CharField("用法", max_length=200, blank=True)
    quantity = models.CharField("調剤数量", max_length=20, blank=True)
    quantity_unit = models.CharField("調剤単位", max_length=20, blank=True)
    dosage_form = models.CharField("剤型", max_length=20, blank=True)
    notes = models.TextField("補足・注意", blank=True)

    class Meta:
        ordering = ["dispensing", "rp", "position"]
        verbose_name = verbose_name_plural = "お薬"

    def __str__(self):
        return self.name

    @property
    def dose(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def days(self) -> int | None:
        """The days this dispensing covers (調剤数量 in 日分), None for 回分 and the like."""
        if self.quantity_unit == "日分" and self.quantity.isascii() and self.quantity.isdigit():
            return int(self.quantity)
        return None

    @property
    def supply(self) -> str:
        return f"{self.quantity}{self.quantity_unit}" if self.quantity else ""

    def line(self) -> str:
        """One line of text: name, dose, usage, supply (what the sheets' お薬 items carry)."""
        return "　".join(part for part in (self.name, self.dose, self.usage, self.supply) if part)
