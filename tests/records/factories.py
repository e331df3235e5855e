"""Factories of the program records (items イ–ク) and the data a new-consultation form posts.

Records belong to Musashino (13203) unless a `municipality` (or a parent of another city) is given;
`fuchu()` gives one more city of the area (tests.factories has `mitaka()`, `city(code)` and the users)."""
import datetime

import factory
from django.utils import timezone

from renkei.records import models
from tests.factories import city, musashino


def fuchu():
    return city("13206")


def consultation_form(**kw):
    """What the new-consultation form posts for a valid consultation received today."""
    return {
        "received_on": timezone.localdate().isoformat(), "channel": "phone", "asker_profession": "care_manager",
        "category": "admission_discharge", "summary": "退院後の訪問診療先を探している", "follow_up_status": "none",
    } | kw


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Body

    municipality = factory.LazyFunction(musashino)
    kind = models.BodyKind.SUBCOMMITTEE
    name = factory.Sequence(lambda n: f"テスト部会{n}")
    items = factory.LazyFunction(lambda: ["u"])


class CouncilFactory(BodyFactory):
    kind = models.BodyKind.COUNCIL
    name = factory.Sequence(lambda n: f"テスト協議会{n}")
    items = factory.LazyFunction(lambda: ["i"])
    term_start = datetime.date(2024, 4, 1)
    term_end = datetime.date(2027, 3, 31)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    body = factory.SubFactory(CouncilFactory)
    held_on = datetime.date(2025, 7, 1)
    title = "第1回"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consultation

    municipality = factory.LazyFunction(musashino)
    received_on = datetime.date(2025, 5, 10)
    channel = "phone"
    asker_profession = "care_manager"
    category = "admission_discharge"
    summary = factory.Sequence(lambda n: f"相談内容{n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    municipality = factory.LazyFunction(musashino)
    title = factory.Sequence(lambda n: f"研修{n}")
    kind = "training"
    audience = "professionals"
    starts_on = datetime.date(2025, 7, 5)
    ends_on = datetime.date(2025, 7, 5)
    status = "held"
    participants = 30


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"受講者{n}")
    profession = "nurse"


class RegionalActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RegionalActivity

    municipality = factory.LazyFunction(musashino)
    title = "北多摩南部保健医療圏 情報交換会"
    counterpart = "北多摩南部保健医療圏"
    held_on = datetime.date(2025, 6, 1)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Issue

    body = factory.SubFactory(CouncilFactory)
    title = factory.Sequence(lambda n: f"課題{n}")
    item = "u"
    raised_on = datetime.date(2025, 7, 1)


class CountermeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Countermeasure

    issue = factory.SubFactory(IssueFactory)
    description = "対応策"
    item = "u"
    owner = "事務局"


class MeetingAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingAttachment

    meeting = factory.SubFactory(MeetingFactory)
    file = factory.django.FileField(filename="siryou.pdf", data=b"%PDF-1.4 demo")
    name = "資料.pdf"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Survey

    event = factory.SubFactory(EventFactory)
    kind = "after"
    title = "事後アンケート"
    opens_on = datetime.date(2025, 7, 5)


class PamphletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Pamphlet

    municipality = factory.LazyFunction(musashino)
    title = factory.Sequence(lambda n: f"パンフレット{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PamphletEdition

    pamphlet = factory.SubFactory(PamphletFactory)
    edition = "初版"
    published_on = datetime.date(2024, 4, 1)
    print_run = 1000
