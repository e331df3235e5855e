"""Program records: council and subcommittees (イ), consultations (オ), events and surveys (カ, キ),
pamphlets (キ) and regional cooperation (ク)."""
import secrets

from django.conf import settings
from django.db import models

from renkei.core.figures import ITEMS
from renkei.core.models import NamedModel, city_of_record

ITEM_CHOICES = [(key, label) for key, label in ITEMS.items()]


def new_token():
    return secrets.token_urlsafe(24)


class BodyKind(models.TextChoices):
    COUNCIL = "council", "協議会"
    SUBCOMMITTEE = "subcommittee", "部会"


class Body(NamedModel):
    """The council (協議会) or one of its subcommittees (部会)."""

    municipality = city_of_record()
    kind = models.CharField("種別", max_length=20, choices=BodyKind.choices)
    name = models.CharField("名称", max_length=100)
    council = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subcommittees", verbose_name="協議会"
    )
    items = models.JSONField("担当する事業項目", default=list, blank=True, help_text="(ア)〜(ク)のキー")
    term_start = models.DateField("任期（開始）", null=True, blank=True)
    term_end = models.DateField("任期（終了）", null=True, blank=True)
    established_on = models.DateField("設置日", null=True, blank=True)
    secretariat = models.CharField("事務局", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="body_name_unique_per_city")]
        verbose_name = verbose_name_plural = "協議会・部会"


    @property
    def item_labels(self):
        return [ITEMS[key] for key in self.items if key in ITEMS]


class BodyMember(models.Model):
    """A member organisation (構成メンバー) of the council or a subcommittee."""

    municipality_path = "body__municipality"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members", verbose_name="協議会・部会")
    organisation = models.CharField("構成団体", max_length=100)
    facility = models.ForeignKey(
        "core.Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="事業所"
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "organisation"], name="body_member_unique")]
        verbose_name = verbose_name_plural = "構成団体"

    def __str__(self):
        return self.organisation


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", "対面開催"
    ONLINE = "online", "オンライン開催"
    WRITTEN = "written", "書面開催"
    CANCELLED = "cancelled", "中止"


class Meeting(models.Model):
    """One meeting of the council or a subcommittee."""

    municipality_path = "body__municipality"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name="協議会・部会")
    held_on = models.DateField("開催日", db_index=True)
    title = models.CharField("会議名", max_length=200, blank=True, help_text="例：令和8年度 第1回")
    format = models.CharField("開催形式", max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    agenda = models.TextField("議題", blank=True)
    attendees = models.TextField("出席者", blank=True, help_text="1行に1名（所属・氏名）")
    minutes = models.TextField("議事録", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "会議"

    def __str__(self):
        return f"{self.body} {self.title or self.held_on}"

    @property
    def attendee_list(self):
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class MeetingAttachment(NamedModel):
    """A file handed out at or written after a meeting (資料, 議事録の原本)."""

    municipality_path = "meeting__body__municipality"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("ファイル", upload_to="records/meetings/%Y/")
    name = models.CharField("ファイル名", max_length=200)
    # The stored file's digest, so `manage.py check_files` can tell an altered file from the original.
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "会議資料"


class IssueStatus(models.TextChoices):
    OPEN = "open", "検討中"
    ADDRESSED = "addressed", "対応策決定"
    CLOSED = "closed", "解決"


class Issue(models.Model):
    """An issue (課題) raised in the council or a subcommittee."""

    municipality_path = "body__municipality"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="issues", verbose_name="提起した会議体")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues", verbose_name="提起された会議"
    )
    title = models.CharField("課題", max_length=200)
    description = models.TextField("内容", blank=True)
    item = models.CharField("事業項目", max_length=4, choices=ITEM_CHOICES)
    raised_on = models.DateField("提起日")
    status = models.CharField("状況", max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = verbose_name_plural = "課題"

    def __str__(self):
        return self.title


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", "未着手"
    IN_PROGRESS = "in_progress", "実施中"
    DONE = "done", "完了"
    DROPPED = "dropped", "見送り"


class Countermeasure(models.Model):
    """A countermeasure (対応策) decided for an issue."""

    municipality_path = "issue__body__municipality"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="countermeasures", verbose_name="課題")
    description = models.TextField("対応策")
    item = models.CharField("事業項目", max_length=4, choices=ITEM_CHOICES)
    owner = models.CharField("担当", max_length=100)
    due_on = models.DateField("期限", null=True, blank=True)
    progress = models.CharField("進捗", max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED)
    progress_note = models.TextField("進捗メモ", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "対応策"

    def __str__(self):
        return self.description[:40]


class Channel(models.TextChoices):
    PHONE = "phone", "電話"
    VISIT_DESK = "desk", "来所"
    EMAIL = "email", "メール"
    HOME_VISIT = "home_visit", "訪問"
    ONLINE = "online", "オンライン"


class AskerProfession(models.TextChoices):
    """Who asked: a professional (by profession) or a resident / family member."""

    PHYSICIAN = "physician", "医師"
    DENTIST = "dentist", "歯科医師"
    PHARMACIST = "pharmacist", "薬剤師"
    NURSE = "nurse", "看護師"
    THERAPIST = "therapist", "リハビリ職"
    CARE_MANAGER = "care_manager", "ケアマネジャー"
    HOME_HELPER = "home_helper", "訪問介護"
    COMMUNITY_SUPPORT = "community_support", "地域包括支援センター"
    HOSPITAL_LIAISON = "hospital_liaison", "病院 医療連携室"
    MUNICIPAL = "municipal", "行政"
    OTHER_PROFESSIONAL = "other_professional", "その他の関係者"
    RESIDENT = "resident", "本人（市民）"
    FAMILY = "family", "家族"


class Category(models.TextChoices):
    ADMISSION_DISCHARGE = "admission_discharge", "入退院"
    REFERRAL = "referral", "医療機関の紹介"
    HOME_MEDICAL = "home_medical", "在宅医療"
    CARE_SERVICES = "care_services", "介護サービス"
    DEMENTIA = "dementia", "認知症"
    END_OF_LIFE = "end_of_life", "看取り・ACP"
    ICT = "ict", "ICT"
    OTHER = "other", "その他"


class FollowUpStatus(models.TextChoices):
    NONE = "none", "不要"
    OPEN = "open", "対応中"
    DONE = "done", "完了"


class Consultation(models.Model):
    """One consultation received at the desk (item オ)."""

    municipality = city_of_record("相談を受けた市区町村")
    received_on = models.DateField("受付日", db_index=True)
    channel = models.CharField("受付方法", max_length=20, choices=Channel.choices)
    asker_profession = models.CharField("相談者", max_length=30, choices=AskerProfession.choices, db_index=True)
    asker_organisation = models.CharField("相談者の所属", max_length=200, blank=True)
    category = models.CharField("相談分類", max_length=30, choices=Category.choices, db_index=True)
    summary = models.TextField("相談内容")
    response = models.TextField("対応", blank=True)
    referral = models.CharField("紹介・つなぎ先", max_length=200, blank=True)
    minutes_spent = models.PositiveIntegerField("対応時間（分）", null=True, blank=True)
    follow_up = models.TextField("フォローアップ", blank=True)
    follow_up_status = models.CharField(
        "フォローアップ状況", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )
    # The network app owns patients; the link is kept as the patient's id and is only ever set
    # (and shown) through network.selectors.patients_visible_to(user).
    patient_ref = models.CharField("関連する患者（ID）", max_length=64, blank=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "相談"

    def __str__(self):
        return f"{self.received_on} {self.get_category_display()}"


class EventKind(models.TextChoices):
    TRAINING = "training", "研修"
    GROUP_WORK = "group_work", "グループワーク"
    LECTURE = "lecture", "講演会"
    SEMINAR = "seminar", "市民セミナー"
    FILM = "film", "映画配信"
    EVENT = "event", "イベント"


class Audience(models.TextChoices):
    PROFESSIONALS = "professionals", "医療・介護関係者"
    RESIDENTS = "residents", "市民"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "会場"
    ONLINE = "online", "オンライン（同時配信）"
    STREAMED = "streamed", "期間配信"


class EventStatus(models.TextChoices):
    PLANNED = "planned", "予定"
    HELD = "held", "実施"
    CANCELLED = "cancelled", "中止"


class Event(models.Model):
    """A training for professionals (カ) or an outreach event for residents (キ)."""

    municipality = city_of_record("実施した市区町村")
    title = models.CharField("名称", max_length=200)
    theme = models.CharField("テーマ", max_length=200, blank=True, help_text="例：ACP")
    kind = models.CharField("種類", max_length=20, choices=EventKind.choices)
    audience = models.CharField("対象", max_length=20, choices=Audience.choices)
    delivery = models.CharField("実施方法", max_length=20, choices=Delivery.choices, default=Delivery.IN_PERSON)
    status = models.CharField("状況", max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    venue = models.CharField("会場", max_length=200, blank=True)
    starts_on = models.DateField("開始日", db_index=True)
    ends_on = models.DateField("終了日")
    registration_required = models.BooleanField(
        "申込制", default=False, help_text="申込者だけが参加できる場合。参加者数は申込者数を超えられません。"
    )
    registered_count = models.PositiveIntegerField(
        "申込者数（集計のみ）", null=True, blank=True, help_text="申込者を個別に登録しない場合の人数"
    )
    participants = models.PositiveIntegerField("参加者数（名）", null=True, blank=True)
    online_accounts = models.PositiveIntegerField("参加アカウント数", null=True, blank=True)
    notes = models.TextField("備考", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "研修・普及啓発イベント"

    def __str__(self):
        return self.title

    @property
    def item(self):
        """Trainings for professionals serve (カ); events for residents serve (キ)."""
        return "ka" if self.audience == Audience.PROFESSIONALS else "ki"


class Registration(NamedModel):
    """A person registered for an event, with their profession."""

    municipality_path = "event__municipality"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField("氏名", max_length=100)
    profession = models.CharField("職種", max_length=30, choices=AskerProfession.choices)
    organisation = models.CharField("所属", max_length=200, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    attended = models.BooleanField("出席", default=False)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "申込"


class SurveyKind(models.TextChoices):
    AFTER = "after", "事後アンケート"
    FOLLOW_UP = "follow_up", "3か月後アンケート"


class Survey(models.Model):
    """A questionnaire after an event, or the follow-up three months later."""

    municipality_path = "event__municipality"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField("種類", max_length=20, choices=SurveyKind.choices)
    title = models.CharField("タイトル", max_length=200)
    opens_on = models.DateField("回答受付開始日")
    closes_on = models.DateField("回答締切日", null=True, blank=True)

    class Meta:
        ordering = ["opens_on", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="survey_unique_kind_per_event")]
        verbose_name = verbose_name_plural = "アンケート"

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SCALE = "scale", "5段階評価"
    TEXT = "text", "自由記述"


class Question(models.Model):
    municipality_path = "survey__event__municipality"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField("設問", max_length=300)
    kind = models.CharField("回答形式", max_length=10, choices=QuestionKind.choices)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "設問"

    def __str__(self):
        return self.text


class SurveyInvitation(models.Model):
    """The unique answer link of one participant for one survey."""

    municipality_path = "survey__event__municipality"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="invitation_unique_per_survey")
        ]

    def __str__(self):
        return f"{self.survey} / {self.registration}"


class Answer(models.Model):
    municipality_path = "invitation__survey__event__municipality"

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "question"], name="answer_unique")]

    def __str__(self):
        return f"{self.question}: {self.scale or self.text[:20]}"


class Pamphlet(models.Model):
    """Outreach material for residents (キ)."""

    municipality = city_of_record("発行した市区町村")
    title = models.CharField("名称", max_length=200)
    description = models.TextField("内容", blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["municipality", "title"], name="pamphlet_title_unique_per_city")]
        verbose_name = verbose_name_plural = "パンフレット"

    def __str__(self):
        return self.title


class PamphletEdition(models.Model):
    municipality_path = "pamphlet__municipality"

    pamphlet = models.ForeignKey(Pamphlet, on_delete=models.CASCADE, related_name="editions")
    edition = models.CharField("版", max_length=50, help_text="例：初版、改訂版（令和4年）")
    published_on = models.DateField("発行日")
    print_run = models.PositiveIntegerField("印刷部数")

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["pamphlet", "edition"], name="edition_unique")]
        verbose_name = verbose_name_plural = "パンフレットの版"

    def __str__(self):
        return f"{self.pamphlet} {self.edition}"


class PamphletDistribution(models.Model):
    municipality_path = "edition__pamphlet__municipality"

    edition = models.ForeignKey(PamphletEdition, on_delete=models.CASCADE, related_name="distributions")
    place = models.CharField("配布先", max_length=200)
    distributed_on = models.DateField("配布日")
    copies = models.PositiveIntegerField("部数")

    class Meta:
        ordering = ["-distributed_on", "-id"]
        verbose_name = verbose_name_plural = "パンフレットの配布"

    def __str__(self):
        return f"{self.place} {self.copies}部"


class RegionalActivity(models.Model):
    """A meeting or exchange with other municipalities, the health centre or Tokyo (ク).

    Recorded once by one city (`municipality`); every city in `participants` sees it and counts it in
    its report.
    """

    municipality = city_of_record("記録した市区町村")
    participants = models.ManyToManyField(
        "core.Municipality", blank=True, related_name="+", verbose_name="参加した市区町村",
        help_text="記録した市区町村のほかに参加した市区町村",
    )
    title = models.CharField("名称", max_length=200)
    counterpart = models.CharField("相手方", max_length=200, help_text="例：北多摩南部保健医療圏、東京都")
    held_on = models.DateField("開催日", db_index=True)
    format = models.CharField("開催形式", max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    summary = models.TextField("内容・共有した情報", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "関係市区町村との連携"

    def __str__(self):
        return self.title

    @classmethod
    def city_scope(cls, city_ids):
        """Activities a city recorded or took part in."""
        took_part = cls.participants.through.objects.filter(
            regionalactivity=models.OuterRef("pk"), municipality__in=city_ids
        )
        return models.Q(municipality__in=city_ids) | models.Q(models.Exists(took_part))
