"""Core models: municipalities, facilities (minimal), users and roles, API tokens, the audit trail."""
import hashlib
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone


class NamedModel(models.Model):
    """An abstract base of the records shown (admin, select lists, audit labels) by their `name`."""

    class Meta:
        abstract = True

    name: str

    def __str__(self) -> str:
        return self.name


class Municipality(NamedModel):
    """A municipality identified by its national local-government code (全国地方公共団体コード, 5 digits)."""

    code = models.CharField("団体コード", max_length=6, unique=True)
    name = models.CharField("市区町村名", max_length=50)
    name_kana = models.CharField("市区町村名（かな）", max_length=100, blank=True)
    prefecture = models.CharField("都道府県", max_length=10, default="東京都")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "市区町村"


def city_of_record(verbose_name: str = "市区町村") -> "models.ForeignKey[Municipality, Municipality]":
    """The city a record of the municipal programmes, records and reports belongs to: one declaration of
    what `renkei.core.access.in_my_cities` filters on. PROTECT (a city with records stays), no reverse name."""
    return models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name)


class FacilityKind(models.TextChoices):
    """Fixed taxonomy of Japanese medical and care provider kinds."""

    HOSPITAL = "hospital", "病院"
    CLINIC = "clinic", "診療所"
    HOME_CARE_CLINIC = "home_care_clinic", "在宅療養支援診療所"
    DENTAL = "dental", "歯科診療所"
    PHARMACY = "pharmacy", "薬局"
    VISITING_NURSING = "visiting_nursing", "訪問看護ステーション"
    CARE_MANAGEMENT = "care_management", "居宅介護支援事業所"
    HOME_HELP = "home_help", "訪問介護"
    VISITING_BATH = "visiting_bath", "訪問入浴介護"
    VISITING_REHAB = "visiting_rehab", "訪問リハビリテーション"
    DAY_CARE = "day_care", "通所介護"
    COMMUNITY_DAY_CARE = "community_day_care", "地域密着型通所介護"
    DAY_REHAB = "day_rehab", "通所リハビリテーション"
    SHORT_STAY = "short_stay", "短期入所生活介護"
    PATROL_NURSING = "patrol_nursing", "定期巡回・随時対応型訪問介護看護"
    SMALL_MULTI = "small_multi", "小規模多機能型居宅介護"
    GROUP_HOME = "group_home", "認知症対応型共同生活介護"
    NURSING_HOME = "nursing_home", "介護老人福祉施設（特養）"
    HEALTH_FACILITY = "health_facility", "介護老人保健施設（老健）"
    CARE_MEDICAL = "care_medical", "介護医療院"
    COMMUNITY_SUPPORT = "community_support", "地域包括支援センター"
    SUPPORT_OFFICE = "support_office", "在宅医療・介護連携支援室"
    MUNICIPAL_OFFICE = "municipal_office", "市区町村"
    OTHER = "other", "その他"


class Facility(NamedModel):
    """An organisation at a place (事業所・医療機関・施設). The directory app enriches it."""

    name = models.CharField("名称", max_length=200)
    name_kana = models.CharField("名称（カナ）", max_length=300, blank=True)
    kind = models.CharField("種別", max_length=40, choices=FacilityKind.choices, db_index=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="市区町村", on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.CharField("所在地", max_length=300, blank=True)
    lat = models.FloatField("緯度", null=True, blank=True)
    lon = models.FloatField("経度", null=True, blank=True)
    official_id = models.CharField(
        "公的ID", max_length=40, blank=True, help_text="医療機関コード・介護保険事業所番号など"
    )
    phone = models.CharField("電話番号", max_length=30, blank=True)
    is_fictional = models.BooleanField("架空（デモ用）", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_kana", "name"]
        verbose_name = verbose_name_plural = "事業所・医療機関"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "official_id"],
                condition=~models.Q(official_id=""),
                name="facility_unique_official_id_per_kind",
            )
        ]


class Profession(models.TextChoices):
    """Professions registered on the regional ICT network (職種)."""

    PHYSICIAN = "physician", "医師"
    DENTIST = "dentist", "歯科医師"
    PHARMACIST = "pharmacist", "薬剤師"
    NURSE = "nurse", "看護師（訪問看護）"
    THERAPIST = "therapist", "理学療法士・作業療法士・言語聴覚士"
    CARE_MANAGER = "care_manager", "介護支援専門員"
    HOME_HELPER = "home_helper", "訪問介護員"
    COMMUNITY_SUPPORT = "community_support", "地域包括支援センター職員"
    HOSPITAL_LIAISON = "hospital_liaison", "病院 医療連携室（MSW・看護師）"
    MUNICIPAL = "municipal", "市職員"
    COORDINATOR = "coordinator", "連携支援室コーディネーター"
    OTHER = "other", "その他"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "審査中"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "却下"
    WITHDRAWN = "withdrawn", "退会"


class User(AbstractUser):
    """A person using Renkei: a registered professional, municipal staff, a coordinator."""

    # Read once per request and kept on the user object by renkei.core.access (no database column).
    _renkei_cities: "list[Municipality]"
    _renkei_family_only: bool
    _password_changing: bool  # set by core.signals between pre_save and post_save

    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名（カナ）", max_length=200, blank=True)
    profession = models.CharField("職種", max_length=30, choices=Profession.choices, default=Profession.OTHER)
    phone = models.CharField("連絡先電話番号", max_length=30, blank=True)
    facilities: "models.ManyToManyField[Facility, Affiliation]" = models.ManyToManyField(
        Facility, through="Affiliation", related_name="members", blank=True, verbose_name="所属"
    )
    is_municipal_staff = models.BooleanField("市職員（事業担当）", default=False)
    is_coordinator = models.BooleanField("連携支援室コーディネーター", default=False)
    # The municipalities whose program records, programs and reports a staff member or coordinator acts
    # for (set on approval); see renkei.core.access, "municipalities". Professionals act for none.
    acts_for = models.ManyToManyField(
        Municipality, blank=True, related_name="staff_members", verbose_name="担当する市区町村",
        help_text="市職員・コーディネーターが事業記録・市の事業・報告を扱う市区町村",
    )
    registration_status = models.CharField(
        "登録状況", max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    applied_at = models.DateTimeField("申請日時", default=timezone.now)
    decided_at = models.DateTimeField("審査日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="審査者"
    )
    decision_reason = models.TextField("審査理由", blank=True)
    approved_on = models.DateField("登録日", null=True, blank=True, db_index=True)
    withdrawn_on = models.DateField("退会日", null=True, blank=True)
    # A facility the applicant named because it was not in the list; staff register it on approval.
    applied_facility_name = models.CharField("申請された事業所名（一覧にない場合）", max_length=200, blank=True)
    applied_facility_kind = models.CharField(
        "申請された事業所の種別", max_length=40, choices=FacilityKind.choices, blank=True
    )
    applied_facility_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="申請された事業所の市区町村",
    )
    email_digest = models.BooleanField("メールでお知らせの要約を受け取る", default=False)

    objects: "ClassVar[UserManager[Self]]" = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "アカウント"
        ordering = ["name_kana", "username"]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def is_pending(self) -> bool:
        return self.registration_status == RegistrationStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.registration_status == RegistrationStatus.APPROVED

    @property
    def is_professional(self) -> bool:
        return self.is_approved and self.profession not in {Profession.MUNICIPAL}

    def administered_facilities(self) -> QuerySet[Facility]:
        """Facilities this user may edit as facility administrator."""
        return Facility.objects.filter(affiliations__user=self, affiliations__is_admin=True)


class Affiliation(models.Model):
    """A user working for a facility; `is_admin` makes them its facility administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affiliations")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="affiliations")
    is_admin = models.BooleanField("事業所管理者", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "facility"], name="affiliation_unique")]
        verbose_name = verbose_name_plural = "所属"

    def __str__(self) -> str:
        return f"{self.user} @ {self.facility}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only a SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "APIトークン"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """One append-only, hash-chained row of the audit trail."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of the AUDIT_CHAINS hash chains this row extends (core/audit.py): concurrent writers append to
    # different chains, so no global lock serialises them; anchors (AuditAnchor) tie the chains' heads together.
    chain = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "監査ログ"
        indexes = [
            models.Index(fields=["object_type", "object_id"]), models.Index(fields=["chain", "id"]),
            # One member's rows in a time window (the report's dormant and active members): one index probe
            # per member, where the actor's index alone read every row of the member (or of the table).
            models.Index(fields=["actor", "created_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def compute_hash(self) -> str:
        """The SHA-256 of this row's content chained to the previous row's hash."""
        return hashlib.sha256((self.prev_hash + self.hashed_content()).encode()).hexdigest()

    def hashed_content(self) -> str:
        """What the hash covers after the previous row's hash (the database can append it to that hash)."""
        parts = [
            "",
            self.created_at.isoformat(),
            str(self.actor_id or ""),
            self.actor_username,
            self.action,
            self.object_type,
            self.object_id,
            self.patient_id,
            self.detail,
            self.ip or "",
            self.user_agent,
        ]
        return "\x1f".join(parts)


class AuditAnchor(models.Model):
    """The heads of every audit chain at one moment, itself hash-chained (core/audit.py: anchor()).

    A row deleted from the end of one chain leaves that chain's links intact; the anchors written after it
    still name it, so verify_chain() reports it. Written by `manage.py anchor_audit` (run it every minute),
    by verify_audit and by backup.
    """

    created_at = models.DateTimeField(default=timezone.now)
    heads = models.JSONField(default=dict)  # {"chain": [id, hash], …}
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "監査ログの錨"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {len(self.heads)} chains"

    def compute_hash(self) -> str:
        """The SHA-256 of the heads (in chain order) chained to the previous anchor's hash."""
        heads = "\x1f".join(f"{chain}:{pk}:{digest}" for chain, (pk, digest) in sorted(
            self.heads.items(), key=lambda item: int(item[0])))
        return hashlib.sha256(f"{self.prev_hash}{self.created_at.isoformat()}\x1f{heads}".encode()).hexdigest()


class IdempotencyKey(models.Model):
    """The first answer to an API create call sent with an `Idempotency-Key` header (see core/idempotency.py).

    Written in the same transaction as what the call created, so a retry finds it even when the client
    never saw the answer; (user, key) is unique, so two concurrent calls with one key create one object.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method_path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        verbose_name = verbose_name_plural = "冪等キー"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class FacilityAdminStatus(models.TextChoices):
    PENDING = "pending", "承認待ち"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "却下"
    REVOKED = "revoked", "取消"


class FacilityAdministrator(models.Model):
    """A facility administrator (施設管理者): nominated by a member of the facility, approved by municipal staff
    of the facility's city, who may revoke it. While approved, the nominee registers and withdraws the
    facility's staff (renkei/core/facility_staff.py); never patient data. Distinct from `Affiliation.is_admin`,
    which only lets a member edit the facility's directory entry."""

    # Staff decide on the nominations of the cities they act for (renkei.core.access.in_my_cities).
    municipality_path = "facility__municipality"

    facility = models.ForeignKey(Facility, verbose_name="事業所", on_delete=models.CASCADE,
                                 related_name="administrators")
    user = models.ForeignKey(User, verbose_name="施設管理者", on_delete=models.CASCADE,
                             related_name="facility_admin_roles")
    status = models.CharField("状態", max_length=20, choices=FacilityAdminStatus.choices,
                              default=FacilityAdminStatus.PENDING, db_index=True)
    nominated_by = models.ForeignKey(User, verbose_name="推薦者", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    nominated_at = models.DateTimeField("推薦日時", default=timezone.now)
    reason = models.TextField("推薦の理由", blank=True)
    decided_by = models.ForeignKey(User, verbose_name="審査者", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField("審査日時", null=True, blank=True)
    decision_reason = models.TextField("審査・取消の理由", blank=True)

    class Meta:
        ordering = ["-nominated_at", "-id"]
        verbose_name = verbose_name_plural = "施設管理者"
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "user"], condition=models.Q(status__in=["pending", "approved"]),
                name="facility_admin_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.facility} ({self.get_status_display()})"
