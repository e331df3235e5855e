"""Print a new backup key (keep it apart from the archives: whoever holds it can read them)."""
from typing import Any

from django.core.management.base import BaseCommand

from renkei.core.backup.archive import generate_key


class Command(BaseCommand):
    help = "新しいバックアップ鍵を表示します（鍵はアーカイブとは別の場所に保管してください）。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
