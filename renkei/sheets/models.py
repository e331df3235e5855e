"""Coordination sheets (items ウ/エ), back-bed admissions and the dementia initial-intensive-support team."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from renkei.core.models import Facility


class SheetKind(models.TextChoices):
    ADMISSION = "admission", "入院時情報連携シート"
    DISCHARGE = "discharge", "退院時看護サマリー・退院・退所情報記録書"
    NURSING_INFO = "nursing_info", "訪問看護 医療情報提供書（統一様式）"
    STROKE = "stroke", "脳卒中地域連携パス"
    DEMENTIA = "dementia", "認知症連携シート（もの忘れ相談シート）"
    ACP = "acp", "意思決定支援・ACP記録"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    FINALISED = "finalised", "確定"


class Sheet(models.Model):
    """One version of a coordination sheet. Versions of the same document share `series`.

    A finalised version is never edited: a correction is a new version (version + 1) of the
    same series, and the old one stays readable.
    """

    series = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField("版", default=1)
    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="sheets")
    kind = models.CharField("種類", max_length=20, choices=SheetKind.choices, db_index=True)
    status = models.CharField("状態", max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="作成者")
    author_facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="作成事業所")
    content = models.JSONField("内容", default=dict)
    document_date = models.DateField("文書日付", db_index=True)
    created_at = models.DateTimeField("作成日時", default=timezone.now)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    finalised_at = models.DateTimeField("確定日時", null=True, blank=True)
    sent_at = models.DateTimeField("送付日時", null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    addressees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="addressed_sheets",
                                        verbose_name="宛先（チームメンバー）")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "連携シート"
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="sheet_unique_version")]
        indexes = [models.Index(fields=["patient", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} 第{self.version}版"

    @property
    def is_finalised(self):
        return self.status == SheetStatus.FINALISED


class SheetDelivery(models.Model):
    """A sheet sent to a facility; the facility's liaison office confirms receipt (受領確認)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="deliveries")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="received_sheets",
                                 verbose_name="送付先")
    sent_at = models.DateTimeField("送付日時", default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("受領日時", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="受領者")

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = verbose_name_plural = "連携シートの送付"
        constraints = [models.UniqueConstraint(fields=["sheet", "facility"], name="delivery_unique_facility")]

    def __str__(self):
        return f"{self.sheet} → {self.facility}"


class SheetRead(models.Model):
    """The unread mark of a sheet sent to a team member: unread until the addressee opens the sheet."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="宛先")
    sent_at = models.DateTimeField("送付日時", default=timezone.now)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = verbose_name_plural = "連携シートの既読"
        constraints = [models.UniqueConstraint(fields=["sheet", "user"], name="sheetread_unique_user")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.sheet} → {self.user_id}"


class SheetStage(models.Model):
    """One answered stage of a route sheet (stroke pathway, dementia sheet), in route order."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField("順番")
    stage = models.CharField("段階", max_length=30)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="回答した事業所")
    content = models.JSONField("内容", default=dict)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("回答日時", default=timezone.now)

    class Meta:
        ordering = ["position"]
        verbose_name = verbose_name_plural = "連携シートの段階"
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="stage_unique_position")]

    def __str__(self):
        return f"{self.sheet} {self.stage}"


# --- Back-bed admissions (医療機関一時入院連携制度)


class BackBedHospital(models.Model):
    """A hospital taking part in the back-bed scheme, with the beds it keeps for home patients."""

    facility = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="back_bed",
                                    verbose_name="医療機関")
    beds = models.PositiveSmallIntegerField("確保病床数")
    joined_on = models.DateField("参加日")
    is_active = models.BooleanField("参加中", default=True)
    note = models.CharField("備考", max_length=300, blank=True)

    class Meta:
        ordering = ["facility__name_kana"]
        verbose_name = verbose_name_plural = "一時入院連携 参加医療機関"

    def __str__(self):
        return str(self.facility)


class BackBedReason(models.TextChoices):
    ACUTE_CHANGE = "acute_change", "急変"
    RESPITE = "respite", "レスパイト"
    EXAMINATION = "examination", "検査"
    OTHER = "other", "その他"


class BackBedStatus(models.TextChoices):
    REQUESTED = "requested", "依頼中"
    ACCEPTED = "accepted", "受入れ"
    DECLINED = "declined", "受入れ不可"
    CANCELLED = "cancelled", "取消し"


class BackBedRequest(models.Model):
    """A team physician's request for a temporary admission of a home patient, and the hospital's answer."""

    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="back_bed_requests")
    hospital = models.ForeignKey(BackBedHospital, on_delete=models.PROTECT, related_name="requests",
                                 verbose_name="依頼先")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("依頼日時", default=timezone.now, db_index=True)
    reason = models.CharField("理由", max_length=20, choices=BackBedReason.choices)
    detail = models.TextField("依頼内容")
    desired_on = models.DateField("入院希望日")
    status = models.CharField("状態", max_length=20, choices=BackBedStatus.choices, default=BackBedStatus.REQUESTED)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    answer_note = models.TextField("回答理由・連絡事項", blank=True)
    admitted_on = models.DateField("入院日", null=True, blank=True)
    discharged_on = models.DateField("退院日", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "一時入院の依頼"

    def __str__(self):
        return f"{self.patient} → {self.hospital}（{self.get_reason_display()}）"


# --- Dementia initial-intensive-support team (認知症初期集中支援チーム)


class ReferralSource(models.TextChoices):
    FAMILY = "family", "家族"
    COMMUNITY_SUPPORT = "community_support", "在宅介護・地域包括支援センター"
    MEDICAL = "medical", "医療機関"
    CARE_MANAGER = "care_manager", "ケアマネジャー"
    WELFARE_VOLUNTEER = "welfare_volunteer", "民生委員"
    OTHER = "other", "その他"


class CaseOutcome(models.TextChoices):
    MEDICAL = "medical", "医療につながった"
    CARE_SERVICE = "care_service", "介護サービスにつながった"
    BOTH = "both", "医療と介護サービスにつながった"
    OTHER = "other", "その他（見守り・終了など）"


class DementiaCase(models.Model):
    """A case of the dementia initial-intensive-support team: at most six months of support."""

    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="dementia_cases")
    referred_on = models.DateField("受付日", db_index=True)
    referral_source = models.CharField("相談・紹介元", max_length=30, choices=ReferralSource.choices)
    referral_reason = models.TextField("相談・紹介の内容")
    team_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="dementia_cases",
                                          verbose_name="チーム員")
    team_note = models.CharField("チーム員（専門職の構成）", max_length=300, blank=True,
                                 help_text="例：専門医、保健師、作業療法士")
    support_started_on = models.DateField("支援開始日", null=True, blank=True)
    closed_on = models.DateField("支援終了日", null=True, blank=True, db_index=True)
    outcome = models.CharField("終了時の状況", max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_detail = models.TextField("終了時の状況の詳細", blank=True)
    case_study = models.BooleanField("事例研究の対象", default=False)
    case_study_note = models.CharField("事例研究の記録", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = verbose_name_plural = "認知症初期集中支援 事例"

    def __str__(self):
        return f"{self.patient}（{self.referred_on}）"


class DementiaVisit(models.Model):
    """A home visit of the team (訪問)."""

    case = models.ForeignKey(DementiaCase, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("訪問日")
    visitors = models.CharField("訪問者", max_length=200)
    summary = models.TextField("内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = verbose_name_plural = "認知症初期集中支援 訪問"

    def __str__(self):
        return f"{self.case} 訪問 {self.visited_on}"


class DementiaConference(models.Model):
    """A team conference (チーム員会議) on the case."""

    case = models.ForeignKey(DementiaCase, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField("開催日")
    participants = models.CharField("参加者", max_length=300)
    decisions = models.TextField("検討内容・方針")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = verbose_name_plural = "認知症初期集中支援 チーム員会議"

    def __str__(self):
        return f"{self.case} 会議 {self.held_on}"


class ConferenceKind(models.TextChoices):
    DISCHARGE = "discharge", "退院時カンファレンス"
    SERVICE = "service", "サービス担当者会議"
    COMMUNITY = "community", "地域ケア会議（個別ケース検討）"


class ConferenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "予定"
    HELD = "held", "開催済み"
    CANCELLED = "cancelled", "中止"


class CaseConference(models.Model):
    """A case conference about one patient, scheduled on the patient's team: invitations, attendance,
    the record and its action items (posted to the team timeline), and the sheets discussed."""

    patient = models.ForeignKey("network.Patient", on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField("種類", max_length=20, choices=ConferenceKind.choices)
    status = models.CharField("状態", max_length=20, choices=ConferenceStatus.choices,
                              default=ConferenceStatus.SCHEDULED)
    scheduled_at = models.DateTimeField("日時", db_index=True)
    place = models.CharField("場所", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加の URL", blank=True)
    agenda = models.TextField("議題", blank=True, max_length=2000)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="開催者")
    sheets = models.ManyToManyField(Sheet, blank=True, related_name="conferences", verbose_name="検討する連携シート")
    held_at = models.DateTimeField("開催日時", null=True, blank=True, db_index=True)
    record = models.TextField("記録", blank=True, max_length=8000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="記録者")
    record_post = models.ForeignKey("network.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="タイムラインの記録")
    cancel_reason = models.CharField("中止の理由", max_length=200, blank=True)
    created_at = models.DateTimeField("登録日時", default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = verbose_name_plural = "カンファレンス"
        indexes = [models.Index(fields=["patient", "scheduled_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"


class InvitationAnswer(models.TextChoices):
    PENDING = "pending", "未回答"
    ACCEPTED = "accepted", "出席予定"
    DECLINED = "declined", "欠席予定"


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", "対面で出席"
    ONLINE = "online", "オンラインで出席"
    ABSENT = "absent", "欠席"


class ConferenceAttendee(models.Model):
    """One person invited to a conference: a team member (user) or someone outside Renkei named in
    words (e.g. the ward nurse of the hospital); their answer and, after the conference, attendance."""

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="チームメンバー")
    name = models.CharField("氏名（Renkei 外の参加者）", max_length=100, blank=True)
    role = models.CharField("職種・所属", max_length=100, blank=True)
    answer = models.CharField("回答", max_length=20, choices=InvitationAnswer.choices,
                              default=InvitationAnswer.PENDING)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    attendance = models.CharField("出欠", max_length=20, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "カンファレンスの参加者"
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], condition=models.Q(user__isnull=False),
                                    name="attendee_unique_user"),
            models.CheckConstraint(condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                                   name="attendee_user_or_name"),
        ]

    def __str__(self):
        return self.name or str(self.user_id)


class ConferenceAction(models.Model):
    """An action item decided at a conference: what, who, by when; marked done on Renkei."""

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField("内容", max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="担当")
    due_on = models.DateField("期限", null=True, blank=True)
    done_at = models.DateTimeField("完了日時", null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "カンファレンスの行動予定"

    def __str__(self):
        return self.text


class PatientSafety(models.Model):
    """Allergies, drug contraindications and infections of one patient, kept once: every new sheet that
    crosses to a hospital is prefilled from here, and finalising one stores its values back."""

    patient = models.OneToOneField("network.Patient", on_delete=models.CASCADE, related_name="safety")
    allergies = models.TextField("アレルギー（薬剤・食物・その他）", blank=True, max_length=1000)
    drug_contraindications = models.TextField("薬剤の禁忌・副作用歴", blank=True, max_length=1000)
    infections = models.TextField("感染症（MRSA・HBV・HCV・結核・疥癬など）", blank=True, max_length=1000)
    updated_at = models.DateTimeField("更新日時", default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="更新者")
    source_sheet = models.ForeignKey(Sheet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="更新元の連携シート")

    class Meta:
        verbose_name = verbose_name_plural = "アレルギー・禁忌・感染症"

    def __str__(self):
        return f"safety of {self.patient_id}"
