"""Send the optional e-mail digest of network notifications, or with --physicians the physicians' morning
digest of their list (mail to those who opted in, Web Push to their phones); run both from cron every morning."""
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renkei.network.digest import send_digests, send_physician_digests


class Command(BaseCommand):
    help = "お知らせの要約メールを送ります（患者名や投稿内容は含めません）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site-url", default="", help="メールに載せるログイン先のURL")
        parser.add_argument("--physicians", action="store_true",
                            help="医師に「確認が必要なもの」の朝の要約（メール・プッシュ通知）を送ります")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["physicians"]:
            mails, pushed = send_physician_digests(site_url=options["site_url"] or None)
            self.stdout.write(f"physician digests: mails {mails}, devices pushed {pushed}")
            return
        sent = send_digests(site_url=options["site_url"] or None)
        self.stdout.write(f"digest mails sent: {sent}")
