"""Print a new VAPID key pair for Web Push, as the settings read it (base64url)."""
import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def new_key_pair() -> tuple[str, str]:
    """(public, private): the P-256 public point (uncompressed, 65 bytes) and the private number (32 bytes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64(public), _b64(key.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY) for the Web Push of the network."

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = new_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
        self.stderr.write("Keep VAPID_PRIVATE_KEY secret (e.g. in a file named by VAPID_PRIVATE_KEY_FILE). A new pair "
                          "makes the browsers registered under the old one subscribe again (通知設定).")
