"""Print the current TOTP code of the demo accounts (RENKEI_DEMO=1 only), for trying the demo."""
import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP


class Command(BaseCommand):
    help = "デモ用アカウントの現在の確認コード（TOTP）を表示します（RENKEI_DEMO=1 のときのみ）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("RENKEI_DEMO=1 のときだけ使えます。")
        key = base64.b32decode(settings.RENKEI_DEMO_TOTP_SECRET)
        self.stdout.write(f"{TOTP(key, step=30, digits=6).token():06d}")
