"""Second-factor devices: TOTP enrolment, verification, single-use backup codes."""
import math

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


class Throttled(Exception):
    """Codes are not checked for a while after repeated wrong ones; `seconds` is the wait left."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        """What the user is told, in Japanese, with the wait left."""
        minutes, seconds = divmod(self.seconds, 60)
        wait = f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"
        return (
            f"確認コードの誤りが続いたため、あと{wait}は確認できません。時間をおいて、認証アプリの最新のコードを"
            "入力してください。身に覚えのない場合はパスワードを知られているおそれがあります。市の担当者に連絡してください。"
        )


def cap_throttling() -> None:
    """Give django-otp's back-off (1, 2, 4, ... seconds after 1, 2, 3, ... wrong codes in a row) a ceiling:
    OTP_THROTTLE_MAX_SECONDS instead of its hundred years. Every device check, the admin login's too, reads
    this module constant when it runs; called once at start-up (CoreConfig.ready)."""
    from django_otp import models as otp_models

    otp_models.MAX_THROTTLE_DELAY_SECONDS = settings.OTP_THROTTLE_MAX_SECONDS


def wait_seconds(device: Device) -> int:
    """Seconds left before `device` checks codes again after wrong ones (0 when it does now)."""
    allowed, data = device.verify_is_allowed()
    if allowed or not data or "locked_until" not in data:
        return 0
    left: float = (data["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def match(user: AbstractBaseUser, token: str) -> Device | None:
    """The confirmed device that accepts this code (consuming it), or None.

    TOTP codes are refused when reused (django-otp keeps the last accepted time step);
    backup codes are deleted on use. After wrong codes the account waits (`wait_seconds`, the
    longest of its devices): raises Throttled without checking the code.
    """
    devices = list(devices_for_user(user, confirmed=True))
    wait = max((wait_seconds(device) for device in devices), default=0)
    if wait:
        raise Throttled(wait)
    for device in devices:
        if device.verify_token(token):
            for other in devices:
                if other is not device and other.throttling_failure_count:
                    other.throttle_reset()
            return device
    return None


def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's backup codes with a fresh set and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def demo_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """Give a demo account a TOTP device with the documented demo-only secret (RENKEI_DEMO=1 only)."""
    import base64

    if not settings.DEMO:
        raise RuntimeError("The demo TOTP secret is only for RENKEI_DEMO=1.")
    key_hex = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET).hex()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": key_hex, "confirmed": True, "digits": 6, "step": 30}
    )
    return device


def pending_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The user's unconfirmed TOTP device being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def b32_secret(device: TOTPDevice) -> str:
    """The device secret in base32, for typing into an authenticator app by hand."""
    import base64

    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URI as an inline SVG QR code."""
    import io

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()
