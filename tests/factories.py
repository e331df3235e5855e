"""factory_boy factories for the core models, and a helper to pass the second factor in tests."""
import datetime
import secrets

import factory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import Facility, FacilityKind, Municipality, Profession, RegistrationStatus, User

PASSWORD = "correct-horse-battery-staple"


AREA = {"13203": ("武蔵野市", "むさしのし"), "13204": ("三鷹市", "みたかし"), "13206": ("府中市", "ふちゅうし"),
        "13208": ("調布市", "ちょうふし"), "13210": ("小金井市", "こがねいし"), "13219": ("狛江市", "こまえし")}


def city(code):
    """One of the area's seeded municipalities (get_or_create: transactional tests flush the seed)."""
    name, kana = AREA[code]
    return Municipality.objects.get_or_create(code=code, defaults={"name": name, "name_kana": kana})[0]


def musashino():
    return city("13203")


def mitaka():
    return city("13204")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"テスト事業所{n}")
    name_kana = factory.Sequence(lambda n: f"テストジギョウショ{n}")
    kind = FacilityKind.VISITING_NURSING
    municipality = factory.LazyFunction(musashino)
    address = "東京都武蔵野市吉祥寺本町1-1-1"
    lat = 35.705
    lon = 139.58


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"試験 太郎{n}")
    name_kana = factory.Sequence(lambda n: f"シケン タロウ{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    profession = Profession.NURSE
    registration_status = RegistrationStatus.APPROVED
    approved_on = factory.Faker("date_between", start_date="-2y", end_date="today")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def acts_for(self, create, extracted, **kwargs):
        """Staff and coordinators act for Musashino unless a list of municipalities is given."""
        if not create:
            return
        if extracted is not None:
            self.acts_for.set(extracted)
        elif self.is_municipal_staff or self.is_coordinator:
            self.acts_for.add(musashino())


def staff_user(*cities, **kwargs):
    """A municipal staff member (市職員) acting for these municipalities (Musashino when none are given)."""
    return UserFactory(is_municipal_staff=True, profession=Profession.MUNICIPAL, acts_for=list(cities) or None, **kwargs)


def coordinator_user(*cities, **kwargs):
    """A coordinator (コーディネーター) acting for these municipalities (Musashino when none are given)."""
    return UserFactory(is_coordinator=True, profession=Profession.COORDINATOR, acts_for=list(cities) or None, **kwargs)


def api_key(user):
    """A fresh bearer key (an API token valid for an hour) for the user."""
    from renkei.core.models import ApiToken  # here: with the others, the import line would wrap

    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return key


def totp_device(user):
    """A confirmed TOTP device for the user."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def verify_client(client, user, verified=True):
    """Log the Django test client in as `user`, with the second factor passed unless verified=False."""
    client.force_login(user, backend="renkei.core.auth.ApprovedUserBackend")
    if verified:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def submission_token(response):
    """The one-time token of the (first) create form on a rendered page (core/idempotency.py)."""
    import re

    return re.search(r'name="submission_token" value="([^"]+)"', response.content.decode()).group(1)


def current_code(device):
    """The TOTP code a device accepts right now (6 digits)."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
