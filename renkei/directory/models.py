"""Directory models, shaped after Open Referral HSDS 3.1, growing core.Facility.

HSDS mapping: Organization = organization (the 法人, by 法人番号; a provider without one is
its own organization); core.Facility + FacilityProfile = location (one place per provider,
as the ministry's files have it) with its address; Service = service (one per 介護サービス);
ServiceAtLocation is implied by Service.facility (a service is offered where its provider
is); Schedule, Phone, Contact, ServiceArea as in HSDS; FacilityCapability = attribute
linked to a term of our fixed taxonomy (taxonomy.py). exports.py writes the HSDS tables.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone

from renkei.core.models import Facility, NamedModel, city_of_record


class DirectoryStatus(models.TextChoices):
    OPEN = "open", "運営中"
    CLOSED = "closed", "廃止・休止"


class CoordSource(models.TextChoices):
    SOURCE = "source", "公表データの座標"
    TOWN_CENTRE = "town_centre", "町丁目の代表点（概略位置）"
    FACILITY = "facility", "事業所が入力"
    NONE = "none", "位置不明"


class Organization(NamedModel):
    """The legal entity running providers (HSDS organization): a 法人, by its 法人番号."""

    corporation_number = models.CharField("法人番号", max_length=13, unique=True)
    name = models.CharField("法人名", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "法人"


class FacilityProfile(models.Model):
    """The directory's part of a provider (HSDS organization + location fields)."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="profile")
    status = models.CharField("状態", max_length=10, choices=DirectoryStatus.choices, default=DirectoryStatus.OPEN,
                              db_index=True)
    closed_on = models.DateField("廃止・休止を確認した日", null=True, blank=True)
    town = models.CharField("町丁目", max_length=60, blank=True, db_index=True)
    postal_code = models.CharField("郵便番号", max_length=10, blank=True)
    coord_source = models.CharField("位置の出所", max_length=20, choices=CoordSource.choices,
                                    default=CoordSource.SOURCE)
    search_key = models.TextField("検索キー（正規化）", blank=True)
    url = models.URLField("ホームページ", max_length=500, blank=True)
    fax = models.CharField("FAX", max_length=30, blank=True)
    corporation_name = models.CharField("法人名", max_length=200, blank=True)
    corporation_number = models.CharField("法人番号", max_length=13, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="profiles", verbose_name="法人")
    description = models.TextField("紹介", blank=True)
    hours_note = models.CharField("営業日・診療日の補足", max_length=500, blank=True)
    departments = models.CharField("診療科目", max_length=500, blank=True)
    beds = models.PositiveIntegerField("病床数", null=True, blank=True)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    # Entered by the facility itself (imports never overwrite these).
    accepting_new = models.BooleanField("新規受け入れ", null=True, blank=True)
    accepting_confirmed_on = models.DateField("受け入れ状況の確認日", null=True, blank=True)
    vacancies = models.PositiveIntegerField("空き（床・枠）", null=True, blank=True)
    vacancies_confirmed_on = models.DateField("空き状況の確認日", null=True, blank=True)
    languages = models.CharField("対応言語", max_length=200, blank=True, help_text="例：英語、中国語")
    pt_count = models.PositiveSmallIntegerField("理学療法士（PT）", null=True, blank=True)
    ot_count = models.PositiveSmallIntegerField("作業療法士（OT）", null=True, blank=True)
    st_count = models.PositiveSmallIntegerField("言語聴覚士（ST）", null=True, blank=True)
    hours_entered_by_facility = models.BooleanField("営業時間は事業所が入力", default=False)
    # Provenance.
    source = models.CharField("出典", max_length=40, blank=True, db_index=True,
                              help_text="例：kaigo:130、iryo:dental、demo")
    source_date = models.DateField("出典データの時点", null=True, blank=True)
    imported_at = models.DateTimeField("取り込み日時", null=True, blank=True)
    last_confirmed_on = models.DateField("最終確認日", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "資源マップ掲載情報"

    def __str__(self):
        return f"{self.facility_id}: {self.status}"


class Service(NamedModel):
    """A service a provider offers (HSDS service): a 介護サービス by code, a 診療科, home visits."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_services")
    code = models.CharField("サービスコード", max_length=20, blank=True)
    name = models.CharField("サービス名", max_length=200)
    description = models.TextField("説明", blank=True)
    is_active = models.BooleanField("提供中", default=True)
    source = models.CharField("出典", max_length=40, blank=True)

    class Meta:
        ordering = ["facility_id", "code", "name"]
        verbose_name = verbose_name_plural = "サービス"
        constraints = [models.UniqueConstraint(fields=["facility", "code", "name"], name="service_unique_per_facility")]


class Weekday(models.IntegerChoices):
    MON = 1, "月"
    TUE = 2, "火"
    WED = 3, "水"
    THU = 4, "木"
    FRI = 5, "金"
    SAT = 6, "土"
    SUN = 7, "日"
    HOLIDAY = 8, "祝"


class Schedule(models.Model):
    """An opening day (and times) of a provider or one of its services (HSDS schedule, weekly)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_schedules")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField("曜日", choices=Weekday.choices)
    opens_at = models.TimeField("開始", null=True, blank=True)
    closes_at = models.TimeField("終了", null=True, blank=True)
    note = models.CharField("備考", max_length=200, blank=True)
    entered_by_facility = models.BooleanField(default=False)

    class Meta:
        ordering = ["facility_id", "weekday", "opens_at"]
        verbose_name = verbose_name_plural = "営業日・時間"
        indexes = [models.Index(fields=["weekday", "facility"])]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at or ''}-{self.closes_at or ''}"


class Phone(models.Model):
    """A phone number (HSDS phone)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_phones")
    number = models.CharField("番号", max_length=30)
    type = models.CharField("種別", max_length=10, default="voice", choices=[("voice", "電話"), ("fax", "FAX")])
    description = models.CharField("説明", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "電話番号"

    def __str__(self):
        return self.number


class Contact(NamedModel):
    """A named contact person or desk (HSDS contact), e.g. 医療連携室."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_contacts")
    name = models.CharField("氏名・窓口", max_length=100)
    title = models.CharField("役職", max_length=100, blank=True)
    department = models.CharField("部署", max_length=100, blank=True)
    email = models.EmailField("メール", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "連絡窓口"


class ServiceArea(NamedModel):
    """Where a provider visits (HSDS service_area): a municipality or a 町丁目."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_areas")
    name = models.CharField("地域", max_length=100)
    description = models.CharField("説明", max_length=200, blank=True)

    class Meta:
        ordering = ["facility_id", "name"]
        verbose_name = verbose_name_plural = "訪問・サービス提供地域"
        constraints = [models.UniqueConstraint(fields=["facility", "name"], name="service_area_unique")]


class FacilityCapability(models.Model):
    """One capability term (taxonomy.CAPABILITIES) held by a provider (HSDS attribute)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="capabilities")
    code = models.CharField("機能", max_length=40, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "機能・対応"
        constraints = [models.UniqueConstraint(fields=["facility", "code"], name="capability_unique")]

    def __str__(self):
        return self.code

    @property
    def label(self):
        from .taxonomy import capability_label

        return capability_label(self.code)


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "承認待ち"
    APPROVED = "approved", "承認済み"
    REJECTED = "rejected", "差し戻し"


class ChangeRequest(models.Model):
    """A facility administrator's update of their entry, applied once staff approve it."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="directory_changes")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField("変更内容")
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("コメント", max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = "掲載情報の変更申請"

    def __str__(self):
        return f"{self.facility_id}: {self.get_status_display()}"


class ImportRun(models.Model):
    """One import of one official open-data file, with its counts."""

    source = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    started_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    repaired = models.PositiveIntegerField(default=0)
    unlocated = models.PositiveIntegerField(default=0)
    out_of_area = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = verbose_name_plural = "取り込み履歴"

    def __str__(self):
        return f"{self.file_name} {self.started_at:%Y-%m-%d}"


# ---------------------------------------------------------------- shared among professionals only
# Consultation windows, capacity and referral requests are never shown on public pages, exports or
# the anonymous API: see windows.can_see_professional_fields.


class ContactChannel(models.TextChoices):
    PHONE = "phone", "電話"
    FAX = "fax", "FAX"
    NETWORK = "network", "Renkei（メッセージ）"
    IN_PERSON = "in_person", "来所・面談"


class ConsultationWindow(models.Model):
    """When and how a provider takes contact from care managers and nurses (ケアマネタイム)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="consultation_windows")
    weekday = models.PositiveSmallIntegerField("曜日", choices=Weekday.choices)
    starts_at = models.TimeField("開始")
    ends_at = models.TimeField("終了")
    channel = models.CharField("連絡方法", max_length=20, choices=ContactChannel.choices, default=ContactChannel.PHONE)
    direct_number = models.CharField("直通番号（専門職のみに表示）", max_length=30, blank=True)
    note = models.CharField("備考", max_length=200, blank=True, help_text="例：訪問診療の新規相談は火曜14時〜")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["facility_id", "weekday", "starts_at", "id"]
        verbose_name = verbose_name_plural = "相談受付時間（ケアマネタイム）"
        indexes = [models.Index(fields=["weekday", "starts_at"])]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Capacity(models.Model):
    """Whether a provider takes new patients now and with what, as the provider last confirmed it."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="capacity")
    accepting_new = models.BooleanField("新規受け入れ", null=True, blank=True)
    around_the_clock = models.BooleanField("24時間対応", default=False)
    end_of_life = models.BooleanField("看取り・ターミナルケア", default=False)
    dementia = models.BooleanField("認知症", default=False)
    ventilator = models.BooleanField("人工呼吸器", default=False)
    pediatric = models.BooleanField("小児", default=False)
    languages = models.CharField("対応言語", max_length=200, blank=True, help_text="例：英語、中国語")
    note = models.CharField("補足", max_length=300, blank=True)
    confirmed_on = models.DateField("確認日", null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reminded_on = models.DateField("再確認を依頼した日", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "受け入れ状況"

    def __str__(self):
        return f"{self.facility_id}: {self.accepting_new}"


class ReferralRequest(models.Model):
    """A care manager's or liaison nurse's request to several providers at once (紹介・受け入れ依頼)."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="依頼者")
    requester_facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+", verbose_name="依頼者の事業所")
    municipality = city_of_record()
    # Providers see the need only; the patient's data reaches them through the care team after acceptance.
    patient = models.ForeignKey("network.Patient", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="患者")
    need = models.TextField("依頼内容", help_text="氏名など個人が特定できる情報は書かないでください。")
    place = models.CharField("場所", max_length=100, blank=True)
    conditions = models.JSONField("検索条件", default=dict, blank=True)
    created_at = models.DateTimeField("依頼日時", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "受け入れ依頼"

    def __str__(self):
        return f"{self.pk}: {self.need[:30]}"


class AnswerStatus(models.TextChoices):
    PENDING = "pending", "回答待ち"
    ACCEPTED = "accepted", "受け入れ可"
    DECLINED = "declined", "お断り"


class ReferralAnswer(models.Model):
    """One provider's answer to a referral request."""

    request = models.ForeignKey(ReferralRequest, on_delete=models.CASCADE, related_name="answers")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="referral_answers")
    status = models.CharField("回答", max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.PENDING,
                              db_index=True)
    reason = models.CharField("理由・連絡事項", max_length=300, blank=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="回答者")
    invited = models.BooleanField("ケアチームに招待済み", default=False)

    class Meta:
        ordering = ["request_id", "id"]
        verbose_name = verbose_name_plural = "受け入れ依頼への回答"
        constraints = [models.UniqueConstraint(fields=["request", "facility"], name="referral_answer_unique")]
        indexes = [models.Index(fields=["facility", "status"])]

    def __str__(self):
        return f"{self.request_id} → {self.facility_id}: {self.status}"
