"""Small builders of the rows the report tests count, each in a named city (the records and programs
factories belong to their apps; these stay independent of them)."""
import datetime

from renkei.records.models import (
    Audience,
    Body,
    BodyKind,
    Consultation,
    Event,
    Meeting,
    RegionalActivity,
)
from tests import factories

MUSASHINO, MITAKA, FUCHU = "13203", "13204", "13206"


def city(code=MUSASHINO):
    return factories.city(code)


def staff_of(*codes, **kwargs):
    """A municipal staff member acting for the cities with these codes (Musashino when none given)."""
    return factories.staff_user(*[city(c) for c in codes], **kwargs)


def coordinator_of(*codes):
    return factories.coordinator_user(*[city(c) for c in codes])


def consultation(code=MUSASHINO, received_on=datetime.date(2025, 5, 10), category="admission_discharge"):
    return Consultation.objects.create(
        municipality=city(code), received_on=received_on, channel="phone", asker_profession="care_manager",
        category=category, summary="相談内容",
    )


def council(code=MUSASHINO):
    return Body.objects.create(
        municipality=city(code), kind=BodyKind.COUNCIL, name=f"協議会{Body.objects.count() + 1}", items=["i"],
    )


def meeting(body, held_on=datetime.date(2025, 7, 1)):
    return Meeting.objects.create(body=body, held_on=held_on, title="第1回")


def event(code=MUSASHINO, starts_on=datetime.date(2025, 7, 5), participants=30, audience=Audience.PROFESSIONALS,
          title="研修", **kwargs):
    return Event.objects.create(
        municipality=city(code), title=title, kind="training", audience=audience, starts_on=starts_on,
        ends_on=starts_on, status=kwargs.pop("status", "held"), participants=participants, **kwargs,
    )


def regional(code=MUSASHINO, held_on=datetime.date(2025, 6, 1), participants=(), title="北多摩南部保健医療圏 情報交換会"):
    activity = RegionalActivity.objects.create(
        municipality=city(code), title=title, counterpart="北多摩南部保健医療圏", held_on=held_on,
    )
    activity.participants.set([city(c) for c in participants])
    return activity
