"""factory_boy factories for the care-team network."""
import base64
import datetime
import secrets

import factory
from django.utils import timezone

from renkei.core.models import Profession
from renkei.network import unread
from renkei.network.models import (
    CareLevel,
    CareTeamMember,
    Consent,
    ConsentMethod,
    MemberStatus,
    Patient,
    Post,
    PostKind,
    PushSubscription,
    Sex,
    TeamRole,
)
from tests.factories import UserFactory, musashino


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    name = factory.Sequence(lambda n: f"試験 花子{n}")
    name_kana = factory.Sequence(lambda n: f"しけん はなこ{n}")
    birth_date = datetime.date(1938, 4, 12)
    sex = Sex.FEMALE
    address = "東京都武蔵野市（架空）1-2-3"
    municipality = factory.LazyFunction(musashino)
    care_level = CareLevel.CARE_2
    is_fictional = True


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    """An ACTIVE member of a patient's care team (pass status= for others)."""

    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    user = factory.SubFactory(UserFactory, profession=Profession.NURSE)
    role = TeamRole.VISITING_NURSE
    is_manager = False
    status = MemberStatus.ACTIVE
    responded_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A new member starts at its true unread count, as services.invite_member does."""
        member = model_class(*args, **kwargs)
        member.unread_count = unread.initial_count(patient_id=member.patient_id, user_id=member.user_id)
        member.save()
        return member


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    obtained_on = factory.LazyFunction(timezone.localdate)
    method = ConsentMethod.WRITTEN
    obtained_by = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(UserFactory)
    kind = PostKind.TEXT
    body = factory.Sequence(lambda n: f"本日訪問しました。状態は安定しています。({n})")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The team's unread counters follow the post, as services.create_post does."""
        post = super()._create(model_class, *args, **kwargs)
        unread.post_added(post)
        return post


def browser_keys():
    """A browser's push keys as its PushSubscription gives them: a P-256 public point and a 16-byte secret."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {name: base64.urlsafe_b64encode(raw).decode().rstrip("=")
            for name, raw in (("p256dh", point), ("auth", secrets.token_bytes(16)))}


def push_subscription(user):
    """A registered browser of the user (its endpoint at a push service that tests never reach)."""
    return PushSubscription.objects.create(
        user=user, endpoint=f"https://push.example.invalid/send/{secrets.token_urlsafe(12)}", **browser_keys())
