"""Records of the city's programs: applications, decisions (with history), dispatches, visits,
claims, payments, end-of-life consultations and ending-note distribution."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.deconstruct import deconstructible

from renkei.core import storage
from renkei.core.models import Facility, city_of_record

from . import rules


@deconstructible
class PrivateStorage(storage.PrivateStorage):
    """STORAGES["private"] (PRIVATE_MEDIA_ROOT or the bucket), served only by access-checked views; the class
    stays here because the migrations name it."""


class Program(models.TextChoices):
    RESCUE_HELPER = "rescue_helper", rules.PROGRAMS["rescue_helper"]
    RESTART_GRANT = "restart_grant", rules.PROGRAMS["restart_grant"]
    LINKAGE_FEE = "linkage_fee", rules.PROGRAMS["linkage_fee"]
    END_OF_LIFE = "end_of_life", rules.PROGRAMS["end_of_life"]


class ProgramRule(models.Model):
    """One version of one city's rules of one program, in force from `effective_from` until the next version.

    A city runs a program on a date when a version is in force then (`selectors.rule_in_force`). A version
    used by a decision is never edited: a change is a new version with a later date, so earlier
    decisions keep the amounts and limits they were decided with (Decision.rule).
    """

    municipality = city_of_record()
    program = models.CharField("事業", max_length=30, choices=Program.choices)
    effective_from = models.DateField("適用開始日")
    parameters = models.JSONField("規程（パラメータ）", default=dict, blank=True)
    note = models.TextField("根拠・備考", blank=True, help_text="要綱の名称・改正日など、この版の根拠")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality__code", "program", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "program", "effective_from"],
                                    name="program_rule_one_version_per_day")
        ]
        verbose_name = verbose_name_plural = "事業の規程（版）"

    def __str__(self):
        return f"{self.get_program_display()} {self.effective_from:%Y-%m-%d}〜"

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            rules.parse_rule(self.program, self.parameters)
        except rules.InvalidFacts as bad:
            raise ValidationError({"parameters": bad.problems})

    @property
    def params(self):
        """The parameters object the rule functions take (rules.RescueHelperRule, ...)."""
        cached = getattr(self, "_params", None)
        if cached is None:
            cached = self._params = rules.parse_rule(self.program, self.parameters)
        return cached


class Decision(models.Model):
    """A staff decision on an application. Never edited: a changed decision is a new row."""

    municipality = city_of_record("決定した市区町村")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    outcome = models.CharField("決定", max_length=30)
    outcome_label = models.CharField("決定（表示）", max_length=60)
    reason = models.TextField("理由")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(ProgramRule, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True,
                             verbose_name="適用した規程の版")
    decided_at = models.DateTimeField("決定日時", auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = verbose_name_plural = "決定（履歴）"

    def __str__(self):
        return f"{self.outcome_label} {self.decided_at:%Y-%m-%d}"


# --- 高齢者等緊急訪問介護（レスキューヘルパー） ------------------------------------------------


class RescueStatus(models.TextChoices):
    RECEIVED = "received", "受付"
    APPROVED = "approved", "利用決定"
    REJECTED = "rejected", "却下"


class ApplicantKind(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家族"
    CARE_MANAGER = "care_manager", "ケアマネジャー"
    COMMUNITY_SUPPORT = "community_support", "地域包括支援センター"


class RescueHelperApplication(models.Model):
    """An application for the rescue helper (緊急訪問介護) for one resident."""

    municipality = city_of_record("申請先の市区町村")
    received_on = models.DateField("受付日")
    applicant_kind = models.CharField("申請者", max_length=30, choices=ApplicantKind.choices)
    applicant_name = models.CharField("申請者氏名", max_length=100, blank=True)
    person_name = models.CharField("利用者氏名", max_length=100)
    person_kana = models.CharField("利用者氏名（カナ）", max_length=200, blank=True)
    birth_date = models.DateField("生年月日")
    address = models.CharField("住所", max_length=300, blank=True)
    phone = models.CharField("電話番号", max_length=30, blank=True)
    household = models.CharField("世帯", max_length=20, choices=list(rules.HOUSEHOLDS.items()))
    under_65_member_can_help = models.BooleanField("65歳未満の同居家族が支援できる", default=False)
    household_note = models.TextField("同居家族の事情", blank=True, help_text="障害などで支援できない事情")
    cause = models.CharField("支援が必要な理由", max_length=30, choices=list(rules.CAUSES.items()))
    ltc_certified = models.BooleanField("要介護・要支援の認定あり", default=False)
    uses_ltc_services = models.BooleanField("介護保険サービスを利用中", default=False)
    hours_per_week = models.DecimalField("希望する1週あたりの時間", max_digits=4, decimal_places=2)
    days = models.PositiveIntegerField("希望する利用日数")
    age_override_reason = models.TextField("65歳未満を対象とする理由（市職員）", blank=True)
    household_override_reason = models.TextField("同居家族がいても対象とする理由（市職員）", blank=True)
    status = models.CharField("状況", max_length=20, choices=RescueStatus.choices, default=RescueStatus.RECEIVED)
    # The rule version of the last assessment/decision (set when decided; None until then).
    rule = models.ForeignKey(ProgramRule, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name="適用した規程の版")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decisions = GenericRelation(Decision)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "緊急訪問介護の申請"

    def __str__(self):
        return f"{self.person_name}（{self.received_on:%Y-%m-%d}）"

    @property
    def rule_date(self):
        """The date whose rule version applies: the receipt date."""
        return self.received_on

    def facts(self, as_of=None):
        """The rule's facts as of a date (default: the receipt date)."""
        return rules.RescueHelperFacts(
            birth_date=self.birth_date,
            as_of=as_of or self.received_on,
            household=self.household,
            under_65_member_can_help=self.under_65_member_can_help,
            cause=self.cause,
            ltc_certified=self.ltc_certified,
            uses_ltc_services=self.uses_ltc_services,
            hours_per_week=float(self.hours_per_week),
            days=self.days,
            age_override_reason=self.age_override_reason,
            household_override_reason=self.household_override_reason,
        )


class RescueHelperDispatch(models.Model):
    """The home-help provider sent for an approved application, from the first day of service."""

    municipality_path = "application__municipality"

    application = models.OneToOneField(RescueHelperApplication, on_delete=models.PROTECT, related_name="dispatch")
    provider = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name="訪問介護事業所")
    first_day = models.DateField("利用開始日（初日）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "緊急訪問介護の派遣"

    def __str__(self):
        return f"{self.application} → {self.provider}"


class RescueHelperVisit(models.Model):
    """One visit by the provider; its fee is fixed when recorded (the application's rule: Musashino 250 yen
    per started 30 minutes)."""

    municipality_path = "dispatch__application__municipality"

    dispatch = models.ForeignKey(RescueHelperDispatch, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField("訪問日", db_index=True)
    minutes = models.PositiveIntegerField("訪問時間（分）")
    units = models.PositiveIntegerField("30分単位数")
    fee_yen = models.PositiveIntegerField("利用料（円）")
    note = models.CharField("内容", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = verbose_name_plural = "緊急訪問介護の訪問"

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.minutes}分"


class RescueHelperProviderPayment(models.Model):
    """The city's monthly payment to a provider: the month's 30-minute units × the contract unit price."""

    municipality = city_of_record("支払う市区町村")
    provider = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name="訪問介護事業所")
    month = models.DateField("対象月")
    units = models.PositiveIntegerField("30分単位数")
    unit_price_yen = models.PositiveIntegerField("委託単価（30分あたり・円）")
    amount_yen = models.PositiveIntegerField("支払額（円）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "provider", "month"], name="rescue_payment_once_per_month")
        ]
        verbose_name = verbose_name_plural = "緊急訪問介護の事業所への支払"

    def __str__(self):
        return f"{self.provider} {self.month:%Y-%m}"


# --- 介護職・看護職Reスタート支援金 -----------------------------------------------------------


class GrantStatus(models.TextChoices):
    APPLIED = "applied", "申請受付"
    ASSESSED = "assessed", "審査済（6か月確認待ち）"
    CONFIRMED = "confirmed", "6か月継続勤務確認済"
    PAID = "paid", "支給済"
    REJECTED = "rejected", "不支給"


class RestartGrantApplication(models.Model):
    """An application for the restart grant (Reスタート支援金)."""

    municipality = city_of_record("申請先の市区町村")
    received_on = models.DateField("受付日")
    applicant_name = models.CharField("申請者氏名", max_length=100)
    applicant_kana = models.CharField("申請者氏名（カナ）", max_length=200, blank=True)
    birth_date = models.DateField("生年月日")
    address = models.CharField("住所", max_length=300, blank=True)
    employer_name = models.CharField("運営法人", max_length=200)
    facility_name = models.CharField("就職先の施設等", max_length=200)
    facility_type = models.CharField("施設等の種別", max_length=40, help_text="市の規程の対象種別から選ぶ")
    facility_in_city = models.BooleanField("市内の施設等", default=True)
    hired_on = models.DateField("就職日")
    full_time = models.BooleanField("常勤", default=True)
    direct_employment = models.BooleanField("運営法人に直接雇用", default=True)
    expected_months = models.PositiveIntegerField("継続勤務の見込み（月）")
    last_care_job_left_on = models.DateField(
        "前職（介護施設等）の離職日", null=True, blank=True, help_text="介護施設等に在籍したことがなければ空欄"
    )
    months_since_last_care_job = models.PositiveIntegerField(
        "前職（介護施設等）の離職からの月数", null=True, blank=True, help_text="在籍歴がなければ空欄"
    )
    qualifications = models.JSONField("資格", default=list, blank=True)
    status = models.CharField("状況", max_length=20, choices=GrantStatus.choices, default=GrantStatus.APPLIED)
    # The rule version of the last assessment/decision (set when decided; None until then).
    rule = models.ForeignKey(ProgramRule, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name="適用した規程の版")
    amount_yen = models.PositiveIntegerField("支給額（円）", default=0)
    six_month_confirmed_on = models.DateField("6か月継続勤務の確認日", null=True, blank=True)
    paid_on = models.DateField("支給日", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decisions = GenericRelation(Decision)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "Reスタート支援金の申請"

    def __str__(self):
        return f"{self.applicant_name}（{self.received_on:%Y-%m-%d}）"

    @property
    def rule_date(self):
        """The date whose rule version applies: the hiring date."""
        return self.hired_on

    def facts(self):
        return rules.RestartGrantFacts(
            hired_on=self.hired_on,
            facility_type=self.facility_type,
            facility_in_city=self.facility_in_city,
            full_time=self.full_time,
            direct_employment=self.direct_employment,
            expected_months=self.expected_months,
            months_since_last_care_job=self.months_since_last_care_job,
            qualifications=list(self.qualifications or []),
            birth_date=self.birth_date,
        )


class DocumentKind(models.TextChoices):
    EMPLOYMENT = "employment", "雇用（在職）証明書"
    QUALIFICATION = "qualification", "資格証の写し"
    CONTINUED = "continued", "6か月継続勤務の証明書"
    OTHER = "other", "その他"


class RestartGrantDocument(models.Model):
    """An uploaded document of an application, stored under PRIVATE_MEDIA_ROOT (never a public URL)."""

    municipality_path = "application__municipality"

    application = models.ForeignKey(RestartGrantApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("書類", max_length=20, choices=DocumentKind.choices)
    file = models.FileField(storage=PrivateStorage(), upload_to="programs/restart_grant/%Y/%m/")
    original_name = models.CharField("ファイル名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # The stored file's digest, so `manage.py check_files` can tell an altered file from the original.
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "Reスタート支援金の書類"

    def __str__(self):
        return self.original_name


# --- 訪問看護と介護の連携強化事業（連携費） ---------------------------------------------------


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "入力中"
    APPROVED = "approved", "承認済"
    REJECTED = "rejected", "差戻し"


class LinkageFeeClaim(models.Model):
    """A visiting-nursing station's claim for one month."""

    municipality = city_of_record("請求先の市区町村")
    station = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+", verbose_name="訪問看護ステーション")
    month = models.DateField("対象月")
    status = models.CharField("状況", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    # The rule version of the last assessment/decision (set when decided; None until then).
    rule = models.ForeignKey(ProgramRule, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                             verbose_name="適用した規程の版")
    total_yen = models.PositiveIntegerField("連携費合計（円）", default=0)
    patients = models.PositiveIntegerField("支給対象者数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decisions = GenericRelation(Decision)

    class Meta:
        ordering = ["-month", "station__name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "station", "month"], name="linkage_claim_once_per_month")
        ]
        verbose_name = verbose_name_plural = "連携費の請求"

    def __str__(self):
        return f"{self.station} {self.month:%Y-%m}"

    @property
    def rule_date(self):
        """The date whose rule version applies: the claim's month (its first day)."""
        return self.month


class ProvisionSource(models.TextChoices):
    MANUAL = "manual", "手入力"
    SHEET = "sheet", "連携シート"


class LinkageFeeProvision(models.Model):
    """One provision of medical information to a care manager, entered by hand or built from a sheet."""

    municipality_path = "claim__municipality"

    claim = models.ForeignKey(LinkageFeeClaim, on_delete=models.CASCADE, related_name="provisions")
    patient_ref = models.CharField("利用者（識別子）", max_length=64)
    provided_on = models.DateField("提供日")
    unified_form = models.BooleanField("市の統一様式", default=True)
    twenty_four_hour = models.BooleanField("24時間体制の加算対象", default=False)
    source = models.CharField(max_length=10, choices=ProvisionSource.choices, default=ProvisionSource.MANUAL)
    source_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "source_ref"], condition=~models.Q(source_ref=""),
                name="linkage_provision_unique_source",
            )
        ]
        verbose_name = verbose_name_plural = "連携費の情報提供"

    def __str__(self):
        return f"{self.patient_ref} {self.provided_on:%Y-%m-%d}"

    def as_rule(self):
        return rules.Provision(self.patient_ref, self.provided_on, self.unified_form, self.twenty_four_hour)


# --- エンディング（終活）支援事業 ---------------------------------------------------------------

END_OF_LIFE_TOPICS = {
    "funeral": "葬儀",
    "belongings": "家財整理・遺品",
    "contracts": "生前契約",
    "will": "遺言・相続",
    "medical_wishes": "医療・介護の希望",
}


class EndOfLifeConsultation(models.Model):
    """A consultation on end-of-life matters, with referral to the welfare corporation when needed."""

    municipality = city_of_record("相談を受けた市区町村")
    received_on = models.DateField("相談日", db_index=True)
    client_name = models.CharField("相談者氏名", max_length=100, blank=True, help_text="匿名の相談は空欄")
    client_age = models.PositiveIntegerField("年齢", null=True, blank=True)
    topics = models.JSONField("相談内容", default=list)
    summary = models.TextField("概要")
    referred_to_welfare_corporation = models.BooleanField("福祉公社を案内", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "エンディング相談"

    def __str__(self):
        return f"エンディング相談 {self.received_on:%Y-%m-%d}"

    def topic_labels(self):
        return [END_OF_LIFE_TOPICS.get(t, t) for t in self.topics]


NOTE_PLACES = {
    "elderly_support_division": "高齢者支援課",
    "welfare_corporation": "福祉公社",
    "community_support_center": "在宅介護・地域包括支援センター",
    "outreach_lecture": "出前講座",
    "other": "その他",
}


class EndingNoteDistribution(models.Model):
    """Ending notes handed out at a place on a day (the download is counted separately)."""

    municipality = city_of_record("配布した市区町村")
    distributed_on = models.DateField("配布日", db_index=True)
    place = models.CharField("配布場所", max_length=40, choices=list(NOTE_PLACES.items()))
    count = models.PositiveIntegerField("部数")
    note = models.CharField("備考", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = verbose_name_plural = "エンディングノートの配布"

    def __str__(self):
        return f"{self.get_place_display()} {self.count}部"


class EndingNoteDownload(models.Model):
    """Downloads of the ending-note PDF per day (no personal data: a counter)."""

    municipality = city_of_record("ノートを発行した市区町村")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["municipality", "day"], name="ending_note_download_per_city_day")]
        verbose_name = verbose_name_plural = "エンディングノートのダウンロード数"

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.count}"
