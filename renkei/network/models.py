"""Care-team network (item エ): patients, consent, care teams, timelines, attachments, notifications, groups."""
import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from renkei.core.models import Facility, Municipality, NamedModel

from .search import search_key

if TYPE_CHECKING:
    from renkei.core.models import User


class CareLevel(models.TextChoices):
    SUPPORT_1 = "support_1", "要支援1"
    SUPPORT_2 = "support_2", "要支援2"
    CARE_1 = "care_1", "要介護1"
    CARE_2 = "care_2", "要介護2"
    CARE_3 = "care_3", "要介護3"
    CARE_4 = "care_4", "要介護4"
    CARE_5 = "care_5", "要介護5"
    APPLYING = "applying", "申請中"
    NOT_APPLICABLE = "not_applicable", "非該当"
    NOT_APPLIED = "not_applied", "未申請"


class Sex(models.TextChoices):
    MALE = "male", "男性"
    FEMALE = "female", "女性"
    OTHER = "other", "その他・回答しない"


class PatientStatus(models.TextChoices):
    HOME = "home", "在宅"
    HOSPITAL = "hospital", "入院中"
    FACILITY = "facility", "施設入所"
    ENDED = "ended", "終了"


class EndReason(models.TextChoices):
    DEATH = "death", "死亡"
    MOVED = "moved", "転居"
    OTHER = "other", "その他"


class Patient(NamedModel):
    """A person receiving home medical and/or long-term care (「患者」 on the pages), shared by one care team."""

    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名（かな）", max_length=200)
    search_key = models.CharField(max_length=400, db_index=True, editable=False)
    birth_date = models.DateField("生年月日")
    sex = models.CharField("性別", max_length=10, choices=Sex.choices)
    address = models.CharField("住所", max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="市区町村", on_delete=models.PROTECT, related_name="patients"
    )
    phone = models.CharField("電話番号", max_length=30, blank=True)
    care_level = models.CharField("要介護度", max_length=20, choices=CareLevel.choices, default=CareLevel.NOT_APPLIED)
    status = models.CharField("状態", max_length=20, choices=PatientStatus.choices, default=PatientStatus.HOME)
    end_reason = models.CharField("終了理由", max_length=20, choices=EndReason.choices, blank=True)
    ended_on = models.DateField("終了日", null=True, blank=True)
    is_fictional = models.BooleanField("架空（デモ用）", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登録日時", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_kana", "id"]
        verbose_name = verbose_name_plural = "患者"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ended", ended_on__isnull=False) | ~Q(status="ended"),
                name="patient_ended_needs_date",
            )
        ]


    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key(self.name, self.name_kana)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_key"}
        super().save(*args, **kwargs)

    def age(self, on: datetime.date | None = None) -> int:
        """Age in whole years on a date (today by default)."""
        on = on or timezone.localdate()
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def is_ended(self) -> bool:
        return self.status == PatientStatus.ENDED

    @property
    def key_person(self) -> "FamilyContact | None":
        """The family contact marked as key person (キーパーソン), or None."""
        return next((c for c in self.contacts.all() if c.is_key_person), None)


class FamilyContact(models.Model):
    """A key person or family contact of a patient (not an account)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("氏名", max_length=100)
    relationship = models.CharField("続柄", max_length=40)
    phone = models.CharField("電話番号", max_length=30, blank=True)
    is_key_person = models.BooleanField("キーパーソン", default=False)
    note = models.CharField("備考", max_length=200, blank=True)

    class Meta:
        ordering = ["-is_key_person", "id"]
        verbose_name = verbose_name_plural = "家族・連絡先"

    def __str__(self) -> str:
        return f"{self.name}（{self.relationship}）"


class TeamRole(models.TextChoices):
    PHYSICIAN = "physician", "主治医"
    VISITING_NURSE = "visiting_nurse", "訪問看護"
    CARE_MANAGER = "care_manager", "ケアマネジャー"
    HOME_HELPER = "home_helper", "訪問介護"
    PHARMACIST = "pharmacist", "薬剤師"
    DENTIST = "dentist", "歯科医師"
    THERAPIST = "therapist", "訪問リハビリ"
    HOSPITAL_LIAISON = "hospital_liaison", "病院 医療連携室"
    COMMUNITY_SUPPORT = "community_support", "地域包括支援センター"
    OTHER = "other", "その他"


class MemberStatus(models.TextChoices):
    INVITED = "invited", "招待中"
    ACTIVE = "active", "参加中"
    DECLINED = "declined", "辞退"
    REMOVED = "removed", "削除済み"


class CareTeamMember(models.Model):
    """A professional's place in one patient's care team."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_teams")
    role = models.CharField("チームでの役割", max_length=30, choices=TeamRole.choices)
    is_manager = models.BooleanField("チーム管理者", default=False)
    status = models.CharField("状態", max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Team posts this member has not read, kept by the services' writes (see renkei/network/unread.py).
    unread_count = models.IntegerField("未読数", default=0, editable=False)

    class Meta:
        ordering = ["-is_manager", "role", "id"]
        verbose_name = verbose_name_plural = "ケアチームメンバー"
        constraints = [models.UniqueConstraint(fields=["patient", "user"], name="careteam_unique_member")]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} / {self.get_role_display()} ({self.patient_id})"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "書面"
    VERBAL = "verbal", "口頭（記録あり）"
    ELECTRONIC = "electronic", "電子的同意"


class ConsentGiver(models.TextChoices):
    PATIENT = "patient", "本人"
    PROXY = "proxy", "代理人"


DEFAULT_CONSENT_SCOPE = "ケアチームの医療・介護関係者間での診療・看護・介護に必要な情報の共有"


class Consent(models.Model):
    """The patient's (or proxy's) recorded consent to share information in the care team."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    obtained_on = models.DateField("同意日")
    method = models.CharField("方法", max_length=20, choices=ConsentMethod.choices)
    given_by = models.CharField("同意者", max_length=20, choices=ConsentGiver.choices, default=ConsentGiver.PATIENT)
    proxy_name = models.CharField("代理人氏名", max_length=100, blank=True)
    proxy_relationship = models.CharField("代理人続柄", max_length=40, blank=True)
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="取得者", on_delete=models.PROTECT, related_name="+"
    )
    scope = models.TextField("同意の範囲", default=DEFAULT_CONSENT_SCOPE)
    document = models.ForeignKey(
        "Attachment", verbose_name="同意書（スキャン）", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField("撤回日時", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_note = models.CharField("撤回の記録", max_length=300, blank=True)

    class Meta:
        ordering = ["-obtained_on", "-id"]
        verbose_name = verbose_name_plural = "情報共有の同意"

    def __str__(self) -> str:
        return f"{self.patient_id} {self.obtained_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class GroupKind(models.TextChoices):
    FACILITY = "facility", "施設グループ"
    FREE = "free", "グループ"


class Group(NamedModel):
    """A timeline not tied to a patient: a facility's own staff, or professionals by invitation."""

    name = models.CharField("グループ名", max_length=100)
    kind = models.CharField("種類", max_length=20, choices=GroupKind.choices)
    facility = models.OneToOneField(
        Facility, null=True, blank=True, on_delete=models.CASCADE, related_name="network_group"
    )
    description = models.TextField("説明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "グループ"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="facility", facility__isnull=False) | Q(kind="free", facility__isnull=True),
                name="group_facility_matches_kind",
            )
        ]


class GroupMember(models.Model):
    """A professional in a free group (facility groups take their members from affiliations)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_groups")
    is_manager = models.BooleanField("管理者", default=False)
    status = models.CharField("状態", max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_manager", "id"]
        verbose_name = verbose_name_plural = "グループメンバー"
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_unique_member")]

    def __str__(self) -> str:
        return f"{self.user_id} in group {self.group_id}"


class FamilyAccessStatus(models.TextChoices):
    ACTIVE = "active", "有効"
    REVOKED = "revoked", "停止"


class FamilyAccess(models.Model):
    """A family member's (or the patient's own) limited account on that patient's family timeline only."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="family_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_accesses")
    relationship = models.CharField("続柄", max_length=40)
    status = models.CharField(max_length=20, choices=FamilyAccessStatus.choices, default=FamilyAccessStatus.ACTIVE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "家族アカウント"
        constraints = [models.UniqueConstraint(fields=["patient", "user"], name="family_access_unique")]

    def __str__(self) -> str:
        return f"family {self.user_id} of patient {self.patient_id}"


class Channel(models.TextChoices):
    TEAM = "team", "専門職タイムライン"
    FAMILY = "family", "本人・家族タイムライン"


class PostKind(models.TextChoices):
    TEXT = "text", "投稿"
    VITALS = "vitals", "バイタル"
    NOTICE = "notice", "お知らせ"


EDIT_WINDOW = datetime.timedelta(hours=24)


class Post(models.Model):
    """One message on a timeline: a patient's (team or family channel) or a group's."""

    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.TEAM)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="network_posts"
    )
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.TEXT)
    body = models.TextField("本文", blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    important = models.BooleanField("重要", default=False)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Not columns: what selectors.prepare_for_display sets for the viewer of a page (annotations only).
    readers: "list[User]"
    can_edit: bool
    can_retract: bool
    reply_list: "list[Post]"
    ack_list: "list[PostAcknowledgement]"
    can_acknowledge: bool

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "投稿"
        indexes = [
            models.Index(fields=["patient", "channel", "-created_at", "-id"]),
            # Polling "since" and the API's id cursors: a range of ids on one timeline.
            models.Index(fields=["patient", "channel", "id"], name="post_timeline_id_idx"),
            # The notices of a timeline (counted for the API's total; listed without consent): few rows.
            models.Index(fields=["patient", "channel"], condition=Q(kind="notice"), name="post_notices_idx"),
            # The important first posts of a timeline (the annual report's time to the first reply): a few
            # percent of the posts; without it the report read every post of the city's year.
            models.Index(fields=["patient", "created_at"], condition=Q(important=True, parent__isnull=True),
                         name="post_important_idx"),
            # The first replies read by index alone (no row of the posts' table, which a long report otherwise
            # read from disk: 18,968 pages for five years at region scale): the open important first posts
            # of the team timelines with what the report needs of them, and the open replies.
            models.Index(fields=["patient", "created_at", "id", "author"],
                         condition=Q(important=True, parent__isnull=True, channel="team", retracted_at__isnull=True),
                         name="post_open_important_idx"),
            models.Index(fields=["parent", "created_at", "author"],
                         condition=Q(parent__isnull=False, retracted_at__isnull=True), name="post_open_reply_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(patient__isnull=False, group__isnull=True) | Q(patient__isnull=True, group__isnull=False),
                name="post_belongs_to_patient_or_group",
            )
        ]

    def __str__(self) -> str:
        return f"post {self.pk}"

    @property
    def is_retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW


class PostRevision(models.Model):
    """A previous text of an edited post (kept for history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class PostRead(models.Model):
    """A read receipt: who has read a post, and when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read_at", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="postread_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.post_id}"


class PatientPostYear(models.Model):
    """How many team-timeline posts (text and vitals) a patient's team wrote in one fiscal year.

    Kept by database triggers on network_post (renkei/network/tally.py), so every way a post is
    written — the app, bulk loads, COPY — counts; the annual report reads these rows instead of
    counting millions of posts. `manage.py recount_post_tally` rebuilds them from the posts.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.IntegerField()
    posts = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "年度別投稿数（集計）"
        constraints = [models.UniqueConstraint(fields=["patient", "fiscal_year"], name="post_tally_unique")]
        indexes = [models.Index(fields=["fiscal_year", "patient"], name="post_tally_fy_idx")]

    def __str__(self) -> str:
        return f"patient {self.patient_id} FY{self.fiscal_year}: {self.posts}"


class VitalSigns(models.Model):
    """Structured vital signs carried by a vitals post."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="vitals")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="vitals")
    measured_at = models.DateTimeField("測定日時")
    systolic = models.PositiveSmallIntegerField("血圧（上）", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("血圧（下）", null=True, blank=True)
    pulse = models.PositiveSmallIntegerField("脈拍", null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField("SpO2", null=True, blank=True)
    temperature = models.DecimalField("体温", max_digits=3, decimal_places=1, null=True, blank=True)
    weight = models.DecimalField("体重", max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-measured_at", "-id"]
        verbose_name = verbose_name_plural = "バイタルサイン"

    def __str__(self) -> str:
        return f"vitals {self.measured_at:%Y-%m-%d %H:%M}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "画像"
    PDF = "pdf", "PDF"


class Attachment(models.Model):
    """A checked file in the private storage (PRIVATE_MEDIA_ROOT or the bucket), reachable only through the download view."""

    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=60)
    original_name = models.CharField(max_length=200)
    path = models.CharField(max_length=200)
    thumbnail_path = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "添付ファイル"

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == AttachmentKind.IMAGE


class NotificationKind(models.TextChoices):
    MENTION = "mention", "メンション"
    INVITATION = "invitation", "招待"
    IMPORTANT = "important", "重要な投稿"
    REPLY = "reply", "返信"
    SHEET = "sheet", "連携シート"
    RECEIPT = "receipt", "受領確認"
    CONFERENCE = "conference", "カンファレンス"
    BACKBED = "backbed", "一時入院の回答"
    # Written by the directory (renkei/directory/referrals.py, windows.py): no patient, no group.
    REFERRAL = "referral", "受け入れ依頼"
    REFERRAL_ANSWER = "referral_answer", "依頼への回答"
    RECONFIRM = "reconfirm", "受け入れ状況の再確認"


class Notification(models.Model):
    """An in-app notification (the bell)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    patient = models.ForeignKey(Patient, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A coordination sheet sent to the recipient (kind sheet) or received by a hospital (kind receipt).
    sheet = models.ForeignKey("sheets.Sheet", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class PushSubscription(models.Model):
    """One browser or phone that receives Web Push for a user (the endpoint and keys its push service gave it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    # An endpoint belongs to one browser profile: if another user signs in there, it moves to that user.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "プッシュ通知の受信端末"

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"


class NotificationPreference(models.Model):
    """Which notifications reach a user's phones by Web Push, and when not (quiet hours); the bell shows all."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    push_mention = models.BooleanField("メンション", default=True)
    push_important = models.BooleanField("重要な投稿", default=True)
    push_sheet = models.BooleanField("自分宛ての連携シート", default=True)
    push_backbed = models.BooleanField("一時入院の依頼への回答", default=True)
    quiet_start = models.TimeField("通知しない時間帯（開始）", null=True, blank=True)
    quiet_end = models.TimeField("通知しない時間帯（終了）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知設定"

    def __str__(self) -> str:
        return f"notification preference of {self.user_id}"


class PostAcknowledgement(models.Model):
    """A professional's 「確認しました」 on a team post (the physician's view): shown under the post to the team."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField("確認日時", default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "id"]
        verbose_name = verbose_name_plural = "投稿の確認"
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="postack_unique")]
        indexes = [models.Index(fields=["user", "post"], name="postack_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged {self.post_id}"


class ReplyTemplate(models.Model):
    """A short reply a professional keeps to insert with one tap (「定型文」)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reply_templates")
    body = models.CharField("定型文", max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "返信の定型文"

    def __str__(self) -> str:
        return f"reply template {self.pk} of {self.user_id}"
