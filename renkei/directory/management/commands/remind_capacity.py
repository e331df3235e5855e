"""Ask providers whose capacity answer is over a month old to reconfirm it (run daily; each is asked once a month)."""
from django.core.management.base import BaseCommand

from renkei.directory.windows import remind_stale_capacities


class Command(BaseCommand):
    help = "受け入れ状況の回答が1か月以上前の事業所に、再確認のお知らせを送ります（月に1回まで）。"

    def handle(self, *args, **options):
        count = remind_stale_capacities()
        self.stdout.write(self.style.SUCCESS(f"{count} 事業所に再確認のお知らせを送りました。"))
