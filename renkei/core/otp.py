"""Second-factor devices: TOTP enrolment, verification, single-use backup codes."""
from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


def match(user, token):
    """The confirmed device that accepts this code (consuming it), or None.

    TOTP codes are refused when reused (django-otp keeps the last accepted time step);
    backup codes are deleted on use; devices throttle after failures.
    """
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def new_backup_codes(user):
    """Replace the user's backup codes with a fresh set and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def demo_totp_device(user):
    """Give a demo account a TOTP device with the documented demo-only secret (RENKEI_DEMO=1 only)."""
    import base64

    if not settings.DEMO:
        raise RuntimeError("The demo TOTP secret is only for RENKEI_DEMO=1.")
    key_hex = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET).hex()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": key_hex, "confirmed": True, "digits": 6, "step": 30}
    )
    return device


def pending_totp_device(user):
    """The user's unconfirmed TOTP device being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def b32_secret(device):
    """The device secret in base32, for typing into an authenticator app by hand."""
    import base64

    return base64.b32encode(device.bin_key).decode()


def qr_svg(device):
    """The device's otpauth:// URI as an inline SVG QR code."""
    import io

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()
