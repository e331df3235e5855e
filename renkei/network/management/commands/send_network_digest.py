"""Send the optional e-mail digest of network notifications and the physicians' morning digest of their
list (mail to those who opted in, Web Push to their phones); run it from cron every morning."""
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renkei.network.digest import send_digests, send_physician_digests


class Command(BaseCommand):
    help = "お知らせの要約メールを送ります（患者名や投稿内容は含めません）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site-url", default="", help="メールに載せるログイン先のURL")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests(site_url=options["site_url"] or None)
        self.stdout.write(f"digest mails sent: {sent}")
        mails, pushed = send_physician_digests(site_url=options["site_url"] or None)
        self.stdout.write(f"physician digests: mails {mails}, devices pushed {pushed}")
